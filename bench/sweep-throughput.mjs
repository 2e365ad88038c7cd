#!/usr/bin/env node
// Sweep throughput: the same `biograd sweep train` grid on 1 and 2 worker threads (and in the
// main thread, without a pool, for reference) — runs per second and the speed-up over one
// worker. Measures dist/, so build first:
//
//   npm run build && node bench/sweep-throughput.mjs [--rows=2000] [--epochs=2000] [--repeats=3]
//
// Each configuration runs the whole sweep `--repeats` times (fresh pool each time, so worker
// start-up is included, as a user sees it) and reports the median wall time. Results are
// checked to be identical across worker counts (all fields but the wall time).
import { mkdtempSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";

const dist = process.env.BENCH_DIST ?? new URL("../dist/", import.meta.url).pathname;
const { parseGrid, planSweep, runSweep } = await import(join(dist, "sweep/index.js"));

const arg = (name, fallback) => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.slice(name.length + 3)) : fallback;
};
const rows = arg("rows", 2000);
const epochs = arg("epochs", 2000);
const repeats = arg("repeats", 3);
const configs = [0, 1, 2];

// Calibration: how much parallel capacity the machine has right now. A fixed pure-JS loop on
// 1 thread, then the same loop on 2 threads at once; capacity = 2 × t1 / t2 (2.0 on two idle
// cores, ~1.0 when other load leaves room for one thread). A sweep cannot beat it.
const LOOP = `
const { parentPort } = require("node:worker_threads");
parentPort.on("message", (n) => {
  const a = new Float64Array(4096).map((_, i) => i * 1e-3);
  let s = 0;
  for (let k = 0; k < n; k++) for (let i = 0; i < a.length; i++) s += a[i] * a[(i + k) & 4095];
  parentPort.postMessage(s);
});`;
async function loopTime(threads, n) {
  const ws = Array.from({ length: threads }, () => new Worker(LOOP, { eval: true }));
  const all = (m) =>
    Promise.all(
      ws.map(
        (w) =>
          new Promise((resolve) => {
            w.once("message", resolve);
            w.postMessage(m);
          }),
      ),
    );
  await all(200); // warm up
  const t0 = performance.now();
  await all(n);
  const t = performance.now() - t0;
  await Promise.all(ws.map((w) => w.terminate()));
  return t;
}
async function capacity() {
  const ratios = [];
  for (let k = 0; k < 3; k++)
    ratios.push((2 * (await loopTime(1, 20000))) / (await loopTime(2, 20000)));
  return ratios.sort((a, b) => a - b)[1];
}

// The ill-conditioned regression of test/fixtures/sweep (x2 on a 10× scale), more rows.
let state = 7;
const uniform = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
const file = join(mkdtempSync(join(tmpdir(), "biograd-sweep-bench-")), "data.csv");
const lines = ["x1,x2,y"];
for (let i = 0; i < rows; i++) {
  const x1 = normal();
  const x2 = 10 * normal();
  lines.push(`${x1},${x2},${3 * x1 + 0.5 * x2 + 2 + normal()}`);
}
writeFileSync(file, `${lines.join("\n")}\n`);

// The default grid: none + value and global-norm at 0.01, 0.1, 1, 10; three rates; three seeds.
const grid = parseGrid({ lr: "0.001,0.01,0.1", seeds: "3" });
const plan = planSweep(grid, (clip, lr, seed) => ({
  command: "train",
  file,
  fileSha256: "bench",
  x: ["x1", "x2"],
  y: "y",
  na: null,
  delimiter: null,
  model: "linear",
  clip,
  optimizer: { name: "sgd", lr },
  onNonFinite: "error",
  epochs,
  batchSize: null,
  lossThreshold: null,
  seed,
}));

const strip = (results) =>
  JSON.stringify(results.map((r) => ({ key: r.run.key, ...r.record, timeMs: 0 })));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const load0 = loadavg()[0];
const capacityBefore = await capacity();
const rowsOut = [];
let reference = null;
for (const workers of configs) {
  const times = [];
  let runTimes = 0;
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    const outcome = await runSweep(plan, { workers });
    times.push(performance.now() - t0);
    runTimes = outcome.results.reduce((s, r) => s + r.record.timeMs, 0);
    const key = strip(outcome.results);
    if (reference === null) reference = key;
    else if (key !== reference) throw new Error(`results with ${workers} workers differ`);
  }
  const ms = median(times);
  rowsOut.push({ workers, ms, runsPerSecond: (plan.runs.length / ms) * 1000, runTimes });
}
const capacityAfter = await capacity();
const one = rowsOut.find((r) => r.workers === 1);
console.log(
  `sweep throughput: ${plan.runs.length} runs (${grid.clips.length} clips × ${grid.lrs.length} rates × ${grid.seeds.length} seeds), ` +
    `linear model, ${rows} rows × 2 features, ${epochs} full-batch SGD epochs per run`,
);
console.log(
  `node ${process.version}, ${availableParallelism()} cores available (${cpus()[0]?.model ?? "?"}), median of ${repeats}`,
);
console.log("workers          wall s   runs/s   speed-up vs 1 worker   Σ run time in workers s");
for (const r of rowsOut) {
  const label = r.workers === 0 ? "0 (main thread)" : String(r.workers);
  console.log(
    `${label.padEnd(15)}  ${(r.ms / 1000).toFixed(2).padStart(6)}  ${r.runsPerSecond.toFixed(1).padStart(7)}  ${(one.ms / r.ms).toFixed(2).padStart(21)}  ${(r.runTimes / 1000).toFixed(2).padStart(24)}`,
  );
}
console.log("results identical across worker counts: yes");
console.log(
  `machine: load average ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)}; parallel capacity of 2 threads ` +
    `${capacityBefore.toFixed(2)} before, ${capacityAfter.toFixed(2)} after (2.00 = two idle cores)`,
);
