import { GEMM_F64X2_WASM } from "./gemm-wasm-bytes.js";

/**
 * The WebAssembly SIMD (f64x2) version of gemm-blocked.ts's `blockedProduct`, with the same
 * operands and strides:
 *
 *   C (m×n) += op(A)·op(B),  op(A)_ip = a[aOff + i·ars + p·acs],  op(B)_pj = b[bOff + p·brs + j·bcs]
 *
 * A and B are copied into wasm memory as stored (one memcpy each); for each block of KC = 256
 * values of p (the JS kernel's KC) the module packs op(A) as panels of 4 rows and op(B) as
 * strips of 4 columns (packRows4 / packStrips, SIMD copies; a JS loop packs a last partial
 * group, zero-padded, and any other layout); C is copied in with its row length padded to a
 * multiple of 4, the module's `panelProduct` runs its 4×4 register tile over every (strip,
 * panel) pair, and C is copied back. Padding rows and columns are computed but never copied
 * out. Packing in JS (scalar stores into wasm memory) cost about a third as much as the
 * kernel on the MLP's shapes; in the module it is a few percent.
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
  packStrips(src: number, ld: number, kc: number, groups: number, dst: number): void;
  packRows4(src: number, ld: number, kc: number, groups: number, dst: number): void;
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
  const aForm = denseForm(ars, acs, m, k);
  const bForm = denseForm(bcs, brs, n, k);
  // Layout in doubles: packed A (panels·4·kc0), packed B (strips·4·kc0), C (panels·4 × ldc),
  // then A and B as stored (m·k and k·n), copied in whole when the module packs them.
  const pa = 0;
  const pb = pa + panels * 4 * kc0;
  const pc = pb + strips * 4 * kc0;
  const ra = pc + panels * 4 * ldc;
  const rb = ra + (aForm === null ? 0 : m * k);
  const mem = heapOf(rb + (bForm === null ? 0 : k * n));
  if (aForm !== null) mem.set(a.subarray(aOff, aOff + m * k), ra);
  if (bForm !== null) mem.set(b.subarray(bOff, bOff + k * n), rb);
  copyC(mem, pc, ldc, c, cOff, m, n, true);
  const aFull = aForm === null ? 0 : m >> 2; // panels the module packs; the JS loop packs the rest
  const bFull = bForm === null ? 0 : n >> 2;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = Math.min(KC, k - p0);
    if (aForm === "rows") wasm!.packRows4((ra + p0) * 8, k * 8, kc, aFull, pa * 8);
    else if (aForm === "strips") wasm!.packStrips((ra + p0 * m) * 8, m * 8, kc, aFull, pa * 8);
    packGroups(mem, pa, a, aOff + p0 * acs, ars, acs, m, panels, kc, aFull);
    if (bForm === "rows") wasm!.packRows4((rb + p0) * 8, k * 8, kc, bFull, pb * 8);
    else if (bForm === "strips") wasm!.packStrips((rb + p0 * n) * 8, n * 8, kc, bFull, pb * 8);
    packGroups(mem, pb, b, bOff + p0 * brs, bcs, brs, n, strips, kc, bFull);
    wasm!.panelProduct(pa * 8, pb * 8, kc, panels, strips, pc * 8, ldc * 8);
  }
  copyC(mem, pc, ldc, c, cOff, m, n, false);
}

/**
 * C (m×n from cOff) into wasm memory at `at` with rows of `ldc` doubles, or back. When n is
 * a multiple of 4 the padded rows are the rows themselves: one block copy instead of one per
 * row (and no subarray objects per row).
 */
function copyC(
  mem: Float64Array,
  at: number,
  ldc: number,
  c: Float64Array,
  cOff: number,
  m: number,
  n: number,
  into: boolean,
): void {
  if (ldc === n) {
    if (into) mem.set(c.subarray(cOff, cOff + m * n), at);
    else c.set(mem.subarray(at, at + m * n), cOff);
    return;
  }
  for (let i = 0; i < m; i++) {
    const row = cOff + i * n;
    if (into) mem.set(c.subarray(row, row + n), at + i * ldc);
    else c.set(mem.subarray(at + i * ldc, at + i * ldc + n), row);
  }
}

/**
 * How the module packs an operand op(X) (size × k along its groups, `gs` the stride between
 * rows of a group and `ps` the stride along p): "rows" when it is stored row by row along p
 * (gs = k, ps = 1: 4 rows interleaved, packRows4), "strips" when stored with p as the row
 * (gs = 1, ps = size: 4 contiguous values per row, packStrips), else null (the JS loop packs
 * it). op(A)'s groups are its rows; op(B)'s its columns.
 */
function denseForm(gs: number, ps: number, size: number, k: number): "rows" | "strips" | null {
  if (gs === k && ps === 1) return "rows";
  if (gs === 1 && ps === size) return "strips";
  return null;
}

/**
 * op(X) in groups of 4 (A's rows into panels, B's columns into strips) from group `from` on:
 * for group g and each p, the values X[4g..4g+4 along the group, p] (zeros past `size`), read
 * at `start + t·gs + p·ps`. The module packs the whole groups before `from` (packStrips,
 * packRows4): this loop is the fallback and the tail. Only copies: values are not changed.
 */
function packGroups(
  mem: Float64Array,
  at: number,
  x: Float64Array,
  start: number,
  gs: number,
  ps: number,
  size: number,
  groups: number,
  kc: number,
  from: number,
): void {
  let q = at + from * kc * 4;
  for (let g = from; g < groups; g++) {
    const i = 4 * g;
    const count = Math.min(4, size - i);
    let src = start + i * gs;
    if (count === 4) {
      for (let p = 0; p < kc; p++, q += 4, src += ps) {
        mem[q] = x[src]!;
        mem[q + 1] = x[src + gs]!;
        mem[q + 2] = x[src + 2 * gs]!;
        mem[q + 3] = x[src + 3 * gs]!;
      }
    } else {
      for (let p = 0; p < kc; p++, q += 4, src += ps) {
        for (let t = 0; t < 4; t++) mem[q + t] = t < count ? x[src + t * gs]! : 0;
      }
    }
  }
}
