// Integration speed on Lotka–Volterra with sensitivities (6 parameters: four rates and both
// initial states, 31 output times 0:0.5:15, the model file's start values), per solver and
// tolerance: ms per integration (median and best) and the solver statistics.
// Run: npx tsc -p tsconfig.build.json && node bench/ode/lv-integrate.mjs [--min-ms=1500]
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const dist = resolve(process.env.BENCH_DIST ?? join(root, "dist"));
const load = async (p) => import(pathToFileURL(join(dist, p)).href);
const { loadOdeModel } = await load("ode/model/index.js");
const { integrate } = await load("ode/integrate/index.js");
const minMs = Number(process.argv.find((a) => a.startsWith("--min-ms="))?.slice(9) ?? 1500);

const model = loadOdeModel(join(root, "examples/ode/lotka-volterra.yaml"));
const theta = model.parameters.start;
const times = Float64Array.from({ length: 31 }, (_, k) => k * 0.5);
const { y0, S0 } = model.initial(theta);

console.log("| solver | rtol | median ms | min ms | runs | steps | rejected | rhs | switched at |");
console.log("| ------ | ---: | --------: | -----: | ---: | ----: | -------: | --: | ----------: |");
for (const rtol of [1e-8, 1e-11]) {
  for (const solver of ["dopri5", "auto", "rodas"]) {
    const run = () => {
      // a fresh system per run, as a fit builds one per parameter vector
      const sys = model.system(theta);
      return integrate(sys, { t0: 0, y0, S0, times, solver, rtol, atol: rtol * 1e-2 });
    };
    for (let w = 0; w < 5; w++) run(); // warm-up (JIT)
    const ms = [];
    let last;
    const started = performance.now();
    while (ms.length < 10 || performance.now() - started < minMs) {
      const t = performance.now();
      last = run();
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    const s = last.stats;
    const med = ms[ms.length >> 1].toFixed(3);
    console.log(
      `| ${solver} | ${rtol} | ${med} | ${ms[0].toFixed(3)} | ${ms.length} | ${s.steps} | ${s.rejected} | ${s.rhsEvaluations} | ${s.switchedAt ?? "—"} |`,
    );
  }
}
