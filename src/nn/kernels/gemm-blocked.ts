/**
 * The one loop nest behind matmul, matmulTransA and matmulTransB (GotoBLAS-style, scalar):
 *
 *   C (m×n) += op(A)·op(B),  op(A)_ip = a[aOff + i·ars + p·acs],  op(B)_pj = b[bOff + p·brs + j·bcs]
 *
 * with C row-major. The transposes are only strides: A·B is (ars, acs, brs, bcs) =
 * (k, 1, n, 1), Aᵀ·B is (1, m, n, 1), A·Bᵀ is (k, 1, 1, k).
 *
 * Blocking. op(B) is cut into panels of KC rows × NC columns (256 × 128 doubles = 256 KB, L2
 * resident) and each panel is packed into one module-level buffer as strips of four columns,
 * each strip KC×4 contiguous (a partial last strip is padded with zeros, whose products are
 * never stored). Packing makes the innermost reads unit-stride whatever the layout of B, and
 * avoids the cache-set conflicts of walking a power-of-two row stride (n = 256 maps every
 * row of B to the same two L1 sets). Every pair of rows of op(A) then sweeps the panel with
 * a 2×4 register tile: eight independent accumulators and six loads per eight products (V8
 * emits scalar SSE and does not vectorise, so loads and add latency are what count).
 *
 * Measured on the reference machine (2 shared cores, Node 20) for 128×500·500×256:
 * naive i-j-p 0.29, unpacked row-axpy 0.55, packed 2×4 tile ≈1.5 GFMA/s.
 *
 * The packing buffer is allocated once, when the module loads; nothing is allocated per
 * call. JavaScript runs a module's code on one thread at a time (each worker thread loads
 * its own copy), so sharing it is safe. The summation order of every C entry depends only on
 * (m, n, k): p runs in order within each KC block and each block's sum is added to C.
 */
const KC = 256;
const NC = 128;
const panel = new Float64Array(KC * NC);

// Module-level functions (not closures) so V8 optimises each once, for every caller.
export function blockedProduct(
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
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      packPanel(b, bOff + p0 * brs + j0 * bcs, brs, bcs, kc, nc);
      const aBase = aOff + p0 * acs;
      let i = 0;
      for (; i + 2 <= m; i += 2) {
        const ai = aBase + i * ars;
        const ci = cOff + i * n + j0;
        for (let s = 0; s < nc; s += 4) {
          tile2x4(a, ai, ars, acs, kc, s * kc, c, ci + s, n, Math.min(4, nc - s));
        }
      }
      if (i < m) {
        const ai = aBase + i * ars;
        const ci = cOff + i * n + j0;
        for (let s = 0; s < nc; s += 4)
          tile1x4(a, ai, acs, kc, s * kc, c, ci + s, Math.min(4, nc - s));
      }
    }
  }
}

/** Packs op(B)[0..kc) × [0..nc) (from `start`) as strips of 4 columns, zero-padded. */
function packPanel(
  b: Float64Array,
  start: number,
  brs: number,
  bcs: number,
  kc: number,
  nc: number,
): void {
  for (let s = 0; s < nc; s += 4) {
    const cols = Math.min(4, nc - s);
    let q = s * kc;
    let src = start + s * bcs;
    for (let p = 0; p < kc; p++) {
      panel[q] = b[src]!;
      panel[q + 1] = cols > 1 ? b[src + bcs]! : 0;
      panel[q + 2] = cols > 2 ? b[src + 2 * bcs]! : 0;
      panel[q + 3] = cols > 3 ? b[src + 3 * bcs]! : 0;
      q += 4;
      src += brs;
    }
  }
}

/** C rows (ci, ci+n), `cols` ≤ 4 columns from ci, += op(A) rows (ai, ai+ars) · strip at q0. */
function tile2x4(
  a: Float64Array,
  ai: number,
  ars: number,
  acs: number,
  kc: number,
  q0: number,
  c: Float64Array,
  ci: number,
  n: number,
  cols: number,
): void {
  let s00 = 0;
  let s01 = 0;
  let s02 = 0;
  let s03 = 0;
  let s10 = 0;
  let s11 = 0;
  let s12 = 0;
  let s13 = 0;
  let ap = ai;
  const end = q0 + 4 * kc;
  for (let q = q0; q < end; q += 4) {
    const x0 = a[ap]!;
    const x1 = a[ap + ars]!;
    const y0 = panel[q]!;
    const y1 = panel[q + 1]!;
    const y2 = panel[q + 2]!;
    const y3 = panel[q + 3]!;
    s00 += x0 * y0;
    s01 += x0 * y1;
    s02 += x0 * y2;
    s03 += x0 * y3;
    s10 += x1 * y0;
    s11 += x1 * y1;
    s12 += x1 * y2;
    s13 += x1 * y3;
    ap += acs;
  }
  store(c, ci, cols, s00, s01, s02, s03);
  store(c, ci + n, cols, s10, s11, s12, s13);
}

/** One row of C (the odd last row of op(A)). */
function tile1x4(
  a: Float64Array,
  ai: number,
  acs: number,
  kc: number,
  q0: number,
  c: Float64Array,
  ci: number,
  cols: number,
): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let ap = ai;
  const end = q0 + 4 * kc;
  for (let q = q0; q < end; q += 4) {
    const x = a[ap]!;
    s0 += x * panel[q]!;
    s1 += x * panel[q + 1]!;
    s2 += x * panel[q + 2]!;
    s3 += x * panel[q + 3]!;
    ap += acs;
  }
  store(c, ci, cols, s0, s1, s2, s3);
}

function store(
  c: Float64Array,
  at: number,
  cols: number,
  s0: number,
  s1: number,
  s2: number,
  s3: number,
): void {
  c[at]! += s0;
  if (cols > 1) c[at + 1]! += s1;
  if (cols > 2) c[at + 2]! += s2;
  if (cols > 3) c[at + 3]! += s3;
}
