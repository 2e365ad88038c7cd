import { BiogradError } from "../core/errors.js";
import type { Model } from "../core/model.js";
import { createRng } from "../core/rng.js";
import type { Dataset } from "../data/dataset.js";
import { linearModel } from "../models/linear.js";
import { train } from "../train/trainer.js";
import { datasetOf } from "./data-cache.js";
import { finiteOrNull, type RunRecord } from "./record.js";
import type { TrainRunSpec } from "./spec.js";
import { runTransform } from "./transforms.js";

/** The models a train run can name; another model plugs in here. */
export const TRAIN_MODELS: Record<TrainRunSpec["model"], (data: Dataset) => Model> = {
  linear: linearModel,
};

/**
 * Runs `train(model(readDataset(…)), …)` as `biograd train` would with the spec's settings
 * and measures the run (see RunRecord). A NaN/±Inf gradient stopped by a clip's `error`
 * policy is a result (the run diverged), not a failure of the sweep.
 */
export function runTrain(spec: TrainRunSpec): RunRecord {
  const data = datasetOf(spec);
  const t0 = performance.now();
  const model = TRAIN_MODELS[spec.model](data);
  // The trainer draws the start from a generator seeded with `seed`; draw the same start here
  // to measure the initial loss without touching the trainer's stream.
  const start = new Float64Array(model.layout.size);
  model.init(start, createRng(spec.seed));
  const grad = new Float64Array(model.layout.size);
  const initialLoss = model.lossAndGrad(start, grad, { order: null, start: 0, end: model.rows });
  const transform = runTransform(spec.clip, spec.optimizer, spec.onNonFinite);
  const batchSize = Math.min(spec.batchSize ?? model.rows, model.rows);
  const stepsPerEpoch = Math.ceil(model.rows / batchSize);

  let result: ReturnType<typeof train>;
  try {
    result = train(model, {
      transform,
      epochs: spec.epochs,
      batchSize,
      lossThreshold: spec.lossThreshold ?? undefined,
      seed: spec.seed,
    });
  } catch (error) {
    if (!(error instanceof BiogradError && error.code === "non_finite_gradient")) throw error;
    return {
      initialLoss: finiteOrNull(initialLoss),
      finalLoss: null,
      bestLoss: null,
      lastLoss: null,
      epochs: 0,
      stopReason: "non-finite-gradient",
      epochsToThreshold: null,
      clipFraction: 0,
      nonFiniteGradient: true,
      timeMs: performance.now() - t0,
    };
  }
  let best = Number.POSITIVE_INFINITY;
  let clipped = 0;
  for (const r of result.history) {
    if (r.loss < best) best = r.loss;
    clipped += r.clipFraction * stepsPerEpoch;
  }
  if (result.finalLoss < best) best = result.finalLoss;
  return {
    initialLoss: finiteOrNull(initialLoss),
    finalLoss: finiteOrNull(result.finalLoss),
    bestLoss: finiteOrNull(best),
    lastLoss: finiteOrNull(result.finalLoss),
    epochs: result.epochs,
    stopReason: result.stopReason,
    epochsToThreshold: result.stopReason === "loss-threshold" ? result.epochs : null,
    clipFraction: result.steps > 0 ? Math.round(clipped) / result.steps : 0,
    nonFiniteGradient: false,
    timeMs: performance.now() - t0,
  };
}
