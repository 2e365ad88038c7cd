import { BiogradError } from "../../core/errors.js";

/**
 * Softmax cross-entropy for K classes from logits z (rows × K, row-major) and class indices
 * y_i ∈ {0, …, K−1}, in the stable log-sum-exp form (shift by the row maximum m_i):
 *
 *   lse_i = m_i + log Σ_k e^(z_ik − m_i),   l_i = lse_i − z_{i,y_i}
 *   ∂l_i/∂z_ik = softmax(z_i)_k − [k = y_i],   softmax(z_i)_k = e^(z_ik − lse_i)
 *
 * Per-class weights w (length K) weight row i by w_{y_i}; the reduction is the weighted mean
 * L = Σ w_{y_i}·l_i / Σ w_{y_i} (PyTorch's CrossEntropyLoss(weight=…, reduction="mean")),
 * ∂L/∂z_ik = w_{y_i}·(softmax_ik − [k = y_i]) / Σ w_{y_i}. Without weights: the plain mean.
 * A batch whose weights sum to 0 has loss 0 and gradient 0. `scale` (default 1/Σw) lets a
 * model split a batch into chunks and pass 1/Σw of the whole batch.
 */
export function softmaxCrossEntropyLoss(
  logits: Float64Array,
  labels: Float64Array,
  rows: number,
  classes: number,
  dLogits: Float64Array,
  classWeights: Float64Array | null = null,
  scale = 1 / classWeightTotal(labels, rows, classes, classWeights),
): number {
  const s = Number.isFinite(scale) ? scale : 0;
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const y = checkLabel(labels[i]!, classes, i);
    const row = i * classes;
    const lse = logSumExp(logits, row, classes);
    const w = classWeights === null ? 1 : classWeights[y]!;
    sum += w * (lse - logits[row + y]!);
    const g = s * w;
    for (let k = 0; k < classes; k++) dLogits[row + k] = g * Math.exp(logits[row + k]! - lse);
    dLogits[row + y]! -= g;
  }
  return s === 0 ? 0 : sum * s;
}

/** Row-wise softmax of `rows` × K logits into `out` (may be the same buffer). */
export function softmaxRows(
  logits: Float64Array,
  rows: number,
  classes: number,
  out: Float64Array,
): void {
  for (let i = 0; i < rows; i++) {
    const row = i * classes;
    const lse = logSumExp(logits, row, classes);
    for (let k = 0; k < classes; k++) out[row + k] = Math.exp(logits[row + k]! - lse);
  }
}

/** log Σ_k e^(x_k) over x[from, from + K), shifted by the maximum (no overflow). */
export function logSumExp(x: Float64Array, from: number, count: number): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let k = from; k < from + count; k++) if (x[k]! > m || Number.isNaN(x[k]!)) m = x[k]!;
  if (!Number.isFinite(m)) return m; // all −∞, or a NaN or +∞ entry: no finite shift exists
  let s = 0;
  for (let k = from; k < from + count; k++) s += Math.exp(x[k]! - m);
  return m + Math.log(s);
}

/** Σ w_{y_i} over `rows` labels (the row count without weights). */
export function classWeightTotal(
  labels: Float64Array,
  rows: number,
  classes: number,
  classWeights: Float64Array | null,
): number {
  if (classWeights === null) return rows;
  let total = 0;
  for (let i = 0; i < rows; i++) total += classWeights[checkLabel(labels[i]!, classes, i)]!;
  return total;
}

function checkLabel(y: number, classes: number, row: number): number {
  if (!(Number.isInteger(y) && y >= 0 && y < classes)) {
    throw new BiogradError(
      "bad_input",
      `softmaxCrossEntropyLoss: labels[${row}] is ${y}; expected a class index 0..${classes - 1}`,
    );
  }
  return y;
}
