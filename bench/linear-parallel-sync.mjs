// Where an epoch's time goes on the linear benchmark's threads (issue 14, item 2): per call of
// the parallel linear model's loss and gradient, the time each thread spends in the kernel,
// how late a worker starts after the caller released it, and how long the caller waits for the
// last chunk. The model here is parallelLinearModel's own code path (its pool, chunks, kernel
// and reduction, from dist/), with a kernel wrapped to time and count each thread's chunks.
// On demand:  npm run build && node bench/linear-parallel-sync.mjs [--rows=N --epochs=50 --workers=2]
// BENCH_DIST=/path/to/dist measures another build (its pool and kernel; this wrapper's timing
// needs `linearPart(part, d, control, kernel)` and `createSharedPool`, as in both builds).
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { largeData } from "./data.mjs";

const dist = resolve(process.env.BENCH_DIST ?? join(import.meta.dirname, "..", "dist"));
const load = (p) => import(pathToFileURL(join(dist, p)).href);
const { chain, clipByGlobalNorm, linearModel, sgd, train } = await load("index.js");
const { parallelLinearModel } = await load("models/parallel-linear.js");
const { linearPart, linearPartial } = await load("parallel/linear-partial.js");
const { createSharedPool, JOB_CONTROL } = await load("parallel/shared-pool.js");
const { instantiateLinearKernel, linearBuffers } = await load("parallel/wasm-linear.js");

const flag = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const rows = Number(flag("rows") ?? 1_000_000);
const epochs = Number(flag("epochs") ?? 50);
const workers = Number(flag("workers") ?? 2);
const repeats = Number(flag("repeats") ?? 3);
const p = 10;
const large = largeData(rows, p);
const data = {
  features: Array.from({ length: p }, (_, j) => `x${j}`),
  target: "y",
  rows,
  x: large.x,
  y: large.y,
  source: "bench",
};

// Per call and thread: [start, end, chunks] in ms since the time origin shared by all threads.
const slots = (epochs + 1) * workers * 3;
const times = new Float64Array(new SharedArrayBuffer(slots * 8 * (repeats + 1)));
const callNo = new Int32Array(new SharedArrayBuffer(4));

/** Wraps a thread's kernel: the first chunk starts the clock, each chunk stamps the end. */
function timed(part, kernel, d) {
  const now = () => performance.timeOrigin + performance.now();
  return (...args) => {
    const at = (Atomics.load(d.callNo, 0) * d.workers + part) * 3;
    if (d.times[at + 2] === 0) d.times[at] = now();
    kernel(...args);
    d.times[at + 1] = now();
    d.times[at + 2] += 1;
  };
}

const base = linearModel(data);
const chunks = workers === 1 ? 1 : Math.max(32, workers);
const shared = {
  ...linearBuffers(data.x, data.y, p, chunks),
  p,
  chunks,
  job: JOB_CONTROL,
  done: 1,
  times,
  callNo,
  workers,
};
if (shared.wasm === null) throw new Error("this benchmark times the wasm kernel");
const source = `(() => {
  ${linearPartial.toString()}
  ${linearPart.toString()}
  ${instantiateLinearKernel.toString()}
  ${timed.toString()}
  let kernel;
  return (part, d, control) => {
    if (kernel === undefined) kernel = timed(part, instantiateLinearKernel(d.wasm), d);
    linearPart(part, d, control, kernel);
  };
})()`;
const team = createSharedPool(workers, source, shared, { countsUnits: true });
const control = team.control;
const hereKernel = timed(0, instantiateLinearKernel(shared.wasm), shared);
const runPart = (part) => linearPart(part, shared, control, hereKernel);
// The caller's side, per call: [released, own chunks done, run() returned].
const caller = new Float64Array((epochs + 1) * (repeats + 1) * 3);
const now = () => performance.timeOrigin + performance.now();
let call = 0;
const model = {
  ...base,
  lossAndGrad(params, grad, range) {
    const count = range.end - range.start;
    shared.params.set(params.subarray(0, p + 1));
    Atomics.store(control, JOB_CONTROL, range.start);
    Atomics.store(control, JOB_CONTROL + 1, range.end);
    Atomics.store(control, JOB_CONTROL + 2, 0);
    Atomics.store(control, JOB_CONTROL + 3, 0);
    Atomics.store(callNo, 0, call);
    caller[call * 3] = now();
    team.run((part) => {
      runPart(part);
      caller[call * 3 + 1] = now();
    }, chunks);
    caller[call * 3 + 2] = now();
    call++;
    const out = shared.partials;
    let sse = 0;
    let sr = 0;
    for (let t = 0; t < chunks; t++) {
      const at = t * (shared.stride ?? p + 2); // slots padded to cache lines in newer builds
      for (let j = 0; j < p; j++) grad[j] = t === 0 ? out[j] : grad[j] + out[at + j];
      sse += out[at + p];
      sr += out[at + p + 1];
    }
    for (let j = 0; j < p; j++) grad[j] *= 2 / count;
    grad[p] = (sr * 2) / count;
    return sse / count;
  },
};
const trainOnce = (m) =>
  train(m, {
    transform: chain(clipByGlobalNorm({ maxNorm: 1 }), sgd({ lr: 0.1 })),
    epochs,
    start: new Float64Array(p + 1),
  });

// The real model alongside, for its wall time and to check the replica's numbers.
const real = parallelLinearModel(data, workers);
const wall = { replica: [], real: [] };
const cpu = { replica: [], real: [] };
const timedTrain = (m, key) => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = trainOnce(m);
  wall[key].push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu[key].push((c.user + c.system) / 1000);
  return out;
};
let replicaOut;
let realOut;
for (let r = 0; r <= repeats; r++) {
  call = r * (epochs + 1);
  replicaOut = timedTrain(model, "replica");
  realOut = timedTrain(real, "real");
}
await Promise.all([team.close(), real.close()]);
for (let j = 0; j <= p; j++) {
  if (!Object.is(replicaOut.params[j], realOut.params[j])) throw new Error("replica differs");
}

const median = (a) => {
  const s = [...a].sort((u, v) => u - v);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const us = (v) => (v * 1000).toFixed(0).padStart(5);
// Per call (repeats after the warm-up): the caller's own kernel time, its wait after its last
// chunk, each worker's start delay and kernel time, chunks per thread, the gap between calls.
const rowsOut = [];
for (let c = epochs + 1; c < (repeats + 1) * (epochs + 1); c++) {
  const [released, ownDone, returned] = caller.subarray(c * 3, c * 3 + 3);
  const t = (w, k) => times[(c * workers + w) * 3 + k];
  const row = {
    call: returned - released,
    callerKernel: t(0, 2) > 0 ? t(0, 1) - t(0, 0) : 0,
    callerBeforeKernel: t(0, 2) > 0 ? t(0, 0) - released : 0,
    callerWait: returned - ownDone,
    callerChunks: t(0, 2),
    gap: c % (epochs + 1) === epochs ? Number.NaN : caller[(c + 1) * 3] - returned,
  };
  for (let w = 1; w < workers; w++) {
    row[`w${w}Start`] = t(w, 2) > 0 ? t(w, 0) - released : Number.NaN;
    row[`w${w}Kernel`] = t(w, 2) > 0 ? t(w, 1) - t(w, 0) : 0;
    row[`w${w}EndToReturn`] = t(w, 2) > 0 ? returned - t(w, 1) : Number.NaN;
    row[`w${w}Chunks`] = t(w, 2);
  }
  rowsOut.push(row);
}
console.log(
  `linear ${rows} × ${p}, ${epochs} epochs, ${workers} threads, ${repeats} timed train() calls; ` +
    `load ${loadavg()[0].toFixed(2)}; dist ${dist}`,
);
const list = (a) => a.slice(1).map((v) => v.toFixed(0));
console.log(
  `train() ms, replica: ${list(wall.replica)} (CPU ${list(cpu.replica)}); ` +
    `parallelLinearModel: ${list(wall.real)} (CPU ${list(cpu.real)})`,
);
console.log("per call, µs (median, 10th–90th percentile over the timed calls):");
for (const key of Object.keys(rowsOut[0])) {
  const v = rowsOut.map((r) => r[key]).filter((x) => !Number.isNaN(x));
  const s = [...v].sort((a, b) => a - b);
  const q = (f) => s[Math.min(s.length - 1, Math.floor(f * s.length))];
  const fmt = key.endsWith("Chunks") ? (x) => x.toFixed(1).padStart(5) : us;
  console.log(`  ${key.padEnd(20)} ${fmt(median(v))}   ${fmt(q(0.1))} – ${fmt(q(0.9))}`);
}
