// Where an epoch's time goes on the linear benchmark's threads (issue 14, item 2): a timeline of
// every call of the parallel linear model's loss and gradient — each chunk's thread, start and
// end, the caller's release, return and reduction — summed into a budget per train() run:
// kernel time per thread, start delay, time between chunks (claims), waiting for the other
// thread at the end (imbalance), the reduction, and train()'s own step (clip, update) between
// calls. The model here is parallelLinearModel's own code path (its pool, chunks, claims,
// kernel and reduction, from dist/), with each thread's kernel wrapped to stamp its chunks.
// On demand:  npm run build && node bench/linear-parallel-sync.mjs [--rows=N --epochs=50
//   --workers=2 --repeats=5]
// BENCH_DIST=/path/to/dist measures another build (its pool, chunk counter and kernel).
// On a loaded machine a thread descheduled in a chunk stretches that chunk: the per-chunk
// medians and 10th percentiles below say more than the sums.
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
const repeats = Number(flag("repeats") ?? 5);
if (workers < 2) throw new Error("the timeline needs two or more threads");
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

const callsPerRun = epochs + 1; // train() evaluates once per epoch and once at the end
const calls = callsPerRun * (repeats + 1);
const chunks = Math.max(32, workers);
// Per call and chunk: [thread, start, end] in ms since the time origin shared by all threads.
const events = new Float64Array(new SharedArrayBuffer(calls * chunks * 3 * 8));
const callNo = new Int32Array(new SharedArrayBuffer(4));

/** Wraps a thread's kernel: stamps the chunk (found from its result slot) it sums. */
function timed(part, kernel, d) {
  const now = () => performance.timeOrigin + performance.now();
  return (...args) => {
    const chunk = (args[8] - d.wasm.at.partials) / (d.stride * 8);
    const at = (Atomics.load(d.callNo, 0) * d.chunks + chunk) * 3;
    d.events[at] = part;
    d.events[at + 1] = now();
    kernel(...args);
    d.events[at + 2] = now();
  };
}

const base = linearModel(data);
const shared = {
  ...linearBuffers(data.x, data.y, p, chunks),
  p,
  chunks,
  job: JOB_CONTROL,
  done: 1,
  events,
  callNo,
};
shared.stride ??= p + 2; // builds before the padded slots
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
// The caller's side, per call: [released, run() returned, reduction done].
const caller = new Float64Array(calls * 3);
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
    Atomics.store(callNo, 0, call);
    Atomics.store(control, JOB_CONTROL + 3, 0); // the next chunk to take
    caller[call * 3] = now();
    team.run(runPart, chunks);
    caller[call * 3 + 1] = now();
    const out = shared.partials;
    let sse = 0;
    let sr = 0;
    for (let t = 0; t < chunks; t++) {
      const at = t * shared.stride;
      for (let j = 0; j < p; j++) grad[j] = t === 0 ? out[j] : grad[j] + out[at + j];
      sse += out[at + p];
      sr += out[at + p + 1];
    }
    const scale = 2 / count;
    for (let j = 0; j < p; j++) grad[j] *= scale;
    grad[p] = sr * scale;
    caller[call * 3 + 2] = now();
    call++;
    return sse / count;
  },
};
const trainOnce = (m) =>
  train(m, {
    transform: chain(clipByGlobalNorm({ maxNorm: 1 }), sgd({ lr: 0.1 })),
    epochs,
    start: new Float64Array(p + 1),
  });

// The real model alongside, for its wall and CPU time and to check the replica's numbers.
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
  call = r * callsPerRun;
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
const quantile = (a, f) => {
  const s = [...a].sort((u, v) => u - v);
  return s[Math.min(s.length - 1, Math.floor(f * s.length))];
};

/** Whether a thread's chunks cover all but 2% of [from, to) (its gaps between chunks are µs). */
function covers(list, from, to, length) {
  let inside = 0;
  for (const y of list) inside += Math.max(0, Math.min(to, y.end) - Math.max(from, y.start));
  return inside >= 0.98 * length;
}

// Per timed run (the first is the warm-up): sums over its calls, in ms.
const budgets = [];
const chunkNs = Array.from({ length: workers }, () => []); // ns a row, per chunk, per thread
// The same for the chunks that ran entirely while every other thread was in a chunk too (both
// streaming from memory, neither descheduled nor waiting): what the kernel costs at full load.
const busyNs = Array.from({ length: workers }, () => []);
let jumps = 0;
let steps = 0;
for (let r = 1; r <= repeats; r++) {
  const b = {
    run: caller[(r * callsPerRun + callsPerRun - 1) * 3 + 2] - caller[r * callsPerRun * 3],
    calls: 0,
    reduction: 0,
    between: 0,
    kernel: new Array(workers).fill(0),
    startDelay: new Array(workers).fill(0),
    claims: new Array(workers).fill(0),
    endWait: new Array(workers).fill(0),
  };
  for (let c = r * callsPerRun; c < (r + 1) * callsPerRun; c++) {
    const [released, returned, reduced] = caller.subarray(c * 3, c * 3 + 3);
    b.calls += returned - released;
    b.reduction += reduced - returned;
    if (c + 1 < (r + 1) * callsPerRun) b.between += caller[(c + 1) * 3] - reduced;
    const mine = Array.from({ length: workers }, () => []);
    for (let k = 0; k < chunks; k++) {
      const e = (c * chunks + k) * 3;
      const n = Math.floor(((k + 1) * rows) / chunks) - Math.floor((k * rows) / chunks);
      mine[events[e]].push({ chunk: k, start: events[e + 1], end: events[e + 2], n });
    }
    for (let t = 0; t < workers; t++) {
      for (const x of mine[t]) {
        const ns = ((x.end - x.start) * 1e6) / x.n;
        chunkNs[t].push(ns);
        const covered = mine.every(
          (other, u) => u === t || covers(other, x.start, x.end, x.end - x.start),
        );
        if (covered) busyNs[t].push(ns);
      }
    }
    for (let t = 0; t < workers; t++) {
      const list = mine[t].sort((u, v) => u.start - v.start);
      if (list.length === 0) {
        b.endWait[t] += returned - released; // no chunk at all: the whole call is waiting
        continue;
      }
      const busy = list.reduce((s, x) => s + x.end - x.start, 0);
      const first = list[0].start;
      const last = list[list.length - 1].end;
      b.kernel[t] += busy;
      b.startDelay[t] += first - released;
      b.claims[t] += last - first - busy;
      b.endWait[t] += returned - last;
      for (let i = 1; i < list.length; i++) {
        steps++;
        if (list[i].chunk !== list[i - 1].chunk + 1) jumps++;
      }
    }
  }
  budgets.push(b);
}

const f1 = (v) => v.toFixed(1).padStart(6);
console.log(
  `linear ${rows.toLocaleString("en")} × ${p}, ${epochs} epochs, ${workers} threads, ${chunks} chunks, ` +
    `${repeats} timed train() runs; load ${loadavg()[0].toFixed(2)}; dist ${dist}`,
);
const list = (a) => a.slice(1).map((v) => v.toFixed(0));
console.log(
  `train() ms, replica: ${list(wall.replica)} (CPU ${list(cpu.replica)}); ` +
    `parallelLinearModel: ${list(wall.real)} (CPU ${list(cpu.real)})`,
);
console.log("\nper train() run, ms (median over the timed runs; min–max):");
const line = (label, values) =>
  console.log(
    `  ${label.padEnd(44)} ${f1(median(values))}   ${f1(Math.min(...values))} – ${f1(Math.max(...values))}`,
  );
line(
  "whole run (first release to last reduction)",
  budgets.map((b) => b.run),
);
line(
  "inside run() (all calls)",
  budgets.map((b) => b.calls),
);
line(
  "reduction of the slots (caller)",
  budgets.map((b) => b.reduction),
);
line(
  "between calls: train()'s clip, update, loop",
  budgets.map((b) => b.between),
);
for (let t = 0; t < workers; t++) {
  const who = t === 0 ? "caller" : `worker ${t}`;
  line(
    `${who}: kernel`,
    budgets.map((b) => b.kernel[t]),
  );
  line(
    `${who}: start delay after release`,
    budgets.map((b) => b.startDelay[t]),
  );
  line(
    `${who}: between its chunks (claims)`,
    budgets.map((b) => b.claims[t]),
  );
  line(
    `${who}: after its last chunk, until return`,
    budgets.map((b) => b.endWait[t]),
  );
}
const nsLine = (label, v) =>
  console.log(
    `  ${label.padEnd(30)} ${median(v).toFixed(2)}   ${quantile(v, 0.1).toFixed(2)} – ${quantile(v, 0.9).toFixed(2)}   (${v.length} chunks)`,
  );
console.log("\nkernel ns a row per chunk (median; 10th–90th percentile):");
for (let t = 0; t < workers; t++) {
  const who = t === 0 ? "caller" : `worker ${t}`;
  nsLine(`${who}, all chunks`, chunkNs[t]);
  if (busyNs[t].length > 0) nsLine(`${who}, all threads in a chunk`, busyNs[t]);
}
console.log(
  `\na thread's next chunk is not the one after its last: ${jumps} of ${steps} (${((100 * jumps) / steps).toFixed(0)}%)`,
);
