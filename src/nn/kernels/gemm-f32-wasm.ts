import { GEMM_F32X4_WASM } from "./gemm-f32-wasm-bytes.js";
import type { GemmExports as GemmInstanceExports } from "./gemm-wasm-instance.js";

/**
 * The float32 GEMM that networks run with `dtype: "float32"`: the operands and strides of
 * gemm-blocked.ts's `blockedProduct`,
 *
 *   C (m×n) += op(A)·op(B),  op(A)_ip = a[aOff + i·ars + p·acs],  op(B)_pj = b[bOff + p·brs + j·bcs]
 *
 * but computed in single precision by a WebAssembly f32x4 kernel (4×8 register tile, twice the
 * multiply-adds per instruction of the float64 f64x2 kernel). For each block of KC = 256 values
 * of p, op(A) and op(B) are rounded to float32 while they are packed into wasm memory (A as
 * panels of 4 rows, B as strips of 8 columns, zero-padded), every C entry's block sum
 * Σ_p fround(a)·fround(b) is formed in float32 with p in order (each product and sum rounded to
 * float32, no FMA) and then added to C in float64. C itself stays float64, so the sum of the
 * blocks and the accumulation of mini-batch chunks (β = 1) are not rounded to float32.
 *
 * Deterministic, and exactly reproducible with Math.fround arithmetic in the same order
 * (test/nn/gemm-f32.test.ts); it differs from the float64 kernels by float32 rounding
 * (relative ≈ 1e-7·√k per entry). The module's memory grows on demand and is kept.
 */
const KC = 256;
const WASM_PAGE = 65536;

// The float32 module exports the float64 one's memory and panel product (same signature).
type GemmExports = Pick<GemmInstanceExports, "memory" | "panelProduct">;

/** The instance, or null when this runtime has no WebAssembly SIMD. */
function instantiate(): GemmExports | null {
  if (typeof WebAssembly !== "object") return null;
  try {
    const bytes = Buffer.from(GEMM_F32X4_WASM, "base64");
    if (!WebAssembly.validate(bytes)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    return instance.exports as unknown as GemmExports;
  } catch {
    return null;
  }
}

const wasm = instantiate();
let f32 = new Float32Array(0);
let f64 = new Float64Array(0);

/** Views of wasm memory with at least `bytes` bytes (grows it if needed). */
function ensureBytes(bytes: number): void {
  const memory = wasm!.memory;
  if (bytes > memory.buffer.byteLength) {
    memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / WASM_PAGE));
  }
  if (f64.buffer !== memory.buffer) {
    f32 = new Float32Array(memory.buffer);
    f64 = new Float64Array(memory.buffer);
  }
}

/** Whether this runtime can run the float32 kernel (WebAssembly SIMD). */
export const hasFloat32Gemm: boolean = wasm !== null;

export function float32Product(
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
  const strips = (n + 7) >> 3;
  const ldc = strips * 8; // padded row length of C in wasm memory, in doubles
  const kc0 = Math.min(KC, k);
  // Layout: packed A (float32, panels·4·kc0), packed B (float32, strips·8·kc0), then C
  // (float64, panels·4 × ldc) at a 16-byte boundary. Indices below are in floats / doubles.
  const pa = 0;
  const pb = pa + panels * 4 * kc0;
  const pcBytes = Math.ceil(((pb + strips * 8 * kc0) * 4) / 16) * 16;
  const pc = pcBytes / 8;
  ensureBytes(pcBytes + panels * 4 * ldc * 8);
  for (let i = 0; i < m; i++) f64.set(c.subarray(cOff + i * n, cOff + i * n + n), pc + i * ldc);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = Math.min(KC, k - p0);
    packA(f32, pa, a, aOff + p0 * acs, ars, acs, m, panels, kc);
    packB(f32, pb, b, bOff + p0 * brs, brs, bcs, n, strips, kc);
    wasm!.panelProduct(pa * 4, pb * 4, kc, panels, strips, pcBytes, ldc * 8);
  }
  for (let i = 0; i < m; i++) c.set(f64.subarray(pc + i * ldc, pc + i * ldc + n), cOff + i * n);
}

/**
 * op(A) rows in panels of 4, rounded to float32 (zeros past m). A stored transposed (ars = 1)
 * is read along its rows (p outer), for the reason given at packB.
 */
function packA(
  mem: Float32Array,
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
 * op(B) columns in strips of 8, rounded to float32 (zeros past n). A row-major B (bcs = 1) is
 * read row by row: walking down a strip's column instead (stride n doubles, 2 KB for n = 256)
 * maps every row to the same few L1 sets and made packing cost as much as the kernel.
 */
function packB(
  mem: Float32Array,
  at: number,
  b: Float64Array,
  start: number,
  brs: number,
  bcs: number,
  n: number,
  strips: number,
  kc: number,
): void {
  const full = bcs === 1 ? n >> 3 : 0; // strips read whole from each row
  const stripSize = kc * 8;
  for (let p = 0; p < kc; p++) {
    const row = start + p * brs;
    let q = at + p * 8;
    for (let s = 0; s < full; s++, q += stripSize) {
      const src = row + 8 * s;
      mem[q] = b[src]!;
      mem[q + 1] = b[src + 1]!;
      mem[q + 2] = b[src + 2]!;
      mem[q + 3] = b[src + 3]!;
      mem[q + 4] = b[src + 4]!;
      mem[q + 5] = b[src + 5]!;
      mem[q + 6] = b[src + 6]!;
      mem[q + 7] = b[src + 7]!;
    }
  }
  for (let s = full; s < strips; s++) {
    const j = 8 * s;
    const cols = Math.min(8, n - j);
    let q = at + s * stripSize;
    let src = start + j * bcs;
    for (let p = 0; p < kc; p++, q += 8, src += brs) {
      for (let t = 0; t < 8; t++) mem[q + t] = t < cols ? b[src + t * bcs]! : 0;
    }
  }
}
