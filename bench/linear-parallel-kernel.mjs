// Micro-benchmark of the linear model's sweep kernel alone (issue 14, item 2): GFLOP/s on one
// thread for the JS kernel (linearPartial) and the f64x2 wasm kernel (wasm-linear.ts), on rows
// that stay in cache (compute speed; machine load disturbs it less than the full benchmark)
// and on the 1,000,000 × 10 data (one pass over memory, as an epoch does).
// On demand:  npm run build && node bench/linear-parallel-kernel.mjs [--p=10 --seconds=1]
// Flops per row: 2p (x·w) + 1 (− y) + 2 (r²) + 1 (Σr) + 2p (x·r) = 4p + 4.
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const dist = resolve(process.env.BENCH_DIST ?? join(import.meta.dirname, "..", "dist"));
const load = (p) => import(pathToFileURL(join(dist, p)).href);
const { linearPartial } = await load("parallel/linear-partial.js");
const { hasWasmLinear, instantiateLinearKernel, linearBuffers } =
  await load("parallel/wasm-linear.js");

const flag = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const p = Number(flag("p") ?? 10);
const seconds = Number(flag("seconds") ?? 1);
if (!hasWasmLinear()) throw new Error("this runtime has no WebAssembly SIMD / shared memory");

/** Deterministic pseudo-random data (the values do not matter for speed). */
function data(n) {
  const x = new Float64Array(n * p);
  const y = new Float64Array(n);
  let s = 1;
  const next = () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647 - 0.5;
  };
  for (let i = 0; i < x.length; i++) x[i] = next();
  for (let i = 0; i < n; i++) y[i] = next();
  return { x, y };
}

/** Best GFLOP/s of repeated passes over n rows, over `seconds` of passes. */
function measure(n, pass) {
  for (let w = 0; w < 3; w++) pass();
  let best = Number.POSITIVE_INFINITY;
  const until = performance.now() + seconds * 1000;
  let passes = 0;
  while (performance.now() < until || passes < 3) {
    const t0 = performance.now();
    pass();
    best = Math.min(best, performance.now() - t0);
    passes++;
  }
  return { gflops: ((4 * p + 4) * n) / (best * 1e6), ms: best };
}

const rows = { "in cache (4,096 rows)": 4096, "from memory (1,000,000 rows)": 1_000_000 };
console.log(`kernel alone, one thread, p = ${p}; load average ${loadavg()[0].toFixed(2)}\n`);
console.log("| rows | JS GFLOP/s | wasm f64x2 GFLOP/s | wasm / JS | wasm ms per pass |");
console.log("| --- | ---: | ---: | ---: | ---: |");
for (const [label, n] of Object.entries(rows)) {
  const { x, y } = data(n);
  const b = linearBuffers(x, y, p, 1, true);
  b.params.set(Float64Array.from({ length: p + 1 }, (_, j) => 0.1 * (j + 1)));
  const order = new Uint32Array(1);
  const out = new Float64Array(p + 2);
  const js = measure(n, () => linearPartial(x, y, p, b.params, order, 0, 0, n, out, 0));
  const kernel = instantiateLinearKernel(b.wasm);
  const at = b.wasm.at;
  const wasm = measure(n, () => kernel(at.x, at.y, p, at.params, at.order, 0, 0, n, at.partials));
  for (let j = 0; j < p + 2; j++) {
    if (!Object.is(out[j], b.partials[j])) throw new Error(`sums differ at ${j}`);
  }
  const f = (v) => v.toFixed(2);
  console.log(
    `| ${label} | ${f(js.gflops)} | ${f(wasm.gflops)} | ${f(wasm.gflops / js.gflops)} | ${f(wasm.ms)} |`,
  );
}
