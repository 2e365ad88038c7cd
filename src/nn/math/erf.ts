/**
 * The error function and its complement, for the exact GELU:
 *
 *   erf(x) = (2/√π) ∫₀ˣ e^(−t²) dt,   erfc(x) = 1 − erf(x),   Φ(z) = ½·erfc(−z/√2).
 *
 * W. J. Cody's rational Chebyshev approximations ("Rational Chebyshev approximations for
 * the error function", Math. Comp. 23 (1969) 631–638; the coefficients of his CALERF):
 * - |x| ≤ 0.46875:  erf(x) = x·P₄(x²)/Q₄(x²);
 * - 0.46875 < |x| ≤ 4:  erfc(|x|) = e^(−x²)·P₈(|x|)/Q₈(|x|);
 * - |x| > 4:  erfc(|x|) = e^(−x²)/|x| · (1/√π − R(1/x²)),  R = x⁻²·P₅(x⁻²)/Q₅(x⁻²);
 * - erfc(|x|) = 0 from |x| ≥ 26.543, where it underflows.
 * Each approximation is good to ≥ 18 significant digits in exact arithmetic. The factor
 * e^(−x²) is formed as e^(−s²)·e^(−(x−s)(x+s)) with s = ⌊16x⌋/16, so no digits are lost to
 * the rounding of x². erf of negative x by symmetry; erfc(−x) = 2 − erfc(x); erf for
 * |x| > 0.46875 as 1 − erfc. Measured against correctly rounded mpmath values (test/nn/erf.test.ts):
 * within 2 ulps for erf and 4 for erfc and Φ, deep into the tails (erfc(26.5) ≈ 2e-307).
 */
const A = [
  3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315,
] as const;
const B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171] as const;
const C = [
  0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769,
  1712.0476126340707, 2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8,
] as const;
const D = [
  15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597,
  4362.619090143247, 3439.3676741437216, 1230.3393548037495,
] as const;
const P = [
  0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275,
  0.0006587491615298378, 0.016315387137302097,
] as const;
const Q = [
  2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132,
  0.0023352049762686918,
] as const;

const THRESHOLD = 0.46875;
const X_BIG = 26.543;
const INV_SQRT_PI = 0.5641895835477563;

/** erf(x) for |x| ≤ 0.46875. */
function erfSmall(x: number): number {
  const y2 = x * x;
  let num = A[4] * y2;
  let den = y2;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]!) * y2;
    den = (den + B[i]!) * y2;
  }
  return (x * (num + A[3])) / (den + B[3]);
}

/** erfcx(y) = e^(y²)·erfc(y) for 0.46875 < y < 26.543: the rational part, without the exponential. */
function erfcx(y: number): number {
  if (y <= 4) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * y;
      den = (den + D[i]!) * y;
    }
    return (num + C[7]) / (den + D[7]);
  }
  const z = 1 / (y * y);
  let num = P[5] * z;
  let den = z;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]!) * z;
    den = (den + Q[i]!) * z;
  }
  return (INV_SQRT_PI - (z * (num + P[4])) / (den + Q[4])) / y;
}

/**
 * e^(−c·t²) for c = 1 or ½ without losing digits to the rounding of t²: with s = ⌊16t⌋/16
 * (few bits, so s² is exact), t² = s² + (t − s)(t + s).
 */
function expMinusSquare(t: number, c: number): number {
  const s = Math.trunc(t * 16) / 16;
  return Math.exp(-c * s * s) * Math.exp(-c * (t - s) * (t + s));
}

/** erfc(y) for y > 0.46875. */
function erfcLarge(y: number): number {
  return y >= X_BIG ? 0 : expMinusSquare(y, 1) * erfcx(y);
}

export function erf(x: number): number {
  const y = Math.abs(x);
  if (y <= THRESHOLD) return erfSmall(x);
  if (Number.isNaN(x)) return x;
  const v = 0.5 - erfcLarge(y) + 0.5;
  return x < 0 ? -v : v;
}

export function erfc(x: number): number {
  const y = Math.abs(x);
  if (y <= THRESHOLD) return 1 - erfSmall(x);
  if (Number.isNaN(x)) return x;
  const r = erfcLarge(y);
  return x < 0 ? 2 - r : r;
}

/**
 * Standard normal CDF Φ(z) = ½·erfc(−z/√2). In the lower tail the factor e^(−z²/2) is formed
 * from z itself (not from the rounded z/√2, whose relative error would be amplified by z²),
 * so Φ keeps a few-ulp relative accuracy down to its underflow; no 1 − erf cancellation.
 */
export function normalCdf(z: number): number {
  const x = -z * Math.SQRT1_2;
  if (x <= THRESHOLD || Number.isNaN(x)) return 0.5 * erfc(x);
  return x >= X_BIG ? 0 : 0.5 * expMinusSquare(z, 0.5) * erfcx(x);
}

/** Standard normal density φ(z) = e^(−z²/2)/√(2π). */
export function normalPdf(z: number): number {
  return 0.3989422804014327 * Math.exp(-0.5 * z * z);
}
