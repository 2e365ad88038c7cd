/**
 * ln Γ and the pieces of it the incomplete beta needs, written so the large terms cancel
 * analytically instead of in floating point. Everything rests on Stirling's series
 *
 *   ln Γ(z) = (z − ½)·ln z − z + ½·ln 2π + δ(z),
 *   δ(z) = Σ_k B_2k / (2k(2k − 1)·z^(2k−1))   (DLMF 5.11.1, B_2k the Bernoulli numbers),
 *
 * used for z ≥ STIRLING_FROM (the eight terms below leave < 2e-18 there), and below it Γ as a
 * product for integers and halves, else the recurrence ln Γ(z) = ln Γ(z + k) − ln(z···(z+k−1)).
 */

export const STIRLING_FROM = 10;
const HALF_LN_2PI = 0.9189385332046728;
const SQRT_PI = 1.772453850905516;

/** δ(z) = ln Γ(z) − [(z − ½)ln z − z + ½ ln 2π], for z ≥ STIRLING_FROM. */
export function stirlingCorrection(z: number): number {
  const r = 1 / z;
  const r2 = r * r;
  return (
    r *
    (1 / 12 +
      r2 *
        (-1 / 360 +
          r2 *
            (1 / 1260 +
              r2 *
                (-1 / 1680 +
                  r2 *
                    (1 / 1188 + r2 * (-691 / 360360 + r2 * (1 / 156 + r2 * (-3617 / 122400))))))))
  );
}

/** ln Γ(z) for z > 0 (absolute error a few ε·|ln Γ(z)|). */
export function logGamma(z: number): number {
  if (z >= STIRLING_FROM) {
    return (z - 0.5) * Math.log(z) - z + HALF_LN_2PI + stirlingCorrection(z);
  }
  // Integers and halves (every t and F parameter with whole degrees of freedom): Γ itself as
  // a short product, Γ(n) = (n − 1)!, Γ(n + ½) = √π·(n − ½)(n − 3/2)···½, a few ε in all.
  if (Number.isInteger(2 * z)) {
    let gamma = Number.isInteger(z) ? 1 : SQRT_PI;
    for (let k = z - 1; k > 0; k--) gamma *= k;
    return Math.log(gamma);
  }
  let product = 1;
  let shifted = z;
  while (shifted < STIRLING_FROM) product *= shifted++;
  return logGamma(shifted) - Math.log(product);
}

/**
 * ln Γ(a) − ln Γ(a + b) for a ≥ STIRLING_FROM and any b > 0, without subtracting two large
 * logarithms:
 *
 *   = −(a − ½)·ln(1 + b/a) − b·ln(a + b) + b + δ(a) − δ(a + b).
 */
export function logGammaRatio(a: number, b: number): number {
  const c = a + b;
  return (
    -(a - 0.5) * Math.log1p(b / a) -
    b * Math.log(c) +
    b +
    stirlingCorrection(a) -
    stirlingCorrection(c)
  );
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), a, b > 0. */
export function logBeta(a: number, b: number): number {
  const big = Math.max(a, b);
  const small = Math.min(a, b);
  if (big >= STIRLING_FROM) return logGamma(small) + logGammaRatio(big, small);
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

export { HALF_LN_2PI };
