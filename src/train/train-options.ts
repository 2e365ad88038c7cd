import type { Layout } from "../core/layout.js";
import {
  boolean,
  checkOptions,
  nonNegative,
  nonNegativeInteger,
  positive,
  positiveInteger,
} from "../core/options.js";
import type { Transform } from "../transforms/types.js";
import type { DiagnosticsOptions, TrainingWarning } from "./diagnostics.js";
import type { EpochRecord, StopReason } from "./history.js";
import type { TrainCheckpoint } from "./train-checkpoint.js";

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
  /** Most evenly spaced history records kept (default 4096; the spacing doubles as they fill). */
  historyLimit?: number;
  /** The last epochs always kept in the history (default 100, at least 1). */
  historyTail?: number;
  /** Checked before every epoch: once aborted, the run stops with `"interrupted"`. */
  signal?: AbortSignal;
  /** Save a checkpoint every `every` epochs (if given) and once when interrupted. */
  checkpoint?: CheckpointOptions;
  /** Continue a checkpointed run (same model layout, transform and options). */
  resumeFrom?: TrainCheckpoint;
  /**
   * Full batch only: return the parameters with the lowest loss seen (the final point
   * included), not the last ones.
   */
  keepBest?: boolean;
  /**
   * Full batch only: when the loss at the new parameters is non-finite, take the last step
   * back, halve the step length for the rest of the run and recompute the gradient there.
   */
  stepBack?: boolean;
  /** Full batch only: stop (`"converged"`) when the best loss stops improving relatively. */
  relativeImprovement?: RelativeImprovement;
  /** Full batch only: stop (`"non-finite-gradient"`) when a transform skips a step. */
  stopOnSkippedStep?: boolean;
}

export interface CheckpointOptions {
  /** Epochs between checkpoints (default: only when interrupted). */
  every?: number;
  save: (checkpoint: TrainCheckpoint) => void;
}

export interface RelativeImprovement {
  /** Improvement of the best loss, relative to the loss it is measured from, that counts. */
  relTol: number;
  /** Epochs without such an improvement (counted from the first step's result) before stopping. */
  patience: number;
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
  /** Epochs run (a resumed run counts the checkpointed ones too). */
  epochs: number;
  steps: number;
  /** A thinned history: epochs 0, k, 2k, … and the last `historyTail` epochs (always the last). */
  history: EpochRecord[];
  /** The spacing k of the evenly thinned part of the history (1: every epoch kept). */
  historyStride: number;
  /** history.length, next to `epochs`. */
  epochsRecorded: number;
  /** Steps taken back after landing on a non-finite loss (`stepBack`). */
  stepsTakenBack: number;
  /** Full-data loss at the returned parameters. */
  finalLoss: number;
  /** The epoch whose parameters were returned when early stopping restored the best ones. */
  bestEpoch?: number;
  /** Diagnostics warnings raised during the run. */
  warnings: TrainingWarning[];
  timings: { totalMs: number; msPerEpoch: number };
}

const fn = (what: string) => (v: unknown) => (typeof v === "function" ? null : what);
const object = (what: string) => (v: unknown) =>
  typeof v === "object" && v !== null ? null : what;

/** The train options' checks, built once (train() is called thousands of times a second). */
const TRAIN_OPTION_CHECKS: Parameters<typeof checkOptions>[2] = {
  transform: object("a transform"),
  epochs: positiveInteger,
  batchSize: positiveInteger,
  lossThreshold: nonNegative,
  patience: positiveInteger,
  minDelta: nonNegative,
  seed: nonNegativeInteger,
  start: (v) => (v instanceof Float64Array ? null : "a Float64Array"),
  initialState: () => null,
  firstStep: nonNegativeInteger,
  logEvery: positiveInteger,
  validation: object("an object"),
  metrics: fn("a function of the parameters"),
  diagnostics: (v) =>
    typeof v === "boolean" || (typeof v === "object" && v !== null)
      ? null
      : "a boolean or an object",
  onWarning: fn("a function"),
  onEpoch: fn("a function"),
  onLog: fn("a function"),
  historyLimit: (v) => (Number.isInteger(v) && (v as number) >= 2 ? null : "an integer >= 2"),
  historyTail: positiveInteger,
  signal: (v) => (v instanceof AbortSignal ? null : "an AbortSignal"),
  checkpoint: object("an object"),
  resumeFrom: object("a checkpoint"),
  keepBest: boolean,
  stepBack: boolean,
  relativeImprovement: object("an object"),
  stopOnSkippedStep: boolean,
};

/** Rejects unknown or out-of-domain options by name (the callbacks and objects by kind). */
export function checkTrainOptions(options: TrainOptions<unknown>): void {
  checkOptions("train", options, TRAIN_OPTION_CHECKS, ["transform", "epochs"]);
  if (options.validation !== undefined) {
    checkOptions(
      "train validation",
      options.validation,
      {
        loss: fn("a function of the parameters"),
        patience: positiveInteger,
        minDelta: nonNegative,
        restoreBest: boolean,
      },
      ["loss"],
    );
  }
  if (options.checkpoint !== undefined) {
    checkOptions(
      "train checkpoint",
      options.checkpoint,
      { every: positiveInteger, save: fn("a function") },
      ["save"],
    );
  }
  if (options.relativeImprovement !== undefined) {
    checkOptions(
      "train relativeImprovement",
      options.relativeImprovement,
      { relTol: positive, patience: positiveInteger },
      ["relTol", "patience"],
    );
  }
}
