// biograd side of the benchmark, run as its own process by run.mjs so its peak RSS is
// comparable with the Python peers' (each process loads the same .f64 files and nothing else).
// Usage: node bench/peer-biograd.mjs bench/out/meta.json  → one JSON object on stdout.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { readF64 } from "./data.mjs";

// BENCH_DIST points at another build (e.g. of a patched src/) for A/B runs; default ../dist.
const lib = process.env.BENCH_DIST
  ? pathToFileURL(resolve(process.env.BENCH_DIST, "index.js")).href
  : "../dist/index.js";
const { chain, clipByGlobalNorm, clipByValue, freeze, linearModel, sgd, train } = await import(lib);

const meta = JSON.parse(readFileSync(process.argv[2], "utf8"));
const peakMB = () => process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
const median = (a) => {
  const s = [...a].sort((u, v) => u - v);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** Wall time of `fn` in ms, `repeats` times; returns the times and the last result. */
function time(fn, repeats) {
  const ms = [];
  let out;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    out = fn();
    ms.push(performance.now() - t0);
  }
  return { ms, out };
}
const dataset = (w, p) => ({
  features: Array.from({ length: p }, (_, j) => `x${j}`),
  target: "y",
  rows: w.n,
  x: readF64(w.xPath, w.n * p),
  y: readF64(w.yPath, w.n),
  source: `bench:${w.xPath}`,
});

const S = meta.seed;
const L = meta.large;
const seedDs = dataset(S, 1);
const largeDs = dataset(L, L.p);
const afterLoadMB = peakMB();

// --- large first: its first train() call is what a one-shot CLI run sees (fresh process,
// V8 compiling as it goes); the later calls are what a process that trains many models sees.
// Full batch, so one step per epoch; train() ends with one more full-data loss.
const largeRun = () =>
  train(linearModel(largeDs), {
    transform: chain(clipByGlobalNorm({ maxNorm: L.maxNorm }), sgd({ lr: L.lr })),
    epochs: L.epochs,
    start: Float64Array.from(L.start),
  });
const large = time(largeRun, meta.repeats.large);

// --- bandwidth bound: the least work an epoch can do is read every x and y once. Eight
// independent accumulators so the loop is limited by memory, not by add latency.
function sumAll(x, y) {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    s4 = 0,
    s5 = 0,
    s6 = 0,
    s7 = 0;
  const n8 = x.length - (x.length % 8);
  for (let i = 0; i < n8; i += 8) {
    s0 += x[i];
    s1 += x[i + 1];
    s2 += x[i + 2];
    s3 += x[i + 3];
    s4 += x[i + 4];
    s5 += x[i + 5];
    s6 += x[i + 6];
    s7 += x[i + 7];
  }
  for (let i = n8; i < x.length; i++) s0 += x[i];
  for (let i = 0; i < y.length; i++) s1 += y[i];
  return s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
}
const bound = time(() => {
  let s = 0;
  for (let e = 0; e < L.epochs; e++) s += sumAll(largeDs.x, largeDs.y);
  return s;
}, meta.repeats.large);

// --- seed: the whole train() call (model, chain, 1000 steps, history, final loss) is timed.
const seedRun = (faithful, diagnostics) => () => {
  const steps = [clipByValue({ max: S.clip }), sgd({ lr: S.lr })];
  // freeze(names, inner) wraps the chain; builds before 0080e68 had a chain element freeze(names).
  const frozen = () =>
    freeze.length >= 2 ? freeze(["b"], chain(...steps)) : chain(freeze(["b"]), ...steps);
  const transform = faithful ? frozen() : chain(...steps);
  return train(linearModel(seedDs), {
    transform,
    epochs: S.iterations,
    start: Float64Array.of(...S.start),
    // Builds before the diagnostics had no such option (and no per-epoch diagnostics cost).
    ...(diagnostics === false ? { diagnostics: false } : {}),
  });
};
const seedOut = {};
// "fullNoDiagnostics": the same run with `diagnostics: false`, so the table shows what the
// default diagnostics cost (this ratio went from ~1.0 to ~3 unnoticed once; see RESULTS.md).
for (const variant of ["full", "faithful", "fullNoDiagnostics"]) {
  const run = seedRun(variant === "faithful", variant === "fullNoDiagnostics" ? false : undefined);
  // First call: V8 compiles this model's loop (train() itself is warm from the large runs).
  const cold = time(run, 1).ms[0];
  time(run, meta.repeats.seedWarmup); // then let the JIT settle, as in any long-lived process
  const { ms, out } = time(run, meta.repeats.seed);
  seedOut[variant] = {
    coldMs: cold,
    ms,
    medianMs: median(ms),
    w: out.params[0],
    b: out.params[1],
    lastLoss: out.history.at(-1).loss, // loss at the start of the last step, as numpy's `loss`
  };
}

const lo = large.out;
process.stdout.write(
  JSON.stringify({
    peer: "biograd",
    versions: { node: process.version, v8: process.versions.v8 },
    lib,
    seed: seedOut,
    large: {
      ms: large.ms,
      medianMs: median(large.ms),
      firstMs: large.ms[0],
      params: [...lo.params],
      finalLoss: lo.finalLoss,
      trainLoopMs: lo.timings.totalMs, // train()'s own timer: the epochs without finalLoss
    },
    bound: { ms: bound.ms, medianMs: median(bound.ms), checksum: bound.out },
    memory: { afterLoadMB, peakMB: peakMB() },
  }),
);
