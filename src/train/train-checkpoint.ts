import type { SavedState } from "../transforms/checkpoint.js";
import type { DetectorState, TrainingWarning } from "./diagnostics.js";
import type { EpochRecord } from "./history.js";

/**
 * A number as JSON can hold it: finite numbers other than −0 as themselves, the rest as these
 * strings, so a checkpoint restores every double bit for bit.
 */
export type JsonNumber = number | "NaN" | "Infinity" | "-Infinity" | "-0";

/** An epoch record with every number as a `JsonNumber`. */
export type JsonEpochRecord = { [key: string]: JsonNumber | { [key: string]: JsonNumber } };

/**
 * Everything a training run needs to continue exactly where it stopped, as plain JSON: the
 * next epoch's parameters, the transform chain's state, the counters, the shuffling stream,
 * the stopping rules' bookkeeping, the diagnostics detector, the thinned history so far and
 * the best parameters so far. `train({ resumeFrom })` continues it; `parseCheckpoint` checks
 * one read back from disk.
 */
export interface TrainCheckpoint {
  format: "biograd-train-checkpoint";
  version: 1;
  /** The model's layout: a checkpoint only resumes a model with the same names and shapes. */
  layout: { name: string; shape: number[] }[];
  /** Parameters at the start of epoch `counters.epoch`. */
  params: JsonNumber[];
  /** Parameters before the last step (kept for `stepBack`), else null. */
  previousParams: JsonNumber[] | null;
  /** Parameters of the lowest loss seen (with `keepBest`), else null. */
  bestParams: JsonNumber[] | null;
  /** Parameters of the best validation epoch (with a validation set), else null. */
  validationBestParams: JsonNumber[] | null;
  /** `saveState` of the transform chain's state. */
  transformState: SavedState;
  /** The next epoch to run, and the steps taken so far. */
  counters: { epoch: number; steps: number };
  /**
   * The shuffling stream: the generator is re-seeded with `seed`, replays `model.init` if the
   * run drew its starting values, then replays one shuffle per epoch before `counters.epoch`.
   */
  rng: { seed: number; modelInit: boolean };
  stopping: {
    lr: JsonNumber;
    best: JsonNumber;
    sinceBest: number;
    bestValidation: JsonNumber;
    sinceBestValidation: number;
    bestEpoch: number | null;
    bestLoss: JsonNumber;
    referenceLoss: JsonNumber;
    lastImprovement: number;
    stepScale: JsonNumber;
    stepsTakenBack: number;
  };
  detector: {
    recent: { norm: JsonNumber; tensors: JsonNumber[]; clipFraction: JsonNumber }[];
    raised: TrainingWarning["kind"][];
    small: number;
    firstLoss: JsonNumber;
  } | null;
  history: { stride: number; sampled: JsonEpochRecord[]; tail: JsonEpochRecord[] };
  warnings: TrainingWarning[];
}

export const SPECIAL_NUMBERS = ["NaN", "Infinity", "-Infinity", "-0"] as const;

export function toJsonNumber(v: number): JsonNumber {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "Infinity";
  if (v === Number.NEGATIVE_INFINITY) return "-Infinity";
  if (Object.is(v, -0)) return "-0";
  return v;
}

export function fromJsonNumber(v: JsonNumber): number {
  if (typeof v === "number") return v;
  if (v === "NaN") return Number.NaN;
  if (v === "Infinity") return Number.POSITIVE_INFINITY;
  if (v === "-Infinity") return Number.NEGATIVE_INFINITY;
  return -0;
}

export const toJsonNumbers = (a: ArrayLike<number>): JsonNumber[] => Array.from(a, toJsonNumber);
export const fromJsonNumbers = (a: readonly JsonNumber[]): Float64Array =>
  Float64Array.from(a, fromJsonNumber);

export function toJsonRecord(record: EpochRecord): JsonEpochRecord {
  const out: JsonEpochRecord = {};
  for (const [k, v] of Object.entries(record)) {
    if (typeof v === "number") out[k] = toJsonNumber(v);
    else if (v !== undefined) {
      const entries = Object.entries(v as Record<string, number>);
      out[k] = Object.fromEntries(entries.map(([n, x]) => [n, toJsonNumber(x)]));
    }
  }
  return out;
}

export function fromJsonRecord(json: JsonEpochRecord): EpochRecord {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(json)) {
    out[k] =
      typeof v === "object"
        ? Object.fromEntries(Object.entries(v).map(([n, x]) => [n, fromJsonNumber(x)]))
        : fromJsonNumber(v);
  }
  return out as unknown as EpochRecord;
}

export function toJsonDetector(state: DetectorState): TrainCheckpoint["detector"] {
  return {
    recent: state.recent.map((r) => ({
      norm: toJsonNumber(r.norm),
      tensors: toJsonNumbers(r.tensors),
      clipFraction: toJsonNumber(r.clipFraction),
    })),
    raised: [...state.raised],
    small: state.small,
    firstLoss: toJsonNumber(state.firstLoss),
  };
}

export function fromJsonDetector(json: NonNullable<TrainCheckpoint["detector"]>): DetectorState {
  return {
    recent: json.recent.map((r) => ({
      norm: fromJsonNumber(r.norm),
      tensors: fromJsonNumbers(r.tensors),
      clipFraction: fromJsonNumber(r.clipFraction),
    })),
    raised: [...json.raised],
    small: json.small,
    firstLoss: fromJsonNumber(json.firstLoss),
  };
}
