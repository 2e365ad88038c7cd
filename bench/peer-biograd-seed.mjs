// biograd's seed workload alone, one variant per process, started by run.mjs once per round
// and variant. A fresh process, because in the process that has just run the 1,000,000-row
// workload the seed's timings carried that heap (GC) and the other variants' type feedback:
// its median was ~1.8× its minimum on an idle machine (bench/RESULTS.md, 2026-12-03 16:56).
// Usage: node bench/peer-biograd-seed.mjs bench/out/meta.json full|faithful|fullNoDiagnostics
// → one JSON object on stdout.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { readF64 } from "./data.mjs";

// BENCH_DIST points at another build (e.g. of a patched src/) for A/B runs; default ../dist.
const lib = process.env.BENCH_DIST
  ? pathToFileURL(resolve(process.env.BENCH_DIST, "index.js")).href
  : "../dist/index.js";
const { chain, clipByValue, freeze, linearModel, sgd, train } = await import(lib);

const meta = JSON.parse(readFileSync(process.argv[2], "utf8"));
const variant = process.argv[3];
if (!["full", "faithful", "fullNoDiagnostics"].includes(variant)) {
  throw new Error(`peer-biograd-seed: unknown variant ${variant}`);
}
const S = meta.seed;
const data = {
  features: ["x0"],
  target: "y",
  rows: S.n,
  x: readF64(S.xPath, S.n),
  y: readF64(S.yPath, S.n),
  source: `bench:${S.xPath}`,
};
const median = (a) => {
  const s = [...a].sort((u, v) => u - v);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// The whole train() call is timed: model, chain, 1000 steps, history, final loss.
const run = () => {
  const steps = [clipByValue({ max: S.clip }), sgd({ lr: S.lr })];
  // freeze(names, inner) wraps the chain; builds before 0080e68 had a chain element freeze(names).
  const frozen = () =>
    freeze.length >= 2 ? freeze(["b"], chain(...steps)) : chain(freeze(["b"]), ...steps);
  return train(linearModel(data), {
    transform: variant === "faithful" ? frozen() : chain(...steps),
    epochs: S.iterations,
    start: Float64Array.of(...S.start),
    // Builds before the diagnostics had no such option (and no per-epoch diagnostics cost).
    ...(variant === "fullNoDiagnostics" ? { diagnostics: false } : {}),
  });
};
const time = () => {
  const t0 = performance.now();
  const out = run();
  return { ms: performance.now() - t0, out };
};

const cold = time().ms; // V8 compiles as it goes: what a one-shot CLI run sees
// JIT and heap growth done (see run.mjs `repeats`), as in any long-lived process.
for (let i = 0; i < meta.repeats.seedWarmup; i++) run();
const ms = [];
let out;
const faultsBefore = process.resourceUsage().minorPageFault;
for (let i = 0; i < meta.repeats.seed; i++) {
  const t = time();
  ms.push(t.ms);
  out = t.out;
}
const faultsPerCall = (process.resourceUsage().minorPageFault - faultsBefore) / ms.length;
process.stdout.write(
  JSON.stringify({
    variant,
    lib,
    coldMs: cold,
    ms,
    medianMs: median(ms),
    minMs: Math.min(...ms),
    faultsPerCall,
    w: out.params[0],
    b: out.params[1],
    lastLoss: out.history.at(-1).loss, // loss at the start of the last step, as numpy's `loss`
  }),
);
