// biograd side of the MLP benchmark (issue 4), run as its own process by mlp-run.mjs.
// Usage: node bench/mlp-peer-biograd.mjs bench/out/mlp-meta.json  → one JSON object on stdout.
// Single thread, everything through train(); BENCH_DIST points at another build. MLP_DTYPE=float32
// runs the network's matrix products in float32 (mlpModel's `dtype`), float64 otherwise.
// MLP_THREADS=2: every mini-batch split over the calling thread and a worker thread
// (parallelNetworkModel, what `trainNetwork(…, { workers: 2 })` uses), the model and its worker
// made once before the cold epoch — as the peers' BLAS thread pools are up before they train.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { readF64 } from "./data.mjs";

const dist = resolve(process.env.BENCH_DIST ?? new URL("../dist", import.meta.url).pathname);
const { adam, chain, clipByGlobalNorm, train } = await import(
  pathToFileURL(resolve(dist, "index.js")).href
);
const { gemmBackend, mlpModel } = await import(pathToFileURL(resolve(dist, "nn", "index.js")).href);
const threads = Number(process.env.MLP_THREADS ?? 1);
const { parallelNetworkModel } =
  threads > 1
    ? await import(pathToFileURL(resolve(dist, "parallel", "network-model.js")).href)
    : {};

const meta = JSON.parse(readFileSync(process.argv[2], "utf8"));
const W = meta.workload;
const peakMB = () => process.resourceUsage().maxRSS / 1024; // KiB → MiB

const data = {
  features: Array.from({ length: W.inputs }, (_, j) => `x${j}`),
  rows: W.rows,
  x: readF64(W.xPath, W.rows * W.inputs),
  y: readF64(W.yPath, W.rows),
};
const start = readF64(W.startPath, W.params);
const afterLoadMB = peakMB();
const spec = `mlp:${W.hidden.join(",")}:${W.activation}`;
const dtype = process.env.MLP_DTYPE === "float32" ? "float32" : "float64";
// Builds from before the option existed reject unknown keys, so float64 passes none.
const dtypeOption = dtype === "float32" ? { dtype } : {};

const options = { spec, task: "regress", ...dtypeOption };
const shared = threads > 1 ? parallelNetworkModel({ kind: "mlp", options }, data, threads) : null;

function run(epochs) {
  const model = shared ?? mlpModel(data, options);
  if (model.layout.size !== W.params) throw new Error(`layout ${model.layout.size} ≠ ${W.params}`);
  const transform = chain(clipByGlobalNorm({ maxNorm: W.maxNorm }), adam({ lr: W.lr }));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = train(model, { transform, epochs, batchSize: W.batchSize, seed: 1, start });
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, r };
}

// Warm-up: one epoch (V8 compiles the kernels as it goes); timed and reported as "cold".
const cold = run(1);
const ms = [];
const loopMs = [];
const cpuMs = [];
let last;
for (let i = 0; i < meta.repeats; i++) {
  const { ms: t, cpuMs: c, r } = run(W.epochs);
  ms.push(t);
  cpuMs.push(c);
  loopMs.push(r.timings.totalMs);
  last = r;
}
console.log(
  JSON.stringify({
    peer: "biograd",
    dtype,
    threads,
    gemm: gemmBackend ?? "js",
    lib: dist,
    versions: { node: process.version, v8: process.versions.v8 },
    coldEpochMs: cold.ms,
    ms,
    loopMs,
    cpuMs,
    steps: last.steps,
    epochLosses: last.history.map((h) => h.loss),
    clipFraction: last.history.map((h) => h.clipFraction),
    finalLoss: last.finalLoss,
    memory: { afterLoadMB, peakMB: peakMB() },
  }),
);
await shared?.close?.();
