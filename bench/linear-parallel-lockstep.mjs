// What two threads' kernels take per epoch on the linear benchmark's data (1,000,000 × 10,
// from memory) when both really run at once, so that other work on the machine does not blur
// it: two worker threads sum the model's 32 chunks (thread 0 the even ones, thread 1 the odd
// ones, as main's chunk counter handed them out; with --order=runs thread t sums chunks 16t ..
// 16t + 15 front to back, as linear-partial.ts's home runs do) with a spin barrier before each
// chunk; only
// chunks during at least 90 % of which the other thread ran its own count. Prints the median
// ns a row per thread (the slower of the two) and what 50 epochs of kernel would take at that rate
// (no hand-offs, no reduction: compare with the 2-thread bound of bench/linear-parallel.mjs).
// On demand:  npm run build && node bench/linear-parallel-lockstep.mjs [--stride=S --epochs=20
//   --order=interleaved|runs]
// BENCH_DIST=dir: another build's kernel (e.g. main's, with --stride=12, its slot spacing).
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { largeData } from "./data.mjs";

const dist = resolve(process.env.BENCH_DIST ?? join(import.meta.dirname, "..", "dist"));
const { linearBuffers } = await import(
  pathToFileURL(join(dist, "parallel", "wasm-linear.js")).href
);
const flag = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const stride = Number(flag("stride") ?? 16);
const epochs = Number(flag("epochs") ?? 20);
const order = flag("order") ?? "interleaved";
if (order !== "interleaved" && order !== "runs") throw new Error(`--order=${order}?`);
const L = largeData(1_000_000, 10);
const p = 10;
const n = L.n;
const b = linearBuffers(L.x, L.y, p, 32, true);
b.params.set(Float64Array.from({ length: p + 1 }, (_, j) => 0.1 * j));
const src = `
const { workerData, parentPort } = require("node:worker_threads");
const { wasm, part, strideBytes, epochs, p, n, bar, times, runs } = workerData;
const k = new WebAssembly.Instance(new WebAssembly.Module(wasm.bytes), { env: { memory: wasm.memory } }).exports.partial;
for (let i = 0; i < 300; i++) k(wasm.at.x, wasm.at.y, p, wasm.at.params, wasm.at.order, 0, 0, 4096, wasm.at.partials + part * strideBytes);
const t = new Float64Array(times), c = new Int32Array(bar);
let it = 0;
for (let e = 0; e < epochs; e++) for (let ch = 0; ch < 16; ch++, it++) {
  // interleaved like main's one counter (0,1 then 2,3 ...), or each thread its own run
  const chunk = runs ? 16 * part + ch : 2 * ch + part;
  const from = Math.floor(chunk * n / 32), to = Math.floor((chunk + 1) * n / 32);
  Atomics.add(c, 0, 1);
  while (Atomics.load(c, 0) < 2 * (it + 1)) {}
  const t0 = performance.timeOrigin + performance.now();
  k(wasm.at.x, wasm.at.y, p, wasm.at.params, wasm.at.order, 0, from, to, wasm.at.partials + chunk * strideBytes);
  t[(part * 100000 + it) * 2] = t0; t[(part * 100000 + it) * 2 + 1] = performance.timeOrigin + performance.now();
}
parentPort.postMessage(it);`;
const bar = new SharedArrayBuffer(64),
  times = new SharedArrayBuffer(2 * 100000 * 2 * 8);
const its = await Promise.all(
  [0, 1].map(
    (part) =>
      new Promise((res) => {
        const w = new Worker(src, {
          eval: true,
          workerData: {
            wasm: b.wasm,
            part,
            strideBytes: stride * 8,
            epochs,
            p,
            n,
            bar,
            times,
            runs: order === "runs",
          },
        });
        w.on("message", (m) => {
          w.terminate();
          res(m);
        });
      }),
  ),
);
const t = new Float64Array(times),
  d = [];
for (let i = 0; i < its[0]; i++) {
  const a0 = t[i * 2],
    a1 = t[i * 2 + 1],
    b0 = t[(100000 + i) * 2],
    b1 = t[(100000 + i) * 2 + 1];
  if (Math.min(a1, b1) - Math.max(a0, b0) >= 0.9 * Math.min(a1 - a0, b1 - b0))
    d.push(Math.max(a1 - a0, b1 - b0));
}
d.sort((u, v) => u - v);
const per = (d[d.length >> 1] * 1e6) / 31250;
const low = (d[Math.floor(d.length / 10)] * 1e6) / 31250;
console.log(
  `${dist} stride ${stride}, ${order}: ${per.toFixed(2)} ns/row per thread (slower of the two, median of ${d.length}/${its[0]} overlapped chunks; 10th percentile ${low.toFixed(2)}) -> ${((per * 500000 * 50) / 1e6).toFixed(0)} ms for 50 epochs of kernel`,
);
