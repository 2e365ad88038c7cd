// Worker-thread start-up of a grouped fit (`biograd fit --group … --workers 2`): the time from
// starting the pool's threads to the first result, and the process's CPU (all threads) until
// both threads have answered. Each thread runs what runFitGroups sends first: the warm-up
// chunk (no groups), which loads the batch worker script and the job module and compiles the
// model. The bundle (scripts/bundle-cli.mjs: dist-cli/batch/worker-entry.js loading
// dist-cli/tasks/fit-groups-chunk.js) against tsc's modules (dist/ or BENCH_DIST), in
// alternating fresh processes. On demand, never in CI.
//   npm run build && node bench/startup/workers.mjs [--rounds=N]
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const DIST = process.env.BENCH_DIST ?? "dist";
const rounds = Number(process.argv.find((a) => a.startsWith("--rounds="))?.split("=")[1] ?? 7);
const file = join(root, "examples", "puromycin.csv");
const builds = {
  tsc: resolve(root, DIST),
  bundle: join(root, "dist-cli"),
  // BENCH_BASE=DIR: another build's dist-cli/ (e.g. main's, copied), for an A/B in one run.
  ...(process.env.BENCH_BASE ? { base: resolve(root, process.env.BENCH_BASE) } : {}),
};
for (const [name, dir] of Object.entries(builds)) {
  if (!existsSync(join(dir, "tasks", "fit-groups-chunk.js"))) {
    throw new Error(`${name}: ${dir}/tasks/fit-groups-chunk.js missing; run \`npm run build\``);
  }
}

// One fresh process: the request is checked by tsc's schema (before the clock starts, as the
// main thread has done by the time runFitGroups starts its pool), then two threads.
const child = (dir) => `
import { Piscina } from "piscina";
const { fitGroupsRequestSchema } = await import(${JSON.stringify(pathToFileURL(join(builds.tsc, "tasks", "fit-groups-request.js")).href)});
const request = fitGroupsRequestSchema.parse({
  task: "fit-groups", data: { file: ${JSON.stringify(file)} }, model: "mm",
  x: ["conc"], y: "rate", group: ["state"],
});
const labels = { model: "model", x: "x", start: "start", fix: "fix", bounds: "bounds",
  constants: "constants", weights: "weights", logX: "logX" };
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const c0 = cpu();
const t0 = performance.now();
const pool = new Piscina({
  filename: ${JSON.stringify(pathToFileURL(join(dir, "batch", "worker-entry.js")).href)},
  minThreads: 2, maxThreads: 2,
});
const task = { module: ${JSON.stringify(pathToFileURL(join(dir, "tasks", "fit-groups-chunk.js")).href)},
  name: "fitGroupsChunk", request: { request, labels, groups: [] } };
let first = 0;
const replies = await Promise.all([0, 1].map(() => pool.run(task).then((r) => {
  first ||= performance.now() - t0;
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r;
})));
const both = performance.now() - t0;
const cpuMs = cpu() - c0;
await pool.destroy();
console.log(JSON.stringify({ first, both, cpu: cpuMs, replies: replies.length }));
`;

const median = (a) => {
  const s = [...a].sort((u, v) => u - v);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const samples = Object.fromEntries(Object.keys(builds).map((k) => [k, []]));
for (let r = 0; r < rounds; r++) {
  for (const [name, dir] of Object.entries(builds)) {
    const out = spawnSync(process.execPath, ["--input-type=module", "-e", child(dir)], {
      cwd: root,
      encoding: "utf8",
    });
    if (out.status !== 0) throw new Error(`${name}: ${out.stderr}`);
    samples[name].push(JSON.parse(out.stdout.trim().split("\n").at(-1)));
  }
}
console.log("build    first result ms  both threads ms  CPU ms (all threads)   medians");
for (const [name, s] of Object.entries(samples)) {
  const f = (k) => median(s.map((x) => x[k])).toFixed(0);
  console.log(
    `${name.padEnd(8)} ${f("first").padStart(15)}  ${f("both").padStart(15)}  ${f("cpu").padStart(20)}`,
  );
}
console.log(`${rounds} rounds, 2 threads each (${DIST}/ for tsc)`);
