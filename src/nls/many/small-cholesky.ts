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
  if (p === 4) return factorShifted4(a, lambda, l);
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

/**
 * p = 4: the loops above unrolled, every sum in the same order and every entry written as
 * they write it (the shift added as `+ 0` off the diagonal, which turns −0 into +0 as there),
 * so the same bits and the same verdict.
 */
function factorShifted4(a: Float64Array, lambda: number, l: Float64Array): boolean {
  const a00 = a[0]!;
  const a11 = a[5]!;
  const a22 = a[10]!;
  const a33 = a[15]!;
  let scale = 0;
  scale = Math.max(scale, a00);
  scale = Math.max(scale, a11);
  scale = Math.max(scale, a22);
  scale = Math.max(scale, a33);
  const floor = PIVOT_FLOOR * scale;
  let s = a00 + lambda;
  if (!(s > floor) || !Number.isFinite(s)) return false;
  const l00 = Math.sqrt(s);
  l[0] = l00;
  const l10 = (a[4]! + 0) / l00;
  l[4] = l10;
  s = a11 + lambda;
  s -= l10 * l10;
  if (!(s > floor) || !Number.isFinite(s)) return false;
  const l11 = Math.sqrt(s);
  l[5] = l11;
  const l20 = (a[8]! + 0) / l00;
  l[8] = l20;
  s = a[9]! + 0;
  s -= l20 * l10;
  const l21 = s / l11;
  l[9] = l21;
  s = a22 + lambda;
  s -= l20 * l20;
  s -= l21 * l21;
  if (!(s > floor) || !Number.isFinite(s)) return false;
  const l22 = Math.sqrt(s);
  l[10] = l22;
  const l30 = (a[12]! + 0) / l00;
  l[12] = l30;
  s = a[13]! + 0;
  s -= l30 * l10;
  const l31 = s / l11;
  l[13] = l31;
  s = a[14]! + 0;
  s -= l30 * l20;
  s -= l31 * l21;
  const l32 = s / l22;
  l[14] = l32;
  s = a33 + lambda;
  s -= l30 * l30;
  s -= l31 * l31;
  s -= l32 * l32;
  if (!(s > floor) || !Number.isFinite(s)) return false;
  l[15] = Math.sqrt(s);
  return true;
}

/** out = (L·Lᵀ)⁻¹·b (out may not alias b). */
export function choleskySolve(
  l: Float64Array,
  p: number,
  b: Float64Array,
  out: Float64Array,
): void {
  if (p === 4) {
    choleskySolve4(l, b, out);
    return;
  }
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

/** p = 4: choleskySolve's two substitutions unrolled, the same operations in the same order. */
function choleskySolve4(l: Float64Array, b: Float64Array, out: Float64Array): void {
  const l00 = l[0]!;
  const l10 = l[4]!;
  const l11 = l[5]!;
  const l20 = l[8]!;
  const l21 = l[9]!;
  const l22 = l[10]!;
  const l30 = l[12]!;
  const l31 = l[13]!;
  const l32 = l[14]!;
  const l33 = l[15]!;
  let o0 = b[0]! / l00;
  let s = b[1]!;
  s -= l10 * o0;
  let o1 = s / l11;
  s = b[2]!;
  s -= l20 * o0;
  s -= l21 * o1;
  let o2 = s / l22;
  s = b[3]!;
  s -= l30 * o0;
  s -= l31 * o1;
  s -= l32 * o2;
  let o3 = s / l33;
  o3 = o3 / l33;
  s = o2;
  s -= l32 * o3;
  o2 = s / l22;
  s = o1;
  s -= l21 * o2;
  s -= l31 * o3;
  o1 = s / l11;
  s = o0;
  s -= l10 * o1;
  s -= l20 * o2;
  s -= l30 * o3;
  o0 = s / l00;
  out[0] = o0;
  out[1] = o1;
  out[2] = o2;
  out[3] = o3;
}
