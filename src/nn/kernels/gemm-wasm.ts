import { GEMM_F64X2_WASM } from "./gemm-wasm-bytes.js";

/**
 * The WebAssembly SIMD (f64x2) version of gemm-blocked.ts's `blockedProduct`, with the same
 * operands and strides:
 *
 *   C (m×n) += op(A)·op(B),  op(A)_ip = a[aOff + i·ars + p·acs],  op(B)_pj = b[bOff + p·brs + j·bcs]
 *
 * For each block of KC = 256 values of p (the JS kernel's KC), op(A) is packed straight from
 * the caller's array into wasm memory as panels of 4 rows and op(B) as strips of 4 columns,
 * both zero-padded to a multiple of 4; C is copied in with its row length padded to a multiple
 * of 4, the module's `panelProduct` runs its 4×4 register tile over every (strip, panel) pair,
 * and C is copied back. Padding rows and columns are computed but never copied out.
 *
 * Same results, bit for bit: every C entry receives C + Σ_p a·b for each KC block, with p in
 * order, the products and sums rounded as the JS kernel rounds them (no FMA). So which kernel
 * runs is invisible in the numbers. Measured on the reference machine: ≈10 GFMA/s against ≈2.3
 * for the JS kernel on the MLP benchmark's products (bench/MLP-RESULTS.md).
 *
 * The module's memory is grown on demand and kept; nothing is allocated per call once it is
 * big enough. Each worker thread loads its own instance.
 */
const KC = 256;
const WASM_PAGE = 65536;

interface GemmExports {
  memory: WebAssembly.Memory;
  panelProduct(
    pa: number,
    pb: number,
    kc: number,
    panels: number,
    strips: number,
    c: number,
    ldc: number,
  ): void;
}

/** The instance, or null when this runtime has no WebAssembly SIMD (then the JS kernel runs). */
function instantiate(): GemmExports | null {
  if (typeof WebAssembly !== "object") return null;
  try {
    const bytes = Buffer.from(GEMM_F64X2_WASM, "base64");
    if (!WebAssembly.validate(bytes)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    return instance.exports as unknown as GemmExports;
  } catch {
    return null;
  }
}

const wasm = instantiate();
let heap = wasm === null ? new Float64Array(0) : new Float64Array(wasm.memory.buffer);

/** A Float64Array view of wasm memory with at least `doubles` entries (grows it if needed). */
function heapOf(doubles: number): Float64Array {
  const bytes = doubles * 8;
  const memory = wasm!.memory;
  if (bytes > memory.buffer.byteLength) {
    memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / WASM_PAGE));
  }
  if (heap.buffer !== memory.buffer) heap = new Float64Array(memory.buffer);
  return heap;
}

export const hasWasmGemm: boolean = wasm !== null;

export function wasmProduct(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  aOff: number,
  ars: number,
  acs: number,
  b: Float64Array,
  bOff: number,
  brs: number,
  bcs: number,
  c: Float64Array,
  cOff: number,
): void {
  if (m === 0 || n === 0 || k === 0) return;
  const panels = (m + 3) >> 2;
  const strips = (n + 3) >> 2;
  const ldc = strips * 4; // padded row length of C in wasm memory, in doubles
  const kc0 = Math.min(KC, k);
  // Layout in doubles: packed A (panels·4·kc0), packed B (strips·4·kc0), C (panels·4 × ldc).
  const pa = 0;
  const pb = pa + panels * 4 * kc0;
  const pc = pb + strips * 4 * kc0;
  const mem = heapOf(pc + panels * 4 * ldc);
  for (let i = 0; i < m; i++) mem.set(c.subarray(cOff + i * n, cOff + i * n + n), pc + i * ldc);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = Math.min(KC, k - p0);
    packA(mem, pa, a, aOff + p0 * acs, ars, acs, m, panels, kc);
    packB(mem, pb, b, bOff + p0 * brs, brs, bcs, n, strips, kc);
    wasm!.panelProduct(pa * 8, pb * 8, kc, panels, strips, pc * 8, ldc * 8);
  }
  for (let i = 0; i < m; i++) c.set(mem.subarray(pc + i * ldc, pc + i * ldc + n), cOff + i * n);
}

/**
 * op(A) rows in panels of 4: for panel r and each p, op(A)[4r..4r+4, p] (zeros past m). A
 * stored transposed (ars = 1) is read along its stored rows (p outer): walking down a column
 * instead (a stride of m doubles) maps the rows to a few L1 sets and costs as much as the
 * kernel on the MLP's shapes. Only the order of the copies changes, not the values.
 */
function packA(
  mem: Float64Array,
  at: number,
  a: Float64Array,
  start: number,
  ars: number,
  acs: number,
  m: number,
  panels: number,
  kc: number,
): void {
  const full = ars === 1 ? m >> 2 : 0; // panels read whole from each stored row
  for (let p = 0; p < kc; p++) {
    const row = start + p * acs;
    let q = at + p * 4;
    for (let r = 0; r < full; r++, q += kc * 4) {
      const src = row + 4 * r;
      mem[q] = a[src]!;
      mem[q + 1] = a[src + 1]!;
      mem[q + 2] = a[src + 2]!;
      mem[q + 3] = a[src + 3]!;
    }
  }
  let q = at + full * kc * 4;
  for (let r = full; r < panels; r++) {
    const i = 4 * r;
    const rows = Math.min(4, m - i);
    let src = start + i * ars;
    if (rows === 4) {
      for (let p = 0; p < kc; p++, q += 4, src += acs) {
        mem[q] = a[src]!;
        mem[q + 1] = a[src + ars]!;
        mem[q + 2] = a[src + 2 * ars]!;
        mem[q + 3] = a[src + 3 * ars]!;
      }
    } else {
      for (let p = 0; p < kc; p++, q += 4, src += acs) {
        for (let t = 0; t < 4; t++) mem[q + t] = t < rows ? a[src + t * ars]! : 0;
      }
    }
  }
}

/**
 * op(B) columns in strips of 4: for strip s and each p, op(B)[p, 4s..4s+4] (zeros past n). A
 * row-major B (bcs = 1) is read row by row, for the reason given at packA.
 */
function packB(
  mem: Float64Array,
  at: number,
  b: Float64Array,
  start: number,
  brs: number,
  bcs: number,
  n: number,
  strips: number,
  kc: number,
): void {
  const full = bcs === 1 ? n >> 2 : 0; // strips read whole from each row
  for (let p = 0; p < kc; p++) {
    const row = start + p * brs;
    let q = at + p * 4;
    for (let s = 0; s < full; s++, q += kc * 4) {
      const src = row + 4 * s;
      mem[q] = b[src]!;
      mem[q + 1] = b[src + 1]!;
      mem[q + 2] = b[src + 2]!;
      mem[q + 3] = b[src + 3]!;
    }
  }
  let q = at + full * kc * 4;
  for (let s = full; s < strips; s++) {
    const j = 4 * s;
    const cols = Math.min(4, n - j);
    let src = start + j * bcs;
    if (cols === 4) {
      for (let p = 0; p < kc; p++, q += 4, src += brs) {
        mem[q] = b[src]!;
        mem[q + 1] = b[src + bcs]!;
        mem[q + 2] = b[src + 2 * bcs]!;
        mem[q + 3] = b[src + 3 * bcs]!;
      }
    } else {
      for (let p = 0; p < kc; p++, q += 4, src += brs) {
        for (let t = 0; t < 4; t++) mem[q + t] = t < cols ? b[src + t * bcs]! : 0;
      }
    }
  }
}
