import type { Model, RowRange } from "../core/model.js";
import type { StepContext } from "../transforms/types.js";
import type { StopReason } from "./history.js";
import type { HistoryBuffer } from "./history-buffer.js";
import { fillRow } from "./record-columns.js";
import { applyStep, measureStep, type StepReading } from "./step.js";
import type { TrainOptions } from "./train-options.js";
import type { RunState } from "./train-run.js";

/**
 * Whether a run can take `plainEpochs`: full batch, and none of the options that make an
 * epoch more than a step, the detector and a history row (guards, validation, metrics,
 * per-epoch callbacks, checkpoints).
 */
export function isPlainRun<S>(options: TrainOptions<S>, fullBatch: boolean): boolean {
  return (
    fullBatch &&
    !options.keepBest &&
    !options.stepBack &&
    !options.relativeImprovement &&
    !options.stopOnSkippedStep &&
    options.validation === undefined &&
    options.metrics === undefined &&
    options.onEpoch === undefined &&
    options.onLog === undefined &&
    options.checkpoint === undefined
  );
}

/**
 * The trainer's epoch loop for a plain full-batch run (`isPlainRun`): the general loop's
 * work for such a run, the same numbers in the same order, in a function of its own. In the
 * general loop, which also handles mini-batches, guards, validation and callbacks, V8 spends
 * its inlining budget before reaching the step; here the step, the detector and the history
 * write are inlined, and the epoch's record goes to the history as numbers. Returns why it
 * stopped; `run.epoch` is then the next epoch to run, as after the general loop.
 */
export function plainEpochs<S>(
  model: Model,
  options: TrainOptions<S>,
  run: RunState<S>,
  ctx: StepContext,
  rows: RowRange,
  reading: StepReading,
  tensorNorms: Float64Array | null,
  tensorNormsAfter: Float64Array | null,
  history: HistoryBuffer,
): StopReason {
  const { transform, signal, onWarning, lossThreshold, patience, epochs } = options;
  const minDelta = options.minDelta ?? 0;
  const { params, grad, state, detector } = run;
  const b = run.book;
  const n = model.rows;
  // What `addEpoch` would store of the norms: none in rows without room for them.
  const rowTensors = history.keepsTensors ? tensorNorms : null;
  const rowAfter = history.keepsTensors ? tensorNormsAfter : null;
  for (; run.epoch < epochs; run.epoch++) {
    if (signal?.aborted) return "interrupted"; // (no checkpoint to save: not a plain run)
    const epoch = run.epoch;
    measureStep(model, params, grad, ctx, rows, reading, tensorNorms);
    applyStep(
      params,
      grad,
      transform,
      state,
      ctx,
      b.steps,
      reading,
      tensorNorms,
      tensorNormsAfter,
      b.stepScale,
    );
    b.steps++;
    // The general loop's epoch sums for one step, divided as it divides them.
    const loss = (reading.loss * n) / n;
    // (A skipped step: 0 / 0 applied steps, NaN as the division makes it, bits included.)
    const skipped = reading.skipped;
    const applied = skipped ? 0 : 1;
    const gradNorm = (skipped ? 0 : reading.gradNorm) / applied;
    const clippedNorm = (skipped ? 0 : reading.clippedNorm) / applied;
    const clipFraction = !skipped && reading.clipped ? 1 : 0;
    if (!skipped && !Number.isNaN(reading.lr)) b.lr = reading.lr;
    const threshold = reading.threshold;
    if (detector !== null && tensorNorms !== null) {
      const warning = detector.observe(epoch, loss, gradNorm, clipFraction, threshold, tensorNorms);
      if (warning) {
        run.warnings.push(warning);
        onWarning?.(warning);
      }
    }
    // The row written here, as numbers still in registers (a call would box them).
    const at = history.claimRow();
    if (at >= 0) {
      fillRow(
        history.rowStore,
        at,
        epoch,
        loss,
        gradNorm,
        clippedNorm,
        clipFraction,
        b.lr,
        threshold,
        skipped ? 1 : 0,
        reading.zeroed,
        rowTensors,
        rowAfter,
      );
    } else {
      history.addEpoch(
        epoch,
        loss,
        gradNorm,
        clippedNorm,
        clipFraction,
        b.lr,
        threshold,
        skipped ? 1 : 0,
        reading.zeroed,
        tensorNorms,
        tensorNormsAfter,
      );
    }
    let stop: StopReason | null = null;
    if (!Number.isFinite(loss)) stop = "diverged";
    else if (lossThreshold !== undefined && loss <= lossThreshold) stop = "loss-threshold";
    else if (patience !== undefined) {
      if (loss < b.best - minDelta) {
        b.best = loss;
        b.sinceBest = 0;
      } else if (++b.sinceBest >= patience) stop = "patience";
    }
    if (stop !== null) {
      run.epoch++;
      return stop;
    }
  }
  return "max-epochs";
}
