import { OptionError } from "../../core/errors.js";

/**
 * Regression losses over `count` predictions p and targets t (a batch of rows × outputs),
 * each returning the loss and writing ∂loss/∂p:
 *
 *   MSE    L = s·Σ r_i²,                                  ∂L/∂p_i = 2·s·r_i
 *   Huber  L = s·Σ h(r_i),  h(r) = ½r² if |r| ≤ δ,
 *                                  δ(|r| − ½δ) otherwise, ∂L/∂p_i = s·clip(r_i, −δ, δ)
 *
 * with r = p − t and s = 1/count by default (the mean, as PyTorch's MSELoss and HuberLoss
 * with reduction="mean"; MSE has no ½, as the linear model's). A model that splits a batch
 * into chunks passes s = 1/(rows in the whole batch), so the chunks' losses and gradients
 * add up to the batch mean.
 */
export function mseLoss(
  pred: Float64Array,
  target: Float64Array,
  count: number,
  dPred: Float64Array,
  scale = 1 / count,
): number {
  let sum = 0;
  const twice = 2 * scale;
  for (let i = 0; i < count; i++) {
    const r = pred[i]! - target[i]!;
    sum += r * r;
    dPred[i] = twice * r;
  }
  return sum * scale;
}

export function huberLoss(
  pred: Float64Array,
  target: Float64Array,
  count: number,
  dPred: Float64Array,
  delta = 1,
  scale = 1 / count,
): number {
  if (!(Number.isFinite(delta) && delta > 0)) {
    throw new OptionError("huberLoss", "delta", delta, "a finite number > 0");
  }
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const r = pred[i]! - target[i]!;
    const a = Math.abs(r);
    if (a <= delta) {
      sum += 0.5 * r * r;
      dPred[i] = scale * r;
    } else {
      sum += delta * (a - 0.5 * delta);
      dPred[i] = scale * (r > 0 ? delta : r < 0 ? -delta : r); // NaN r stays NaN
    }
  }
  return sum * scale;
}
