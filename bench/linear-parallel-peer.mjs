// biograd side of bench/linear-parallel.mjs, run as its own process:
//   node bench/linear-parallel-peer.mjs WORKERS bench/out/linear-parallel/meta.json → one JSON line.
// The 1,000,000 × 10 full-batch regression of bench/run.mjs (50 epochs, global-norm clip 1,
// sgd 0.1, the same start), with the loss and gradient over WORKERS threads (1: linearModel,
// n: parallelLinearModel), and the memory-bandwidth bound for as many threads: the least an
// epoch can do is read every x and y once, here summed by WORKERS threads over shared memory.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { readF64 } from "./data.mjs";

const dist = resolve(process.env.BENCH_DIST ?? join(import.meta.dirname, "..", "dist"));
const load = (p) => import(pathToFileURL(join(dist, p)).href);
const { chain, clipByGlobalNorm, linearModel, sgd, train } = await load("index.js");
const { parallelLinearModel } = await load("models/parallel-linear.js");
const { createSharedPool } = await load("parallel/shared-pool.js");

const workers = Number(process.argv[2]);
const meta = JSON.parse(readFileSync(process.argv[3], "utf8"));
const L = meta.large;
const median = (a) => {
  const s = [...a].sort((u, v) => u - v);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; // as Python's statistics.median
};
const data = {
  features: Array.from({ length: L.p }, (_, j) => `x${j}`),
  target: "y",
  rows: L.n,
  x: readF64(L.xPath, L.n * L.p),
  y: readF64(L.yPath, L.n),
  source: "bench",
};

// The model (and its threads and shared copy of the data) is built once, as a long-lived
// process would; each timed run is one train() call.
const model = workers > 1 ? parallelLinearModel(data, workers) : linearModel(data);
const run = () =>
  train(model, {
    transform: chain(clipByGlobalNorm({ maxNorm: L.maxNorm }), sgd({ lr: L.lr })),
    epochs: L.epochs,
    start: Float64Array.from(L.start),
  });
const ms = [];
let out;
for (let r = 0; r < meta.repeats.large + 1; r++) {
  const t0 = performance.now();
  out = run();
  if (r > 0) ms.push(performance.now() - t0); // the first run warms the JIT and the threads
}
if (model.close) await model.close();

// Bandwidth bound with `workers` threads: each sums its contiguous share of x then y.
function sumShare(part, d) {
  const share = (len) => [
    Math.floor((part * len) / d.parts),
    Math.floor(((part + 1) * len) / d.parts),
  ];
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const [a, b] = share(d.x.length);
  let i = a;
  for (; i + 4 <= b; i += 4) {
    s0 += d.x[i];
    s1 += d.x[i + 1];
    s2 += d.x[i + 2];
    s3 += d.x[i + 3];
  }
  for (; i < b; i++) s0 += d.x[i];
  const [c, e] = share(d.y.length);
  for (let k = c; k < e; k++) s1 += d.y[k];
  d.sums[part] = s0 + s1 + s2 + s3;
}
const shared = (arr) => {
  const s = new Float64Array(new SharedArrayBuffer(arr.length * 8));
  s.set(arr);
  return s;
};
const d = {
  x: shared(data.x),
  y: shared(data.y),
  sums: shared(new Float64Array(workers)),
  parts: workers,
};
const pool = createSharedPool(workers, sumShare.toString(), d);
const boundMs = [];
for (let r = 0; r < meta.repeats.large + 1; r++) {
  const t0 = performance.now();
  for (let e = 0; e < L.epochs; e++) pool.run((part) => sumShare(part, d));
  if (r > 0) boundMs.push(performance.now() - t0);
}
await pool.close();

process.stdout.write(
  JSON.stringify({
    workers,
    ms,
    medianMs: median(ms),
    params: [...out.params],
    finalLoss: out.finalLoss,
    boundMs: median(boundMs),
  }),
);
