import { type GemmInstance, heapWith, sharedGemm } from "./gemm-wasm-instance.js";

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
 * Operands and a C that already live in the instance's memory (a network's resident buffers,
 * gemm-wasm-instance.ts) are used in place: no copy in, and for such a C with no padding
 * (m and n multiples of 4), no copy in or out. Nothing is allocated per call.
 */
const KC = 256;

export const hasWasmGemm: boolean = sharedGemm !== null;

/** C += op(A)·op(B) on the shared instance (see the file comment). */
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
  productIn(sharedGemm!, m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff);
}

/** Scratch doubles a product may need at most (a resident instance reserves the largest). */
export function productScratch(m: number, n: number, k: number): number {
  const panels = (m + 3) >> 2;
  const strips = (n + 3) >> 2;
  const kc0 = Math.min(KC, k);
  return (panels + strips) * 4 * kc0 + panels * 4 * strips * 4 + m * k + k * n;
}

/**
 * C += op(A)·op(B) on `inst`. Returns false, computing nothing, when a resident instance has
 * too little scratch for it (the caller runs the JS kernel).
 */
export function productIn(
  inst: GemmInstance,
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
): boolean {
  if (m === 0 || n === 0 || k === 0) return true;
  const wasm = inst.exports;
  const buffer = wasm.memory.buffer;
  const panels = (m + 3) >> 2;
  const strips = (n + 3) >> 2;
  const ldc = strips * 4; // padded row length of C in wasm memory, in doubles
  const kc0 = Math.min(KC, k);
  const aForm = denseForm(ars, acs, m, k);
  const bForm = denseForm(bcs, brs, n, k);
  const aHere = a.buffer === buffer;
  const bHere = b.buffer === buffer;
  const cHere = c.buffer === buffer && ldc === n && (m & 3) === 0;
  // Scratch in doubles: packed A (panels·4·kc0), packed B (strips·4·kc0), C (panels·4 × ldc)
  // unless used in place, then A and B as stored (m·k, k·n) unless they are here already.
  const pa = inst.scratch;
  const pb = pa + panels * 4 * kc0;
  let end = pb + strips * 4 * kc0;
  const pc = cHere ? c.byteOffset / 8 + cOff : end;
  if (!cHere) end += panels * 4 * ldc;
  const copyA = aForm !== null && !aHere;
  const ra = aHere ? a.byteOffset / 8 + aOff : end;
  if (copyA) end += m * k;
  const copyB = bForm !== null && !bHere;
  const rb = bHere ? b.byteOffset / 8 + bOff : end;
  if (copyB) end += k * n;
  const mem = heapWith(inst, end);
  if (mem === null) return false;
  if (copyA) mem.set(a.subarray(aOff, aOff + m * k), ra);
  if (copyB) mem.set(b.subarray(bOff, bOff + k * n), rb);
  if (!cHere) copyC(mem, pc, ldc, c, cOff, m, n, true);
  const aFull = aForm === null ? 0 : m >> 2; // panels the module packs; the JS loop packs the rest
  const bFull = bForm === null ? 0 : n >> 2;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = Math.min(KC, k - p0);
    if (aForm === "rows") wasm.packRows4((ra + p0) * 8, k * 8, kc, aFull, pa * 8);
    else if (aForm === "strips") wasm.packStrips((ra + p0 * m) * 8, m * 8, kc, aFull, pa * 8);
    packGroups(mem, pa, a, aOff + p0 * acs, ars, acs, m, panels, kc, aFull);
    if (bForm === "rows") wasm.packRows4((rb + p0) * 8, k * 8, kc, bFull, pb * 8);
    else if (bForm === "strips") wasm.packStrips((rb + p0 * n) * 8, n * 8, kc, bFull, pb * 8);
    packGroups(mem, pb, b, bOff + p0 * brs, bcs, brs, n, strips, kc, bFull);
    wasm.panelProduct(pa * 8, pb * 8, kc, panels, strips, pc * 8, ldc * 8);
  }
  if (!cHere) copyC(mem, pc, ldc, c, cOff, m, n, false);
  return true;
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
