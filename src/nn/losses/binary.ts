import { sigmoid } from "../layers/activation-kernels.js";

/**
 * Binary cross-entropy from logits z (one per row) and targets t ∈ [0, 1], in the stable
 * form (no log of a rounded probability, no overflow of e^z):
 *
 *   l_i = max(z_i, 0) − z_i·t_i + log1p(e^(−|z_i|))       (= −t·log σ(z) − (1−t)·log(1−σ(z)))
 *   ∂l_i/∂z_i = σ(z_i) − t_i
 *
 * Class weights w = [w_neg, w_pos] weight row i by w_i = w_neg·(1 − t_i) + w_pos·t_i (the
 * class weight for 0/1 labels). Reduction: the weighted mean
 *
 *   L = Σ w_i·l_i / Σ w_i,     ∂L/∂z_i = w_i·(σ(z_i) − t_i) / Σ w_i
 *
 * like PyTorch's CrossEntropyLoss(weight=…, reduction="mean"). (PyTorch's
 * BCEWithLogitsLoss(pos_weight=…) divides by the row count instead and scales only the
 * positive term; with equal weights the two agree.) Without weights, w_i = 1: the plain mean.
 * A batch whose weights sum to 0 has loss 0 and gradient 0. `scale` (default 1/Σw) lets a
 * model split a batch into chunks and pass 1/Σw of the whole batch.
 */
export function bceWithLogitsLoss(
  logits: Float64Array,
  targets: Float64Array,
  count: number,
  dLogits: Float64Array,
  classWeights: Float64Array | null = null,
  scale = 1 / binaryWeightTotal(targets, count, classWeights),
): number {
  const s = Number.isFinite(scale) ? scale : 0;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const z = logits[i]!;
    const t = targets[i]!;
    const w = classWeights === null ? 1 : binaryWeight(classWeights, t);
    sum += w * (Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z))));
    dLogits[i] = s * w * (sigmoid(z) - t);
  }
  return s === 0 ? 0 : sum * s;
}

/** The weight of a row with target t: w_neg·(1 − t) + w_pos·t. */
export function binaryWeight(classWeights: Float64Array, t: number): number {
  return classWeights[0]! * (1 - t) + classWeights[1]! * t;
}

/** Σ w_i over `count` targets (the count itself without weights). */
export function binaryWeightTotal(
  targets: Float64Array,
  count: number,
  classWeights: Float64Array | null,
): number {
  if (classWeights === null) return count;
  let total = 0;
  for (let i = 0; i < count; i++) total += binaryWeight(classWeights, targets[i]!);
  return total;
}
