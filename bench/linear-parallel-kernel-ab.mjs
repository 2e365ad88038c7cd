// A/B of the linear model's wasm kernel between builds, robust to a loaded machine: one thread,
// one process, the builds' kernels instantiated on the same shared memory and run in turn,
// pass by pass, over the same rows (from row 1, so blocks start at an odd row too). Whatever
// the machine does falls on every kernel alike; the medians and 10th percentiles of the passes
// are compared (in cache: stable; from memory: the 10th percentile says more under load).
// Also checks that the builds' sums are the same bit for bit. The builds must share the data's
// layout in wasm memory (the first build's linearBuffers): since 493dd7a the rows lie in pairs,
// so an older build reads them wrongly, and the check says so.
// On demand:  npm run build && node bench/linear-parallel-kernel-ab.mjs DIST_A DIST_B ...
//   [--p=10 --rows=1000000]   e.g. DIST_A=/tmp/lead-base/dist DIST_B=dist
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const flag = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const dists = process.argv.slice(2).filter((a) => !a.startsWith("--"));
if (dists.length < 2) throw new Error("usage: linear-parallel-kernel-ab.mjs DIST_A DIST_B ...");
const p = Number(flag("p") ?? 10);
const n = Number(flag("rows") ?? 1_000_000);
const load = (dist, file) => import(pathToFileURL(join(resolve(dist), file)).href);
const { linearBuffers } = await load(dists[0], "parallel/wasm-linear.js");

// Deterministic values (they do not matter for speed).
const x = Float64Array.from({ length: n * p }, (_, i) => Math.sin(i));
const y = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
const b = linearBuffers(x, y, p, dists.length, true);
if (b.wasm === null) throw new Error("this runtime has no WebAssembly SIMD / shared memory");
b.params.set(Float64Array.from({ length: p + 1 }, (_, j) => 0.1 * (j + 1)));
const at = b.wasm.at;
const kernels = [];
for (const dist of dists) {
  const { LINEAR_F64X2_WASM } = await load(dist, "parallel/wasm-linear-bytes.js");
  const module = new WebAssembly.Module(Buffer.from(LINEAR_F64X2_WASM, "base64"));
  kernels.push(
    new WebAssembly.Instance(module, { env: { memory: b.wasm.memory } }).exports.partial,
  );
}
const times = kernels.map(() => []);
const passes = Math.max(20, Math.round(3e8 / (n * p)));
for (let pass = 0; pass < passes + 3; pass++) {
  kernels.forEach((kernel, k) => {
    const t0 = performance.now();
    kernel(at.x, at.y, p, at.params, at.order, 0, 1, n, at.partials + k * b.stride * 8);
    if (pass >= 3) times[k].push(((performance.now() - t0) * 1e6) / (n - 1));
  });
}
const sums = (k) => [...b.partials.subarray(k * b.stride, k * b.stride + p + 2)];
const same = dists.every((_, k) => sums(k).every((v, j) => Object.is(v, sums(0)[j])));
const q = (a, f) => [...a].sort((u, v) => u - v)[Math.floor(f * a.length)];
console.log(`p = ${p}, ${n} rows, ${passes} passes each; the same sums bit for bit: ${same}`);
dists.forEach((dist, k) => {
  console.log(
    `  ${dist}: ns a row median ${q(times[k], 0.5).toFixed(2)}, 10th percentile ${q(times[k], 0.1).toFixed(2)}`,
  );
});
