import { studentTQuantile, twoSidedPValue } from "./student-t.js";
import type { NlsSummary } from "./summary-types.js";

/**
 * From (JᵀJ)⁻¹ and s² = RSS/df: the covariance s²(JᵀJ)⁻¹, standard errors, t and two-sided p
 * values (Student t with df degrees of freedom), Wald intervals θ̂ ± t_(df,(1+level)/2)·se and
 * the correlation matrix. Without `withPValues` the p values are null.
 */
export function inference(
  theta: Float64Array,
  inverse: Float64Array,
  s2: number,
  df: number,
  conf: number,
  withPValues = true,
): Pick<
  NlsSummary,
  | "sigma"
  | "standardErrors"
  | "tValues"
  | "pValues"
  | "lower"
  | "upper"
  | "covariance"
  | "correlation"
> {
  const p = theta.length;
  const covariance = new Float64Array(p * p);
  for (let k = 0; k < p * p; k++) covariance[k] = inverse[k]! * s2;
  const se = new Float64Array(p);
  for (let j = 0; j < p; j++) se[j] = Math.sqrt(covariance[j * p + j]!);
  const correlation = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) {
      correlation[a * p + b] =
        a === b ? 1 : inverse[a * p + b]! / Math.sqrt(inverse[a * p + a]! * inverse[b * p + b]!);
    }
  }
  const q = studentTQuantile(0.5 + conf / 2, df);
  const tValues = new Float64Array(p);
  const lower = new Float64Array(p);
  const upper = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    tValues[j] = theta[j]! / se[j]!;
    lower[j] = theta[j]! - q * se[j]!;
    upper[j] = theta[j]! + q * se[j]!;
  }
  let pValues: Float64Array | null = null;
  if (withPValues) {
    pValues = new Float64Array(p);
    for (let j = 0; j < p; j++) pValues[j] = twoSidedPValue(tValues[j]!, df);
  }
  return {
    sigma: Math.sqrt(s2),
    standardErrors: se,
    tValues,
    pValues,
    lower,
    upper,
    covariance,
    correlation,
  };
}

/** 1 − RSS/TSS with the weighted mean; null without y or when TSS is 0 or not finite. */
export function rSquared(
  rss: number,
  y: Float64Array | null,
  weights: Float64Array | null,
): number | null {
  if (y === null) return null;
  let sw = 0;
  let swy = 0;
  for (let i = 0; i < y.length; i++) {
    const w = weights === null ? 1 : weights[i]!;
    sw += w;
    swy += w * y[i]!;
  }
  const mean = swy / sw;
  let tss = 0;
  for (let i = 0; i < y.length; i++) {
    const w = weights === null ? 1 : weights[i]!;
    tss += w * (y[i]! - mean) ** 2;
  }
  return rSquaredOf(rss, tss);
}

/**
 * 1 − RSS/TSS from a total sum of squares already at hand (null when TSS is 0 or not
 * finite): `rSquared` without its two passes over y, for a caller that has the constant
 * model's RSS — the same number when it is computed by the same operations.
 */
export function rSquaredOf(rss: number, tss: number): number | null {
  return tss > 0 && Number.isFinite(tss) ? 1 - rss / tss : null;
}
