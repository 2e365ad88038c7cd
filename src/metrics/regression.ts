import { checkFinite, checkLengths } from "./check.js";

/**
 * Regression metrics of predictions `yPred` against observations `yTrue` (equal lengths
 * n ≥ 1, finite values; anything else throws). Plain sums in index order.
 */

/** Root mean squared error: sqrt( (1/n) Σ (y_i − ŷ_i)² ). */
export function rmse(yTrue: Float64Array, yPred: Float64Array): number {
  check("rmse", yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const d = yTrue[i]! - yPred[i]!;
    s += d * d;
  }
  return Math.sqrt(s / yTrue.length);
}

/** Mean absolute error: (1/n) Σ |y_i − ŷ_i|. */
export function mae(yTrue: Float64Array, yPred: Float64Array): number {
  check("mae", yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i]! - yPred[i]!);
  return s / yTrue.length;
}

/**
 * Coefficient of determination: R² = 1 − Σ (y_i − ŷ_i)² / Σ (y_i − ȳ)², with ȳ the mean
 * of yTrue. Can be negative (worse than predicting ȳ). When yTrue is constant the ratio is
 * undefined; as scikit-learn's `r2_score` (force_finite=True), the result is then 1 for
 * perfect predictions and 0 otherwise.
 */
export function r2(yTrue: Float64Array, yPred: Float64Array): number {
  check("r2", yTrue, yPred);
  const n = yTrue.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += yTrue[i]!;
  const mean = sum / n;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    const r = yTrue[i]! - yPred[i]!;
    const t = yTrue[i]! - mean;
    ssRes += r * r;
    ssTot += t * t;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}

function check(owner: string, yTrue: Float64Array, yPred: Float64Array): void {
  checkLengths(owner, yTrue, "yTrue", yPred, "yPred");
  checkFinite(owner, yTrue, "yTrue");
  checkFinite(owner, yPred, "yPred");
}
