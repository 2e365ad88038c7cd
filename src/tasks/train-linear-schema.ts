import { z } from "zod";
import type { EpochRecord } from "../train/history.js";
import type { TrainCheckpoint } from "../train/train-checkpoint.js";
import type { CheckpointOptions } from "../train/train-options.js";
import { transformSpecSchema } from "../transforms/spec.js";
import { dataSourceSchema } from "./data-source-schema.js";
import type { TaskOptions } from "./types.js";

const columnName = z.string().min(1, { error: "expected a column name" });
const positiveInt = z.number().int().min(1, { error: "expected an integer >= 1" });

/** The fields every training request has (linear and network), with their defaults. */
export const trainingFields = {
  data: dataSourceSchema,
  y: columnName,
  /** The transform chain: guard, clip, optimizer, schedule (src/transforms/spec.ts). */
  transform: transformSpecSchema(),
  epochs: positiveInt,
  /** Rows per step (linear default: all rows; networks: 32). */
  batchSize: positiveInt.optional(),
  /** Stop once an epoch's loss is <= this. */
  lossThreshold: z.number().min(0, { error: "expected a number >= 0" }).optional(),
  seed: z.number().int().min(0, { error: "expected an integer >= 0" }).default(0),
  /** `onLog` every this many epochs (default: a tenth of the epochs). */
  logEvery: positiveInt.optional(),
};

/** `train-linear`: ŷ = X·w + b on the MSE, trained through the transform chain. */
export const trainLinearRequestSchema = z.strictObject({
  task: z.literal("train-linear"),
  ...trainingFields,
  x: z.array(columnName).min(1, { error: "expected at least one feature column" }),
  /** Stop after this many epochs without the loss improving by more than `minDelta`. */
  patience: positiveInt.optional(),
  minDelta: z.number().min(0, { error: "expected a number >= 0" }).optional(),
  /** Threads for the loss and gradient (1: this thread; n: this thread and n − 1 workers). */
  workers: positiveInt.optional(),
});

export type TrainLinearRequest = z.output<typeof trainLinearRequestSchema>;

/**
 * Options of the training tasks: the task options plus the trainer's per-epoch records, for
 * front ends that show more than `onProgress` carries (the CLI's progress lines).
 */
export interface TrainTaskOptions extends TaskOptions {
  onEpoch?: (record: EpochRecord) => void;
  /** Called every `logEvery` epochs. */
  onLog?: (record: EpochRecord) => void;
  /** Save a checkpoint every `every` epochs and when `signal` stops the run. */
  checkpoint?: CheckpointOptions;
  /** Continue a checkpointed run of the same request (`parseCheckpoint` of a saved file). */
  resumeFrom?: TrainCheckpoint;
}

/** The trainer options that stop, checkpoint and resume a run, as given. */
export function runControl(options: TrainTaskOptions) {
  const { signal, checkpoint, resumeFrom } = options;
  return {
    ...(signal ? { signal } : {}),
    ...(checkpoint ? { checkpoint } : {}),
    ...(resumeFrom ? { resumeFrom } : {}),
  };
}

/** The trainer's callbacks for these options (onProgress per epoch, then onEpoch). */
export function epochCallback(options: TrainTaskOptions, epochs: number) {
  const { onProgress, onEpoch } = options;
  if (!onProgress) return onEpoch;
  return (r: EpochRecord) => {
    onProgress({ done: r.epoch + 1, total: epochs, loss: r.loss });
    onEpoch?.(r);
  };
}
