import { OptionError } from "../core/errors.js";
import type { Dataset } from "../data/dataset.js";
import type { MlpModel, MlpOptions } from "../nn/index.js";
import { type NetworkBuild, networkFromBuild } from "../parallel/network-build.js";
import { type ParallelNetworkModel, parallelNetworkModel } from "../parallel/network-model.js";
import type { EpochRecord } from "../train/history.js";
import type { TrainOptions } from "../train/train-options.js";
import { type TrainResult, train } from "../train/trainer.js";
import type { AnyTransform } from "../transforms/types.js";
import { evaluate } from "./evaluate.js";

/** What the network is: "logistic", or an MLP spec such as "mlp:64,32:relu". */
export interface NetworkSpec {
  model: string;
  task: "regress" | "classify";
  loss?: "mse" | "huber";
  dropout?: number;
  /**
   * Precision of the matrix products: "float64" (default) or "float32" (faster; results
   * differ from float64 by float32 rounding, see MlpOptions.dtype).
   */
  dtype?: "float64" | "float32";
  /** Per-class weights, or "balanced" (n / (K·n_k) from the training rows). */
  classWeights?: readonly number[] | "balanced";
  /** Number of classes (classification). */
  classes?: number;
}

export interface NetworkTrainOptions {
  transform: AnyTransform;
  epochs: number;
  batchSize?: number;
  seed?: number;
  /** Stop when the validation loss has not improved for this many epochs (best epoch restored). */
  earlyStopping?: number;
  lossThreshold?: number;
  logEvery?: number;
  onLog?: (record: EpochRecord) => void;
  onEpoch?: (record: EpochRecord) => void;
  /**
   * Threads for each mini-batch's loss and gradient (default 1: this thread only). n > 1 splits
   * every batch over this thread and n − 1 worker threads (parallel/network-model.ts): the same
   * results up to summation order without dropout, reproducible for a given n, with per-thread
   * dropout streams. The threads are ended when training ends, also when it throws.
   */
  workers?: number;
  /** Passed to the trainer as given: stop, checkpoint and resume the run. */
  trainer?: Pick<TrainOptions, "signal" | "checkpoint" | "resumeFrom">;
}

export interface NetworkRun {
  model: MlpModel;
  params: Float64Array;
  result: TrainResult;
  /**
   * Metrics (from predictions) on each part at the returned parameters; null when training
   * diverged (the parameters may be non-finite: there is nothing to measure).
   */
  metrics: NetworkMetrics | null;
}

export interface NetworkMetrics {
  train: Record<string, number>;
  validation: Record<string, number> | null;
  test: Record<string, number> | null;
}

/** The model for `spec` on `data` (train rows, or any rows for prediction). */
export function buildNetwork(spec: NetworkSpec, data: Dataset, seed = 0): MlpModel {
  return networkFromBuild(networkBuild(spec, data, seed), data);
}

/** The factory and options of `spec` on `data`, as plain data (worker threads build from it). */
export function networkBuild(spec: NetworkSpec, data: Dataset, seed = 0): NetworkBuild {
  const classWeights =
    spec.classWeights === "balanced"
      ? balancedWeights(data.y, spec.classes ?? 2)
      : spec.classWeights;
  if (spec.model === "logistic") {
    return {
      kind: "logistic",
      options: { classes: spec.classes, classWeights, dtype: spec.dtype },
    };
  }
  const options: MlpOptions = {
    spec: spec.model,
    task: spec.task,
    loss: spec.task === "regress" ? spec.loss : undefined,
    classes: spec.task === "classify" ? spec.classes : undefined,
    classWeights,
    dropout: spec.dropout,
    dtype: spec.dtype,
    seed,
  };
  return { kind: "mlp", options };
}

/**
 * Trains a network on the training rows with the transform chain (clipping in every step),
 * measuring the validation rows after every epoch (their loss and metrics go into the
 * history and drive early stopping, which restores the best epoch's parameters).
 */
export function trainNetwork(
  spec: NetworkSpec,
  data: { train: Dataset; validation: Dataset; test: Dataset },
  options: NetworkTrainOptions,
  targetScale: { mean: number; sd: number } | null = null,
): NetworkRun {
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new OptionError("trainNetwork", "workers", workers, "an integer >= 1");
  }
  const build = networkBuild(spec, data.train, options.seed ?? 0);
  const parallel = workers > 1 ? parallelNetworkModel(build, data.train, workers) : null;
  // Validation, metrics and the returned run use the network on this thread.
  const model = parallel?.base ?? networkFromBuild(build, data.train);
  const hasValidation = data.validation.rows > 0;
  let last: Record<string, number> = {};
  const result = trainClosing(parallel ?? model, {
    transform: options.transform,
    epochs: options.epochs,
    batchSize: options.batchSize,
    seed: options.seed,
    lossThreshold: options.lossThreshold,
    logEvery: options.logEvery,
    onLog: options.onLog,
    onEpoch: options.onEpoch,
    ...options.trainer,
    validation: hasValidation
      ? {
          loss: (params) => {
            const measured = evaluate(model, params, data.validation, targetScale);
            last = measured ?? {};
            // The history's validation loss is on the training loss's scale (the MSE of the
            // standardised target), so the two curves of a chart can be compared; the val_*
            // metrics stay in the target's own units. Early stopping is unchanged by the scale.
            const sd = model.task === "regress" ? (targetScale?.sd ?? 1) : 1;
            return measured ? (measured.loss ?? Number.NaN) / (sd * sd) : Number.NaN;
          },
          patience: options.earlyStopping,
        }
      : undefined,
    metrics: hasValidation
      ? () => Object.fromEntries(Object.entries(last).map(([k, v]) => [`val_${k}`, v]))
      : undefined,
  });
  const params = result.params;
  return { model, params, result, metrics: measure(model, params, result, data, targetScale) };
}

/** `train`, then a parallel network's worker threads are ended, also when it throws. */
function trainClosing(model: MlpModel | ParallelNetworkModel, options: TrainOptions): TrainResult {
  try {
    return train(model, options);
  } finally {
    if ("close" in model) void model.close();
  }
}

/**
 * Metrics on each part, or null for a diverged run. A run whose losses stayed finite but whose
 * predictions overflow (e.g. non-finite steps skipped or zeroed by the guard while the weights
 * grew) has diverged too: it is reported so, with a warning, rather than measured.
 */
function measure(
  model: MlpModel,
  params: Float64Array,
  result: TrainResult,
  data: { train: Dataset; validation: Dataset; test: Dataset },
  targetScale: { mean: number; sd: number } | null,
): NetworkMetrics | null {
  if (result.stopReason === "diverged") return null;
  const train = evaluate(model, params, data.train, targetScale);
  const validation =
    data.validation.rows > 0 ? evaluate(model, params, data.validation, targetScale) : undefined;
  const test = data.test.rows > 0 ? evaluate(model, params, data.test, targetScale) : undefined;
  if (train === null || validation === null || test === null) {
    result.stopReason = "diverged";
    result.warnings.push({
      epoch: result.epochs - 1,
      kind: "non-finite-loss",
      parameters: [],
      message:
        "the network's predictions at the final parameters are not finite: training diverged",
    });
    return null;
  }
  return { train, validation: validation ?? null, test: test ?? null };
}

/** w_k = n / (K·n_k): every class contributes equally to the weighted mean loss. */
function balancedWeights(y: Float64Array, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const k of y) counts[k]!++;
  return counts.map((c) => (c > 0 ? y.length / (classes * c) : 0));
}
