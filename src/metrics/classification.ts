import { InputError } from "../core/errors.js";
import {
  checkClassCount,
  checkClasses,
  checkFinite,
  checkLengths,
  checkProbabilities,
} from "./check.js";

/**
 * Classification metrics. Labels are class indices stored in Float64Arrays (0/1 for binary
 * tasks, 0..K−1 for K classes — what `encodeLabels` gives); multiclass probabilities are
 * n × K, row-major (row i, class k at probs[i·K + k]).
 */

/**
 * The clipping of the log-loss: probabilities are clipped to [ε, 1 − ε] with ε = 1e-15
 * by default, so a confident wrong prediction (p = 0 for the observed class) costs
 * −log(1e-15) ≈ 34.54 instead of +∞. (scikit-learn's `log_loss` defaulted to 1e-15 before
 * 1.2 and to float64 machine epsilon, ≈ 2.2e-16, from 1.2; pass `eps` to match either.)
 */
export const LOG_LOSS_EPS = 1e-15;

export interface LogLossOptions {
  /** Clipping ε in (0, 0.5); default `LOG_LOSS_EPS` (1e-15). */
  eps?: number;
}

export interface MulticlassOptions extends LogLossOptions {
  /** Number of classes K ≥ 2 (columns of the probability matrix). */
  classes: number;
}

/** Fraction of rows where the predicted class equals the true class. */
export function accuracy(yTrue: Float64Array, yPred: Float64Array): number {
  checkLengths("accuracy", yTrue, "yTrue", yPred, "yPred");
  checkFinite("accuracy", yTrue, "yTrue");
  checkFinite("accuracy", yPred, "yPred");
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hits++;
  return hits / yTrue.length;
}

/**
 * Binary log-loss (mean cross-entropy), natural logarithm:
 *   −(1/n) Σ_i log clip(q_i, ε, 1 − ε),   q_i = p_i if y_i = 1, 1 − p_i if y_i = 0,
 * where p_i = P(class 1) ∈ [0, 1]. The probability of the OBSERVED class is clipped, so
 * the two classes are treated alike: p = 0 with y = 1 and p = 1 with y = 0 both cost
 * −log ε. (scikit-learn 1.2 clips p before forming 1 − p, so for y = 0, p = 1 it gives
 * −log(1 − fl(1 − ε)), 34.43 rather than 34.54 at ε = 1e-15; otherwise the two agree.)
 */
export function logLoss(
  yTrue: Float64Array,
  p: Float64Array,
  options: LogLossOptions = {},
): number {
  const eps = checkEps("logLoss", options.eps);
  checkLengths("logLoss", yTrue, "yTrue", p, "p");
  checkClasses("logLoss", yTrue, "yTrue", 2);
  checkProbabilities("logLoss", p, "p");
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const q = yTrue[i] === 1 ? p[i]! : 1 - p[i]!;
    s -= Math.log(Math.min(Math.max(q, eps), 1 - eps));
  }
  return s / yTrue.length;
}

/**
 * Multiclass log-loss: −(1/n) Σ_i log clip(P[i, y_i], ε, 1 − ε). Each row of `probs` must
 * be probabilities summing to 1 (within 1e-6; pass softmax outputs, not logits). Rows are
 * not renormalised after clipping (scikit-learn 1.2 does renormalise; the two differ only
 * when a probability is below ε).
 */
export function logLossMulticlass(
  yTrue: Float64Array,
  probs: Float64Array,
  options: MulticlassOptions,
): number {
  const k = checkClassCount("logLossMulticlass", options?.classes);
  const eps = checkEps("logLossMulticlass", options.eps);
  checkLengths("logLossMulticlass", yTrue, "yTrue", probs, "probs", k);
  checkClasses("logLossMulticlass", yTrue, "yTrue", k);
  checkProbabilities("logLossMulticlass", probs, "probs");
  checkRowSums("logLossMulticlass", probs, k);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const q = probs[i * k + yTrue[i]!]!;
    s -= Math.log(Math.min(Math.max(q, eps), 1 - eps));
  }
  return s / yTrue.length;
}

/** Binary classes from P(class 1): 1 where p > threshold (default 0.5), else 0. */
export function thresholdClasses(p: Float64Array, threshold = 0.5): Float64Array {
  checkFinite("thresholdClasses", p, "p");
  const out = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = p[i]! > threshold ? 1 : 0;
  return out;
}

/** The class with the largest score in each row (ties: the lowest index, as numpy's argmax). */
export function argmaxClasses(scores: Float64Array, options: { classes: number }): Float64Array {
  const k = checkClassCount("argmaxClasses", options?.classes);
  if (scores.length % k !== 0) {
    throw new InputError(`argmaxClasses: ${scores.length} scores do not make whole rows of ${k}`);
  }
  checkFinite("argmaxClasses", scores, "scores");
  const n = scores.length / k;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (scores[i * k + c]! > scores[i * k + best]!) best = c;
    out[i] = best;
  }
  return out;
}

function checkEps(owner: string, eps: unknown): number {
  if (eps === undefined) return LOG_LOSS_EPS;
  if (typeof eps !== "number" || !(eps > 0 && eps < 0.5)) {
    throw new InputError(`${owner}: eps must be a number in (0, 0.5), got ${String(eps)}`);
  }
  return eps;
}

function checkRowSums(owner: string, probs: Float64Array, k: number): void {
  for (let i = 0; i < probs.length / k; i++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += probs[i * k + c]!;
    if (Math.abs(s - 1) > 1e-6) {
      throw new InputError(
        `${owner}: row ${i} of probs sums to ${s}, not 1; pass probabilities (e.g. softmax outputs), not scores`,
      );
    }
  }
}
