// False sharing between the linear model's result slots (issue 14, item 2), measured so that
// other work on the machine does not blur it: two worker threads run the f64x2 kernel
// (wasm-linear.ts) over their own 4,096 in-cache rows in lockstep (a spin barrier before each
// call), each writing its sums to its own slot, the slots `stride` doubles apart; each thread
// records the start and end of every call, and only calls that overlapped the other thread's
// by at least 90 % count (a descheduled thread's calls drop out). Median ns a row.
// Stride 12 = p + 2 (the slots' old spacing), 16 = slotStride(10) (128-byte blocks).
// On demand:  npm run build && node bench/linear-parallel-false-sharing.mjs [--iters=3000 --rounds=3]
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

const dist = resolve(process.env.BENCH_DIST ?? join(import.meta.dirname, "..", "dist"));
const { linearBuffers } = await import(
  pathToFileURL(join(dist, "parallel", "wasm-linear.js")).href
);
const flag = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const p = 10;
const rows = 4096;
const iters = Number(flag("iters") ?? 3000);
let s = 1;
const next = () => {
  s = (s * 48271) % 2147483647;
  return s / 2147483647 - 0.5;
};
const b = linearBuffers(
  Float64Array.from({ length: 2 * rows * p }, next),
  Float64Array.from({ length: 2 * rows }, next),
  p,
  4,
  true,
);
b.params.set(Float64Array.from({ length: p + 1 }, (_, j) => 0.1 * j));
const src = `
const { workerData, parentPort } = require("node:worker_threads");
const { wasm, part, strideBytes, iters, p, rows, bar, times } = workerData;
const k = new WebAssembly.Instance(new WebAssembly.Module(wasm.bytes), { env: { memory: wasm.memory } }).exports.partial;
const start = part * rows, out = wasm.at.partials + part * strideBytes;
for (let i = 0; i < 2000; i++) k(wasm.at.x, wasm.at.y, p, wasm.at.params, wasm.at.order, 0, start, start + rows, out);
const t = new Float64Array(times);
const c = new Int32Array(bar);
for (let i = 0; i < iters; i++) {
  Atomics.add(c, 0, 1);
  while (Atomics.load(c, 0) < 2 * (i + 1)) {}
  const t0 = performance.timeOrigin + performance.now();
  k(wasm.at.x, wasm.at.y, p, wasm.at.params, wasm.at.order, 0, start, start + rows, out);
  const t1 = performance.timeOrigin + performance.now();
  t[(part * iters + i) * 2] = t0; t[(part * iters + i) * 2 + 1] = t1;
}
parentPort.postMessage("done");`;
async function run(stride) {
  const bar = new SharedArrayBuffer(64),
    times = new SharedArrayBuffer(2 * iters * 2 * 8);
  await Promise.all(
    [0, 1].map(
      (part) =>
        new Promise((res) => {
          const w = new Worker(src, {
            eval: true,
            workerData: { wasm: b.wasm, part, strideBytes: stride * 8, iters, p, rows, bar, times },
          });
          w.on("message", () => {
            w.terminate();
            res();
          });
        }),
    ),
  );
  const t = new Float64Array(times),
    d = [];
  for (let i = 0; i < iters; i++) {
    const a0 = t[i * 2],
      a1 = t[i * 2 + 1],
      b0 = t[(iters + i) * 2],
      b1 = t[(iters + i) * 2 + 1];
    const ov = Math.min(a1, b1) - Math.max(a0, b0);
    if (ov >= 0.9 * Math.max(a1 - a0, b1 - b0)) d.push((a1 - a0 + b1 - b0) / 2);
  }
  d.sort((u, v) => u - v);
  return `${d.length ? ((d[d.length >> 1] * 1e6) / rows).toFixed(2) : "-"} ns/row (${d.length} overlapped of ${iters})`;
}
const res = { "stride 12 (adjacent slots)": [], "stride 16 (128-byte slots)": [] };
for (let r = 0; r < Number(flag("rounds") ?? 3); r++) {
  res["stride 12 (adjacent slots)"].push(await run(12));
  res["stride 16 (128-byte slots)"].push(await run(16));
}
console.log(
  `2 threads in lockstep, median kernel time of overlapped iterations, p = ${p}, ${rows} rows each:`,
);
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(28), v.join("  "));
