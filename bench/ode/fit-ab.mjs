// A/B time per fit: two builds side by side in one process, the Lotka–Volterra fit from the
// reasonable start (bench/ode/fit-bench.mjs) alternated between them, CPU time per fit.
// Build the old one first, e.g.: git stash -u && npx tsc -p tsconfig.build.json --outDir
// bench/out/dist-old && git stash pop && cp package.json bench/out/ (its version.js reads it).
// Run: npx tsc -p tsconfig.build.json && OLD=bench/out/dist-old [SOLVER=auto|dopri5] [N=30] node bench/ode/fit-ab.mjs
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const builds = {
  old: resolve(process.env.OLD ?? join(root, "bench/out/dist-old")),
  new: join(root, "dist"),
};
const R = { alpha: 0.9, beta: 0.09, delta: 0.07, gamma: 1.4, x0: 10, y0: 5 };
const fits = {};
for (const [k, d] of Object.entries(builds)) {
  const { fitOde } = await import(join(d, "ode/fit/fit-ode.js"));
  const { loadSetup } = await import(join(d, "ode/fit/setup.js"));
  const loaded = loadSetup({
    model: { file: join(root, "examples/ode/lotka-volterra.yaml") },
    overrides: {},
    data: { file: join(root, "examples/ode/lotka-volterra.csv"), time: "t" },
    solve: {},
  });
  const start = Float64Array.from(loaded.model.parameters.free, (n) => R[n]);
  const solver = process.env.SOLVER ?? "auto";
  fits[k] = () => fitOde(loaded.model, loaded.data, { start, solver });
}
const N = Number(process.env.N ?? 15);
const res = { old: { cpu: [], wall: [] }, new: { cpu: [], wall: [] } };
const last = {};
for (const k of ["old", "new"]) for (let i = 0; i < 3; i++) last[k] = fits[k]();
for (let i = 0; i < N; i++)
  for (const k of ["old", "new"]) {
    const c = process.cpuUsage();
    const t = performance.now();
    last[k] = fits[k]();
    const w = performance.now() - t;
    const u = process.cpuUsage(c);
    res[k].cpu.push((u.user + u.system) / 1000);
    res[k].wall.push(w);
  }
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const k of ["old", "new"])
  console.log(
    k,
    "cpu median",
    med(res[k].cpu).toFixed(2),
    "cpu min",
    Math.min(...res[k].cpu).toFixed(2),
    "wall min",
    Math.min(...res[k].wall).toFixed(2),
    "wall median",
    med(res[k].wall).toFixed(2),
    "rss",
    last[k].fit.rss,
  );
console.log(
  "ratio old/new cpu median",
  (med(res.old.cpu) / med(res.new.cpu)).toFixed(2),
  "wall min",
  (Math.min(...res.old.wall) / Math.min(...res.new.wall)).toFixed(2),
);
const a = last.old.fit.theta,
  b = last.new.fit.theta;
console.log(
  "max rel diff theta",
  Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i]) / Math.abs(x))).toExponential(2),
);
