import { LINEAR_F64X2_WASM } from "./wasm-linear-bytes.js";

/**
 * The linear model's data in WebAssembly memory, for the f64x2 kernel of
 * scripts/gen-linear-wasm.mjs (the same sums as linear-partial.ts's `linearPartial`, bit for
 * bit, about 4× faster on the reference machine: bench/linear-parallel-results.md).
 *
 * One shared `WebAssembly.Memory` holds everything a sweep reads or writes: θ, the parts'
 * result slots, the row order, and the rows, each region at a 64-byte boundary. The rows lie in
 * pairs (x of rows 2m and 2m + 1, then their two y: `rowPairDoubles`), so a sweep reads one
 * stream (faster with two threads: scripts/gen-linear-wasm.mjs). Its buffer is a
 * SharedArrayBuffer, so the Float64Array views below are what the reduction uses, and every
 * worker thread instantiates the module on the same memory: the data are copied once, at
 * construction, never per thread or per call. The memory never grows, so the views stay valid.
 *
 * `BIOGRAD_LINEAR=js` in the environment (read when a model is built) keeps the JS kernel, for
 * A/B benchmarks; so does a runtime without WebAssembly SIMD or shared memory, and data too
 * large for a 32-bit address space (then X stays in an ordinary SharedArrayBuffer).
 */
export interface LinearWasmMemory {
  memory: WebAssembly.Memory;
  /** The module, compiled by each thread from these bytes. */
  bytes: Uint8Array<ArrayBuffer>;
  /** Byte addresses of the regions; x and y: row 0's (y = x + 16p, see rowPairDoubles). */
  at: { params: number; partials: number; order: number; y: number; x: number };
}

export interface LinearBuffers {
  /** Doubles from one result slot to the next in `partials` (slotStride). */
  stride: number;
  /** x (row-major) and y for the JS kernel; null when they are in wasm memory (row pairs). */
  js: { x: Float64Array; y: Float64Array } | null;
  params: Float64Array;
  order: Uint32Array;
  partials: Float64Array;
  /** The wasm memory behind the views, or null when the JS kernel runs. */
  wasm: LinearWasmMemory | null;
}

/** The kernel's signature (addresses in bytes). */
export type LinearKernel = (
  x: number,
  y: number,
  p: number,
  params: number,
  order: number,
  hasOrder: number,
  start: number,
  end: number,
  out: number,
) => void;

const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB: wasm32's whole address space
let bytes: Uint8Array<ArrayBuffer> | undefined;
let available: boolean | undefined;

/**
 * Whether this runtime runs the module (SIMD, shared memory). Checked at the first call, not
 * when the module loads: importing biograd compiles no WebAssembly.
 */
export function hasWasmLinear(): boolean {
  if (available !== undefined) return available;
  available = false;
  try {
    bytes = new Uint8Array(Buffer.from(LINEAR_F64X2_WASM, "base64"));
    if (typeof WebAssembly !== "object" || !WebAssembly.validate(bytes)) return false;
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const at = { params: 0, partials: 0, order: 0, y: 0, x: 0 };
    available = typeof instantiateLinearKernel({ memory, bytes, at }) === "function";
  } catch {
    available = false;
  }
  return available;
}

/** The kernel of one thread's instance. Self-contained: workers run it from its source. */
export function instantiateLinearKernel(wasm: LinearWasmMemory): LinearKernel {
  const module = new WebAssembly.Module(wasm.bytes);
  const instance = new WebAssembly.Instance(module, { env: { memory: wasm.memory } });
  return instance.exports.partial as LinearKernel;
}

/**
 * Doubles from the start of one result slot (p + 2 values) to the next: whole 128-byte blocks.
 * The kernels load and store their slot's gradient every block of rows, and two threads
 * usually sum neighbouring chunks at the same time (they take chunks in turn). With slots
 * p + 2 values apart, chunks c and c + 1 shared a cache line (for p = 10, every even c), which
 * then moved between the cores every few rows (false sharing: two threads in lockstep took
 * 7.1–7.8 ns a row each instead of 2.8–2.95, bench/linear-parallel-false-sharing.mjs). 128
 * bytes, not 64, because the adjacent-line prefetcher may pull a line's pair along.
 */
export function slotStride(p: number): number {
  return Math.ceil((p + 2) / 16) * 16;
}

/** Doubles from one row pair to the next in wasm memory: x_2m (p), x_2m+1 (p), y_2m, y_2m+1. */
export function rowPairDoubles(p: number): number {
  return 2 * p + 2;
}

/**
 * Buffers for n rows of p features and `parts` result slots of p + 2 values (slotStride
 * apart, from a 64-byte boundary), filled with x and y: in wasm memory, in row pairs, when the
 * kernel can run (and `useWasm`), else in SharedArrayBuffers for the JS kernel.
 */
export function linearBuffers(
  x: Float64Array,
  y: Float64Array,
  p: number,
  parts: number,
  useWasm = linearWasmWanted(),
): LinearBuffers {
  const n = y.length;
  const wasm = useWasm && p > 0 && hasWasmLinear() ? wasmMemory(n, p, parts) : null;
  const view = (at: number, count: number) =>
    wasm === null
      ? new Float64Array(new SharedArrayBuffer(Math.max(1, count) * 8))
      : new Float64Array(wasm.memory.buffer, at, count);
  const stride = slotStride(p);
  const buffers: LinearBuffers = {
    stride,
    js: wasm === null ? { x: view(0, n * p), y: view(0, n) } : null,
    params: view(wasm?.at.params ?? 0, p + 1),
    order:
      wasm === null
        ? new Uint32Array(new SharedArrayBuffer(Math.max(1, n) * 4))
        : new Uint32Array(wasm.memory.buffer, wasm.at.order, Math.max(1, n)),
    partials: view(wasm?.at.partials ?? 0, parts * stride),
    wasm,
  };
  if (buffers.js !== null) {
    buffers.js.x.set(x);
    buffers.js.y.set(y);
  } else {
    writeRowPairs(
      new Float64Array(wasm!.memory.buffer, wasm!.at.x, pairs(n) * rowPairDoubles(p)),
      x,
      y,
      p,
    );
  }
  return buffers;
}

const pairs = (n: number) => Math.ceil(n / 2);

/** x (row-major) and y into `to` as row pairs (rowPairDoubles). */
function writeRowPairs(to: Float64Array, x: Float64Array, y: Float64Array, p: number): void {
  const pd = rowPairDoubles(p);
  for (let i = 0; i < y.length; i++) {
    const pair = (i >> 1) * pd;
    const at = pair + (i & 1) * p;
    for (let j = 0; j < p; j++) to[at + j] = x[i * p + j]!;
    to[pair + 2 * p + (i & 1)] = y[i]!;
  }
}

/** Whether the environment lets models use the wasm kernel (`BIOGRAD_LINEAR=js` says no). */
export function linearWasmWanted(): boolean {
  return typeof process !== "object" || process.env?.BIOGRAD_LINEAR !== "js";
}

function wasmMemory(n: number, p: number, parts: number): LinearWasmMemory | null {
  const up = (b: number) => Math.ceil(b / 64) * 64;
  const params = 0;
  const partials = up(params + (p + 1) * 8);
  const order = up(partials + parts * slotStride(p) * 8);
  const x = up(order + Math.max(1, n) * 4);
  const y = x + 16 * p;
  const pages = Math.ceil(up(x + pairs(n) * rowPairDoubles(p) * 8) / PAGE);
  if (pages > MAX_PAGES) return null;
  try {
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    return { memory, bytes: bytes!, at: { params, partials, order, y, x } };
  } catch {
    return null; // the address space or memory for it was refused: the JS kernel runs
  }
}
