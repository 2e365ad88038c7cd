/**
 * The p×p linear algebra of the small Levenberg–Marquardt solver (small-lm.ts): the normal
 * equations of an n×p Jacobian and a Cholesky factorisation of A + λI. Row-major, p small
 * (≤ 8), nothing allocated.
 */

/**
 * A pivot of A + λI below this fraction of A's largest diagonal entry (squared scale) counts
 * as singular: J̃ then has a condition number above ~10⁶, where the normal equations keep
 * fewer than 4 digits of the step and the caller falls back to QR/SVD.
 */
const PIVOT_FLOOR = 1e-12;

/** A = JᵀJ (full symmetric) and g = Jᵀr for J n×p row-major. */
export function normalEquations(
  jac: Float64Array,
  r: Float64Array,
  n: number,
  p: number,
  a: Float64Array,
  g: Float64Array,
): void {
  if (p === 4) {
    normalEquations4(jac, r, n, a, g);
    return;
  }
  a.fill(0, 0, p * p);
  g.fill(0, 0, p);
  for (let i = 0, row = 0; i < n; i++, row += p) {
    const ri = r[i]!;
    for (let j = 0; j < p; j++) {
      const jj = jac[row + j]!;
      g[j] = g[j]! + jj * ri;
      for (let k = 0; k <= j; k++) a[j * p + k] = a[j * p + k]! + jj * jac[row + k]!;
    }
  }
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) a[k * p + j] = a[j * p + k]!;
}

/**
 * p = 4 (the 4PL and its kin, the many-curves path's commonest case): the same sums in the
 * same order, accumulated in locals — the general loop stores every partial sum to memory.
 */
function normalEquations4(
  jac: Float64Array,
  r: Float64Array,
  n: number,
  a: Float64Array,
  g: Float64Array,
): void {
  let g0 = 0;
  let g1 = 0;
  let g2 = 0;
  let g3 = 0;
  let a00 = 0;
  let a10 = 0;
  let a11 = 0;
  let a20 = 0;
  let a21 = 0;
  let a22 = 0;
  let a30 = 0;
  let a31 = 0;
  let a32 = 0;
  let a33 = 0;
  for (let i = 0, row = 0; i < n; i++, row += 4) {
    const ri = r[i]!;
    const j0 = jac[row]!;
    const j1 = jac[row + 1]!;
    const j2 = jac[row + 2]!;
    const j3 = jac[row + 3]!;
    g0 += j0 * ri;
    g1 += j1 * ri;
    g2 += j2 * ri;
    g3 += j3 * ri;
    a00 += j0 * j0;
    a10 += j1 * j0;
    a11 += j1 * j1;
    a20 += j2 * j0;
    a21 += j2 * j1;
    a22 += j2 * j2;
    a30 += j3 * j0;
    a31 += j3 * j1;
    a32 += j3 * j2;
    a33 += j3 * j3;
  }
  g[0] = g0;
  g[1] = g1;
  g[2] = g2;
  g[3] = g3;
  a[0] = a00;
  a[1] = a[4] = a10;
  a[2] = a[8] = a20;
  a[3] = a[12] = a30;
  a[5] = a11;
  a[6] = a[9] = a21;
  a[7] = a[13] = a31;
  a[10] = a22;
  a[11] = a[14] = a32;
  a[15] = a33;
}

/**
 * L (lower triangle of `l`) with L·Lᵀ = A + λI; false when a pivot is not above
 * PIVOT_FLOOR·max A_jj (numerically not positive definite) or not finite.
 */
export function factorShifted(
  a: Float64Array,
  p: number,
  lambda: number,
  l: Float64Array,
): boolean {
  let scale = 0;
  for (let j = 0; j < p; j++) scale = Math.max(scale, a[j * p + j]!);
  const floor = PIVOT_FLOOR * scale;
  for (let j = 0; j < p; j++) {
    for (let k = 0; k <= j; k++) {
      let s = a[j * p + k]! + (j === k ? lambda : 0);
      for (let m = 0; m < k; m++) s -= l[j * p + m]! * l[k * p + m]!;
      if (j === k) {
        if (!(s > floor) || !Number.isFinite(s)) return false;
        l[j * p + j] = Math.sqrt(s);
      } else {
        l[j * p + k] = s / l[k * p + k]!;
      }
    }
  }
  return true;
}

/** out = (L·Lᵀ)⁻¹·b (out may not alias b). */
export function choleskySolve(
  l: Float64Array,
  p: number,
  b: Float64Array,
  out: Float64Array,
): void {
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * p + k]! * out[k]!;
    out[i] = s / l[i * p + i]!;
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = out[i]!;
    for (let k = i + 1; k < p; k++) s -= l[k * p + i]! * out[k]!;
    out[i] = s / l[i * p + i]!;
  }
}
