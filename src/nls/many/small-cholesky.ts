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
