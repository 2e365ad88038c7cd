import type { Dataset } from "../data/dataset.js";
import {
  accuracy,
  argmaxClasses,
  logLoss,
  logLossMulticlass,
  mae,
  r2,
  rmse,
  rocAuc,
  rocAucOvr,
  thresholdClasses,
} from "../metrics/index.js";
import type { MlpModel } from "../nn/index.js";

/**
 * Metrics of a network on a data set, from `predict` (never from the training loss, so
 * dropout is off and class weights do not enter): regression → loss (MSE), rmse, mae, r2
 * (in the target's units);
 * classification → loss (log-loss), accuracy, auc (binary; macro one-vs-rest for K ≥ 3).
 * Null when a prediction is not finite (a diverged network).
 */
export function evaluate(
  model: MlpModel,
  params: Float64Array,
  data: Dataset,
  targetScale: { mean: number; sd: number } | null = null,
): Record<string, number> | null {
  const out = new Float64Array(data.rows * model.outputs);
  model.predict(params, data.x, data.rows, out);
  // Overflowed parameters or outputs: a diverged network, nothing to measure.
  if (!out.every(Number.isFinite)) return null;
  if (model.task === "regress") {
    // Metrics in the target's own units when the network was trained on a scaled target.
    const sd = targetScale?.sd ?? 1;
    const e = rmse(data.y, out) * sd;
    return { loss: e * e, rmse: e, mae: mae(data.y, out) * sd, r2: r2(data.y, out) };
  }
  if (model.classes === 2) {
    return {
      loss: logLoss(data.y, out),
      accuracy: accuracy(data.y, thresholdClasses(out)),
      auc: rocAuc(data.y, out),
    };
  }
  const K = model.classes;
  return {
    loss: logLossMulticlass(data.y, out, { classes: K }),
    accuracy: accuracy(data.y, argmaxClasses(out, { classes: K })),
    auc: rocAucOvr(data.y, out, { classes: K }),
  };
}
