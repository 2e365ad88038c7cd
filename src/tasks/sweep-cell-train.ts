import { BiogradError } from "../core/errors.js";
import type { EpochRecord } from "../train/history.js";
import { finiteOrNull, type SweepCellResult } from "./sweep-cell-result.js";
import { runTrainLinear, type TrainLinearRequest } from "./train-linear.js";
import { runTrainNetwork, type TrainNetworkRequest } from "./train-network.js";
import type { TaskOptions } from "./types.js";

/**
 * A training cell: the wrapped `train-linear` or `train-network` task, run as `biograd train`
 * runs it, measured from every epoch's record (not the thinned history): the first epoch's
 * loss, the lowest loss, the clipped steps. Its result is the task's own numbers.
 */
export function runTrainCell(
  run: TrainLinearRequest | TrainNetworkRequest,
  options: TaskOptions,
): SweepCellResult {
  const t0 = performance.now();
  const seen = { first: Number.NaN, best: Number.POSITIVE_INFINITY, clipFractions: 0, epochs: 0 };
  const onEpoch = (r: EpochRecord) => {
    if (seen.epochs === 0) seen.first = r.loss;
    if (r.loss < seen.best) seen.best = r.loss;
    seen.clipFractions += r.clipFraction;
    seen.epochs++;
  };
  let result: { stopReason: string; epochs: number; steps: number; finalLoss: number | null };
  try {
    result =
      run.task === "train-linear"
        ? runTrainLinear(run, { ...options, onEpoch })
        : runTrainNetwork(run, { ...options, onEpoch });
  } catch (error) {
    if (!(error instanceof BiogradError && error.code === "non_finite_gradient")) throw error;
    return {
      initialLoss: finiteOrNull(seen.first),
      finalLoss: null,
      bestLoss: null,
      lastLoss: null,
      epochs: seen.epochs,
      stopReason: "non-finite-gradient",
      epochsToThreshold: null,
      clipFraction: seen.epochs > 0 ? seen.clipFractions / seen.epochs : 0,
      nonFiniteGradient: true,
      timeMs: performance.now() - t0,
    };
  }
  const final = result.finalLoss ?? Number.NaN;
  // Every epoch has the same number of steps, so clipped steps = Σ fraction × steps per epoch.
  const stepsPerEpoch = result.epochs > 0 ? result.steps / result.epochs : 0;
  const clipped = Math.round(seen.clipFractions * stepsPerEpoch);
  return {
    initialLoss: finiteOrNull(seen.first),
    finalLoss: result.finalLoss,
    bestLoss: finiteOrNull(Math.min(seen.best, Number.isNaN(final) ? Infinity : final)),
    lastLoss: result.finalLoss,
    epochs: result.epochs,
    stopReason: result.stopReason,
    epochsToThreshold: result.stopReason === "loss-threshold" ? result.epochs : null,
    clipFraction: result.steps > 0 ? clipped / result.steps : 0,
    nonFiniteGradient: false,
    timeMs: performance.now() - t0,
  };
}
