import { OptionError } from "../core/errors.js";
import { toNamed } from "../core/layout.js";
import type { Model, RowRange } from "../core/model.js";
import { createRng, shuffleInPlace } from "../core/rng.js";
import { createContext } from "../transforms/types.js";
import type { TrainingWarning } from "./diagnostics.js";
import type { EpochRecord, StopReason } from "./history.js";
import { HistoryBuffer } from "./history-buffer.js";
import { withLazyHistory } from "./lazy-history-result.js";
import { isPlainRun, plainEpochs } from "./plain-epochs.js";
import { applyStep, measureStep, type StepReading, takeStep } from "./step.js";
import { checkTrainOptions, type TrainOptions, type TrainResult } from "./train-options.js";
import { makeCheckpoint, type RunState, resumeRun, startRun } from "./train-run.js";

export type {
  CheckpointOptions,
  RelativeImprovement,
  TrainOptions,
  TrainResult,
  ValidationOptions,
} from "./train-options.js";

/**
 * The trainer loop: epochs of (shuffled) mini-batches through the step, a thinned history,
 * and the first stopping rule that fires. Full batch, it can also keep the best point, step
 * back from a non-finite loss and stop on relative improvement (what a curve fit's first-order
 * phase needs). It stops at an epoch boundary when `signal` is aborted, saving a checkpoint
 * that `resumeFrom` continues bit for bit. Reports through callbacks; never prints.
 */
export function train<S>(model: Model, options: TrainOptions<S>): TrainResult<S> {
  checkTrainOptions(options as TrainOptions<unknown>);
  const { transform, validation, metrics, onEpoch, onLog, onWarning, signal } = options;
  const n = model.rows;
  const batchSize = Math.min(options.batchSize ?? n, n);
  const fullBatch = batchSize === n;
  const guarded = Boolean(
    options.keepBest ||
      options.stepBack ||
      options.relativeImprovement ||
      options.stopOnSkippedStep,
  );
  if (guarded && !fullBatch) {
    const what = "the full batch (keepBest, stepBack, relativeImprovement, stopOnSkippedStep)";
    throw new OptionError("train", "batchSize", options.batchSize, what);
  }
  const { layout } = model;
  const start = options.start;
  if (start && start.length !== layout.size) {
    const expected = `an array of ${layout.size} values (one per parameter)`;
    throw new OptionError("train", "start", `${start.length} values`, expected);
  }
  const order = fullBatch ? null : Uint32Array.from({ length: n }, (_, i) => i);
  const run: RunState<S> = options.resumeFrom
    ? resumeRun(model, options, options.resumeFrom, order)
    : startRun(model, options, createRng(options.seed ?? 0));
  const { params, grad, state, rng, detector } = run;
  const ctx = createContext(layout, params);
  const rows: RowRange = { order, start: 0, end: n };
  // Double fields start as doubles (NaN, not 0): a field first given a small integer changes
  // its representation at the first fraction stored, deoptimising the code that used it.
  const reading: StepReading = {
    loss: Number.NaN,
    gradNorm: Number.NaN,
    clippedNorm: Number.NaN,
    clipped: false,
    skipped: false,
    zeroed: 0,
    lr: Number.NaN,
    threshold: Number.NaN,
    rawNorm: Number.NaN,
  };
  const tensorNorms = detector ? new Float64Array(layout.entries.length) : null;
  const tensorNormsAfter = detector ? new Float64Array(layout.entries.length) : null;
  const names = layout.entries.map((e) => e.name);
  const history = new HistoryBuffer(
    options,
    names,
    run.historyContents,
    options.epochs - run.epoch,
    tensorNorms !== null,
  );
  // A fresh run's history keeps every epoch the detector looks back on: it reads them there.
  if (detector && run.historyContents === undefined) detector.readWindowFrom(history);
  const scratch: EpochRecord = {
    epoch: 0,
    loss: Number.NaN,
    gradNorm: Number.NaN,
    clippedNorm: Number.NaN,
    clipFraction: Number.NaN,
    lr: Number.NaN,
    threshold: Number.NaN,
    skippedSteps: 0,
    zeroedEntries: 0,
  };
  const relative = options.relativeImprovement;
  const b = run.book;

  /** Best-point and relative-improvement bookkeeping for a full-batch loss at `params`. */
  const observePoint = (loss: number, epoch: number): StopReason | null => {
    if (loss < b.bestLoss) {
      b.bestLoss = loss;
      run.bestParams?.set(params);
    }
    if (!relative) return null;
    if (Number.isNaN(b.referenceLoss)) {
      b.referenceLoss = loss;
      b.lastImprovement = epoch + 1;
    } else if (b.referenceLoss - b.bestLoss > relative.relTol * b.referenceLoss) {
      b.referenceLoss = b.bestLoss;
      b.lastImprovement = epoch;
    } else if (epoch - b.lastImprovement >= relative.patience) {
      return "converged";
    }
    return null;
  };

  let stopReason: StopReason = "max-epochs";
  const firstEpoch = run.epoch;
  const t0 = performance.now();
  const plain = isPlainRun(options, fullBatch);
  if (plain) {
    stopReason = plainEpochs(
      model,
      options,
      run,
      ctx,
      rows,
      reading,
      tensorNorms,
      tensorNormsAfter,
      history,
      scratch,
    );
  }
  for (; !plain && run.epoch < options.epochs; run.epoch++) {
    if (signal?.aborted) {
      stopReason = "interrupted";
      options.checkpoint?.save(makeCheckpoint(run, history, tensorNorms !== null));
      break;
    }
    const epoch = run.epoch;
    let lossSum = 0;
    let normSum = 0;
    let clippedNormSum = 0;
    let clippedSteps = 0;
    let skippedSteps = 0;
    let zeroedEntries = 0;
    let epochSteps = 0;
    if (order) {
      shuffleInPlace(order, rng);
      for (let s = 0; s < n; s += batchSize) {
        rows.start = s;
        rows.end = Math.min(s + batchSize, n);
        const last = s + batchSize >= n;
        takeStep(
          model,
          params,
          grad,
          transform,
          state,
          ctx,
          rows,
          b.steps,
          reading,
          last ? tensorNorms : null,
          last ? tensorNormsAfter : null,
        );
        b.steps++;
        epochSteps++;
        lossSum += reading.loss * (rows.end - rows.start);
        zeroedEntries += reading.zeroed;
        if (reading.skipped) {
          skippedSteps++;
          continue;
        }
        normSum += reading.gradNorm;
        clippedNormSum += reading.clippedNorm;
        if (reading.clipped) clippedSteps++;
        if (!Number.isNaN(reading.lr)) b.lr = reading.lr;
      }
    } else {
      measureStep(model, params, grad, ctx, rows, reading, tensorNorms);
      let steppedBack = false;
      if (options.stepBack && !Number.isFinite(reading.loss) && b.hasPrevious) {
        // The last step landed where the loss is undefined: undo it, shorten later steps.
        params.set(run.previousParams!);
        b.stepScale /= 2;
        b.stepsTakenBack++;
        steppedBack = true;
        measureStep(model, params, grad, ctx, rows, reading, tensorNorms);
      }
      if (guarded && !Number.isFinite(reading.loss)) {
        stopReason = "diverged"; // nothing finite to step back to
        break;
      }
      if (!steppedBack && (options.keepBest || relative)) {
        const stop = observePoint(reading.loss, epoch);
        if (stop) {
          stopReason = stop;
          break;
        }
      }
      if (options.stepBack) {
        run.previousParams!.set(params);
        b.hasPrevious = true;
      }
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
      if (reading.skipped && options.stopOnSkippedStep) {
        stopReason = "non-finite-gradient";
        break;
      }
      b.steps++;
      epochSteps = 1;
      lossSum = reading.loss * n;
      zeroedEntries = reading.zeroed;
      if (reading.skipped) skippedSteps = 1;
      else {
        normSum = reading.gradNorm;
        clippedNormSum = reading.clippedNorm;
        if (reading.clipped) clippedSteps = 1;
        if (!Number.isNaN(reading.lr)) b.lr = reading.lr;
      }
    }
    const applied = epochSteps - skippedSteps;
    // One record object reused every epoch: the history copies its numbers into columns.
    const record = scratch;
    record.epoch = epoch;
    record.loss = lossSum / n;
    record.gradNorm = normSum / applied;
    record.clippedNorm = clippedNormSum / applied;
    record.clipFraction = clippedSteps / epochSteps;
    record.lr = b.lr;
    record.threshold = reading.threshold;
    record.skippedSteps = skippedSteps;
    record.zeroedEntries = zeroedEntries;
    if (detector && tensorNorms) {
      const warning = detector.observe(
        epoch,
        record.loss,
        record.gradNorm,
        record.clipFraction,
        record.threshold,
        tensorNorms,
      );
      if (warning) {
        run.warnings.push(warning);
        onWarning?.(warning);
      }
    }
    if (validation) {
      const v = validation.loss(params);
      record.validationLoss = v;
      if (v < b.bestValidation - (validation.minDelta ?? 0)) {
        b.bestValidation = v;
        b.sinceBestValidation = 0;
        b.bestEpoch = epoch;
        run.validationBestParams!.set(params);
      } else {
        b.sinceBestValidation++;
      }
    }
    if (metrics) record.metrics = metrics(params);
    history.add(record, tensorNorms, tensorNormsAfter);
    const logged = onLog !== undefined && epoch % (options.logEvery ?? 1) === 0;
    // Callbacks may keep what they get: they get a record of their own.
    const given =
      onEpoch || logged ? ownRecord(record, names, tensorNorms, tensorNormsAfter) : null;
    if (given) onEpoch?.(given);

    if (!Number.isFinite(record.loss)) stopReason = "diverged";
    else if (validation?.patience !== undefined && b.sinceBestValidation >= validation.patience) {
      stopReason = "early-stopping";
    } else if (options.lossThreshold !== undefined && record.loss <= options.lossThreshold) {
      stopReason = "loss-threshold";
    } else if (options.patience !== undefined) {
      if (record.loss < b.best - (options.minDelta ?? 0)) {
        b.best = record.loss;
        b.sinceBest = 0;
      } else if (++b.sinceBest >= options.patience) {
        stopReason = "patience";
      }
    }
    if (logged && given) onLog(given);
    if (stopReason !== "max-epochs") {
      run.epoch++;
      break;
    }
    const every = options.checkpoint?.every;
    if (every !== undefined && (epoch + 1) % every === 0 && epoch + 1 < options.epochs) {
      run.epoch++; // the checkpoint resumes at the next epoch
      options.checkpoint!.save(makeCheckpoint(run, history, tensorNorms !== null));
      run.epoch--;
    }
  }
  const totalMs = performance.now() - t0;
  rows.order = null;
  rows.start = 0;
  rows.end = n;

  if (guarded && stopReason === "max-epochs") {
    // The point after the last step is a candidate too (a first-order phase looks at it).
    const loss = model.lossAndGrad(params, grad, rows);
    if (Number.isFinite(loss)) stopReason = observePoint(loss, run.epoch) ?? stopReason;
  }
  let bestEpoch: number | undefined;
  if (options.keepBest && b.bestLoss < Number.POSITIVE_INFINITY) params.set(run.bestParams!);
  else if (validation && (validation.restoreBest ?? true) && b.bestEpoch !== undefined) {
    params.set(run.validationBestParams!);
    bestEpoch = b.bestEpoch;
  }
  const finalLoss = model.lossAndGrad(params, grad, rows);
  const ran = run.epoch - firstEpoch;
  const fields: Omit<TrainResult<S>, "history"> = {
    layout,
    state,
    params,
    named: toNamed(layout, params),
    stopReason,
    epochs: run.epoch,
    steps: b.steps,
    historyStride: history.stride,
    epochsRecorded: history.length,
    stepsTakenBack: b.stepsTakenBack,
    finalLoss,
    bestEpoch,
    warnings: run.warnings as TrainingWarning[],
    timings: { totalMs, msPerEpoch: totalMs / Math.max(ran, 1) },
  };
  return withLazyHistory(fields, history);
}

/** A fresh record with the per-tensor norms as objects keyed by tensor name (for callbacks). */
function ownRecord(
  r: EpochRecord,
  names: readonly string[],
  tensors: Float64Array | null,
  after: Float64Array | null,
): EpochRecord {
  const out: EpochRecord = {
    epoch: r.epoch,
    loss: r.loss,
    gradNorm: r.gradNorm,
    clippedNorm: r.clippedNorm,
    clipFraction: r.clipFraction,
    lr: r.lr,
    threshold: r.threshold,
    skippedSteps: r.skippedSteps,
    zeroedEntries: r.zeroedEntries,
  };
  if (tensors && after) {
    out.tensorNorms = Object.fromEntries(names.map((name, j) => [name, tensors[j]!]));
    out.tensorNormsAfter = Object.fromEntries(names.map((name, j) => [name, after[j]!]));
  }
  if (r.validationLoss !== undefined) out.validationLoss = r.validationLoss;
  if (r.metrics !== undefined) out.metrics = r.metrics;
  return out;
}
