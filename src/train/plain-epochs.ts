import type { Model, RowRange } from "../core/model.js";
import type { StepContext } from "../transforms/types.js";
import type { EpochRecord, StopReason } from "./history.js";
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
 * write are inlined, and the epoch's row is written in place. `record` is the trainer's
 * scratch record (no validation loss or metrics), filled each epoch. Returns why it
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
  record: EpochRecord,
): StopReason {
  const { transform, signal, onWarning, lossThreshold, patience, epochs } = options;
  const minDelta = options.minDelta ?? 0;
  const { params, grad, state, detector } = run;
  const b = run.book;
  const n = model.rows;
  // What `add` would store of the norms: none in rows without room for them.
  const rowTensors = history.keepsTensors ? tensorNorms : null;
  const rowAfter = history.keepsTensors ? tensorNormsAfter : null;
  // (A run without step-backs has scale 1: passed as the constant, it is never boxed.)
  const scale = b.stepScale;
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
      scale === 1 ? 1 : scale,
    );
    b.steps++;
    // The general loop's epoch sums for one step, divided as it divides them.
    // (A skipped step: 0 / 0 applied steps, NaN as the division makes it, bits included.)
    const skipped = reading.skipped;
    const applied = skipped ? 0 : 1;
    if (!skipped && !Number.isNaN(reading.lr)) b.lr = reading.lr;
    record.epoch = epoch;
    record.loss = (reading.loss * n) / n;
    record.gradNorm = (skipped ? 0 : reading.gradNorm) / applied;
    record.clippedNorm = (skipped ? 0 : reading.clippedNorm) / applied;
    record.clipFraction = !skipped && reading.clipped ? 1 : 0;
    record.lr = b.lr;
    record.threshold = reading.threshold;
    record.skippedSteps = skipped ? 1 : 0;
    record.zeroedEntries = reading.zeroed;
    if (detector !== null && tensorNorms !== null) {
      const warning = detector.observeEpoch(record, tensorNorms);
      if (warning) {
        run.warnings.push(warning);
        onWarning?.(warning);
      }
    }
    // The row written here (no call to `add` and its checkpoint branches) when it can be.
    const at = history.claimRow();
    if (at >= 0) fillRow(history.rowStore, at, record, rowTensors, rowAfter);
    else history.add(record, tensorNorms, tensorNormsAfter);
    const loss = record.loss;
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
