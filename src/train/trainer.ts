import { OptionError } from "../core/errors.js";
import { type Layout, toNamed } from "../core/layout.js";
import type { Model, RowRange } from "../core/model.js";
import {
  checkOptions,
  finite,
  nonNegative,
  nonNegativeInteger,
  positiveInteger,
} from "../core/options.js";
import { createRng, shuffleInPlace } from "../core/rng.js";
import { createContext, type Transform } from "../transforms/types.js";
import { createDetector, type DiagnosticsOptions, type TrainingWarning } from "./diagnostics.js";
import type { EpochRecord, StopReason } from "./history.js";
import { type StepReading, takeStep } from "./step.js";

export interface TrainOptions<S = unknown> {
  /** The gradient transformation: clips, guards and an optimizer, usually a `chain`. */
  transform: Transform<S>;
  /** Epoch budget (an epoch is one pass over the rows). */
  epochs: number;
  /** Rows per step; default: all rows (full batch, one step per epoch). */
  batchSize?: number;
  /** Stop once an epoch's loss is <= this. */
  lossThreshold?: number;
  /** Stop after this many epochs without the loss improving by more than `minDelta`. */
  patience?: number;
  /** Improvement that resets the patience count (default 0). */
  minDelta?: number;
  /** Seed for starting values and mini-batch shuffling (default 0). */
  seed?: number;
  /** Starting parameters (copied); default: `model.init` with the seeded generator. */
  start?: Float64Array;
  /**
   * The transform's state to resume from (e.g. `restoreState` of a checkpoint, with `start`
   * the checkpoint's parameters); default: a fresh `transform.init`.
   */
  initialState?: S;
  /** Steps already taken before this run (a resumed run's step count continues from it). */
  firstStep?: number;
  /** Call `onLog` every this many epochs (epochs 0, k, 2k, …), as the seed prints. */
  logEvery?: number;
  /** Validation set: its loss is measured after every epoch and drives early stopping. */
  validation?: ValidationOptions;
  /** Extra measurements after every epoch (e.g. validation accuracy), kept in the history. */
  metrics?: (params: Float64Array) => Record<string, number>;
  /**
   * Gradient diagnostics, on by default: per-tensor norms in the history and plain-words
   * warnings when gradients explode or vanish (`false` turns them off).
   */
  diagnostics?: boolean | DiagnosticsOptions;
  /** Called when a diagnostics warning is raised (also kept in the result). */
  onWarning?: (warning: TrainingWarning) => void;
  /** Called after every epoch. */
  onEpoch?: (record: EpochRecord) => void;
  /** Called every `logEvery` epochs. */
  onLog?: (record: EpochRecord) => void;
}

export interface ValidationOptions {
  /** Loss on the validation rows at `params` (e.g. the model's loss on held-out data). */
  loss: (params: Float64Array) => number;
  /** Stop after this many epochs without the validation loss improving (default: never stop). */
  patience?: number;
  /** Improvement that resets the count (default 0). */
  minDelta?: number;
  /** Return the parameters of the best validation epoch (default true). */
  restoreBest?: boolean;
}

export interface TrainResult<S = unknown> {
  layout: Layout;
  /** The transform's final state (optimizer moments, clip counters), as `init` shaped it. */
  state: S;
  params: Float64Array;
  /** Parameters by name. */
  named: Record<string, number | number[]>;
  stopReason: StopReason;
  epochs: number;
  steps: number;
  history: EpochRecord[];
  /** Full-data loss at the returned parameters. */
  finalLoss: number;
  /** The epoch whose parameters were returned when early stopping restored the best ones. */
  bestEpoch?: number;
  /** Diagnostics warnings raised during the run. */
  warnings: TrainingWarning[];
  timings: { totalMs: number; msPerEpoch: number };
}

/**
 * The trainer loop: epochs of (shuffled) mini-batches through `takeStep`, a history record
 * per epoch, and the first stopping rule that fires. Reports through callbacks; never prints.
 */
export function train<S>(model: Model, options: TrainOptions<S>): TrainResult<S> {
  const {
    transform,
    onEpoch,
    onLog,
    start: startParams,
    validation,
    metrics,
    initialState,
    diagnostics,
    onWarning,
    ...numeric
  } = options;
  checkOptions(
    "train",
    numeric,
    {
      epochs: positiveInteger,
      batchSize: positiveInteger,
      lossThreshold: finite,
      patience: positiveInteger,
      minDelta: nonNegative,
      seed: nonNegativeInteger,
      logEvery: positiveInteger,
      firstStep: nonNegativeInteger,
    },
    ["epochs"],
  );
  if (validation !== undefined) {
    checkOptions(
      "train validation",
      validation,
      {
        loss: (v) => (typeof v === "function" ? null : "a function of the parameters"),
        patience: positiveInteger,
        minDelta: nonNegative,
        restoreBest: (v) => (typeof v === "boolean" ? null : "a boolean"),
      },
      ["loss"],
    );
  }
  if (options.lossThreshold !== undefined && options.lossThreshold < 0) {
    throw new OptionError("train", "lossThreshold", options.lossThreshold, "a finite number >= 0");
  }
  const n = model.rows;
  const batchSize = Math.min(options.batchSize ?? n, n);
  const rng = createRng(options.seed ?? 0);
  const { layout } = model;

  const params = new Float64Array(layout.size);
  if (startParams) {
    if (startParams.length !== layout.size) {
      const expected = `an array of ${layout.size} values (one per parameter)`;
      throw new OptionError("train", "start", `${startParams.length} values`, expected);
    }
    params.set(startParams);
  } else {
    model.init(params, rng);
  }
  const grad = new Float64Array(layout.size);
  const state = initialState ?? transform.init(layout);
  const ctx = createContext(layout, params);
  const fullBatch = batchSize === n;
  const order = fullBatch ? null : Uint32Array.from({ length: n }, (_, i) => i);
  const rows: RowRange = { order, start: 0, end: n };
  const reading: StepReading = {
    loss: 0,
    gradNorm: 0,
    clippedNorm: 0,
    clipped: false,
    skipped: false,
    zeroed: 0,
    lr: Number.NaN,
    threshold: Number.NaN,
  };
  let lr = Number.NaN;
  const detector =
    diagnostics === false
      ? null
      : createDetector(
          layout,
          diagnostics === true || diagnostics === undefined ? {} : diagnostics,
        );
  const tensorNorms = detector ? new Float64Array(layout.entries.length) : null;
  const tensorNormsAfter = detector ? new Float64Array(layout.entries.length) : null;
  const warnings: TrainingWarning[] = [];

  const history: EpochRecord[] = [];
  let stopReason: StopReason = "max-epochs";
  let steps = options.firstStep ?? 0;
  let best = Number.POSITIVE_INFINITY;
  let sinceBest = 0;
  let bestValidation = Number.POSITIVE_INFINITY;
  let sinceBestValidation = 0;
  let bestEpoch: number | undefined;
  const bestParams = validation ? new Float64Array(layout.size) : null;
  const t0 = performance.now();

  for (let epoch = 0; epoch < options.epochs; epoch++) {
    if (order) shuffleInPlace(order, rng);
    let lossSum = 0;
    let normSum = 0;
    let clippedNormSum = 0;
    let clippedSteps = 0;
    let skippedSteps = 0;
    let zeroedEntries = 0;
    let epochSteps = 0;
    for (let s = 0; s < n; s += batchSize) {
      rows.start = s;
      rows.end = Math.min(s + batchSize, n);
      const lastStep = s + batchSize >= n;
      takeStep(
        model,
        params,
        grad,
        transform,
        state,
        ctx,
        rows,
        steps,
        reading,
        lastStep ? tensorNorms : null,
        lastStep ? tensorNormsAfter : null,
      );
      steps++;
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
      if (!Number.isNaN(reading.lr)) lr = reading.lr;
    }
    const applied = epochSteps - skippedSteps;
    const record: EpochRecord = {
      epoch,
      loss: lossSum / n,
      gradNorm: normSum / applied,
      clippedNorm: clippedNormSum / applied,
      clipFraction: clippedSteps / epochSteps,
      lr,
      threshold: reading.threshold,
      skippedSteps,
      zeroedEntries,
    };
    if (detector && tensorNorms) {
      record.tensorNorms = Object.fromEntries(
        layout.entries.map((e, j) => [e.name, tensorNorms[j]!]),
      );
      record.tensorNormsAfter = Object.fromEntries(
        layout.entries.map((e, j) => [e.name, tensorNormsAfter![j]!]),
      );
      const warning = detector.observe(record, tensorNorms);
      if (warning) {
        warnings.push(warning);
        onWarning?.(warning);
      }
    }
    if (validation) {
      const v = validation.loss(params);
      record.validationLoss = v;
      if (v < bestValidation - (validation.minDelta ?? 0)) {
        bestValidation = v;
        sinceBestValidation = 0;
        bestEpoch = epoch;
        bestParams!.set(params);
      } else {
        sinceBestValidation++;
      }
    }
    if (metrics) record.metrics = metrics(params);
    history.push(record);
    onEpoch?.(record);

    if (!Number.isFinite(record.loss)) stopReason = "diverged";
    else if (validation?.patience !== undefined && sinceBestValidation >= validation.patience) {
      stopReason = "early-stopping";
    } else if (options.lossThreshold !== undefined && record.loss <= options.lossThreshold) {
      stopReason = "loss-threshold";
    } else if (options.patience !== undefined) {
      if (record.loss < best - (options.minDelta ?? 0)) {
        best = record.loss;
        sinceBest = 0;
      } else if (++sinceBest >= options.patience) {
        stopReason = "patience";
      }
    }
    if (onLog && epoch % (options.logEvery ?? 1) === 0) onLog(record);
    if (stopReason !== "max-epochs") break;
  }

  const totalMs = performance.now() - t0;
  const restore = validation && (validation.restoreBest ?? true) && bestEpoch !== undefined;
  if (restore) params.set(bestParams!);
  rows.order = null;
  rows.start = 0;
  rows.end = n;
  const finalLoss = model.lossAndGrad(params, grad, rows);
  return {
    layout,
    state,
    params,
    named: toNamed(layout, params),
    stopReason,
    epochs: history.length,
    steps,
    history,
    finalLoss,
    bestEpoch: restore ? bestEpoch : undefined,
    warnings,
    timings: { totalMs, msPerEpoch: totalMs / Math.max(history.length, 1) },
  };
}
