import { parseWith } from "../core/schema.js";
import { runOutcome } from "../learn/run-summary.js";
import { type LinearModel, linearModel } from "../models/linear.js";
import { type ParallelLinearModel, parallelLinearModel } from "../models/parallel-linear.js";
import type { TrainOptions } from "../train/train-options.js";
import { train } from "../train/trainer.js";
import { buildTransform } from "../transforms/build.js";
import { numericDataset } from "./data-source.js";
import {
  epochCallback,
  runControl,
  type TrainLinearRequest,
  type TrainTaskOptions,
  trainLinearRequestSchema,
} from "./train-linear-schema.js";

export { type TrainLinearRequest, trainLinearRequestSchema } from "./train-linear-schema.js";

/**
 * Trains the linear model of a `train-linear` request and returns the run as plain JSON:
 * the request as understood (defaults filled in), the data, the chain, the model (what
 * `predict` needs: `kind: "linear"`, features, w, b), parameters by name, the stop reason,
 * warnings, final loss, timings and the history in columns. Never prints. `options.signal`
 * stops it at the next epoch (stop reason "interrupted"); `checkpoint` and `resumeFrom` save
 * and continue it bit for bit.
 */
export function runTrainLinear(request: unknown, options: TrainTaskOptions = {}) {
  const settings: TrainLinearRequest = parseWith(trainLinearRequestSchema, request, "request");
  const data = numericDataset(settings.data, settings.x, settings.y);
  const batchSize = Math.min(settings.batchSize ?? data.rows, data.rows);
  const totalSteps = settings.epochs * Math.ceil(data.rows / batchSize);
  const transform = buildTransform(settings.transform, { totalSteps });
  // workers > 1: the same model over worker threads, same results up to summation order.
  const workers = settings.workers ?? 1;
  const model = workers > 1 ? parallelLinearModel(data, workers) : linearModel(data);
  const result = trainClosing(model, {
    transform,
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    lossThreshold: settings.lossThreshold,
    patience: settings.patience,
    minDelta: settings.minDelta,
    seed: settings.seed,
    logEvery: settings.logEvery ?? Math.max(1, Math.floor(settings.epochs / 10)),
    onEpoch: epochCallback(options, settings.epochs),
    onLog: options.onLog,
    ...runControl(options),
  });
  const w = result.named.w as number[];
  const b = result.named.b as number;
  return {
    task: "train-linear" as const,
    settings,
    data: {
      source: data.source,
      rows: data.rows,
      features: [...data.features],
      target: data.target,
    },
    transform: transform.name,
    model: { kind: "linear" as const, features: [...data.features], target: data.target, w, b },
    layout: result.layout.entries.map((e) => ({
      name: e.name,
      shape: [...e.shape],
      offset: e.offset,
    })),
    parameters: result.named,
    /** Optimizer steps per epoch, for summaries (clipped steps = clipFraction × this). */
    stepsPerEpoch: Math.ceil(data.rows / batchSize),
    ...runOutcome(result),
  };
}

/** `train`, then the worker threads of a parallel model are closed, also when it throws. */
function trainClosing<S>(model: LinearModel | ParallelLinearModel, options: TrainOptions<S>) {
  try {
    return train(model, options);
  } finally {
    if ("close" in model) void model.close();
  }
}

export type TrainLinearResult = ReturnType<typeof runTrainLinear>;
