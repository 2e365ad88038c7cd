import type { EpochRecord } from "./history.js";
import type { HistoryBuffer } from "./history-buffer.js";
import type { TrainResult } from "./train-options.js";

/**
 * A train() result whose `history` is an own enumerable property that builds the record
 * objects on first read (then stays a plain array): a 1,000-epoch run that nobody inspects
 * record by record should not pay for 3,000 objects. Assigning to it replaces it as usual.
 * Its keys come in the order the trainer has always used.
 *
 * The accessor's functions are the same for every result (`LAZY_HISTORY`), which find the
 * buffer in a private field. They used to be `get history()` in an object literal, fresh
 * closures per call; V8 keeps accessors in the hidden class, so every result had a class of
 * its own, reachable from the literal's first class by a transition that minor GCs treat as
 * strong. Each result, its history rows included, then survived every scavenge until the
 * next full GC: for the seed workload 120 KB a call, promoted in scavenges of 15–25 ms
 * (bench/RESULTS.md, 2026-12-04).
 */
class LazyHistoryResult<S> {
  readonly #buffer: HistoryBuffer;
  declare layout: TrainResult<S>["layout"];
  declare state: S;
  declare params: Float64Array;
  declare named: TrainResult<S>["named"];
  declare stopReason: TrainResult<S>["stopReason"];
  declare epochs: number;
  declare steps: number;
  declare history: EpochRecord[];
  declare historyStride: number;
  declare epochsRecorded: number;
  declare stepsTakenBack: number;
  declare finalLoss: number;
  declare bestEpoch: number | undefined;
  declare warnings: TrainResult<S>["warnings"];
  declare timings: TrainResult<S>["timings"];

  constructor(fields: Omit<TrainResult<S>, "history">, buffer: HistoryBuffer) {
    this.#buffer = buffer;
    this.layout = fields.layout;
    this.state = fields.state;
    this.params = fields.params;
    this.named = fields.named;
    this.stopReason = fields.stopReason;
    this.epochs = fields.epochs;
    this.steps = fields.steps;
    Object.defineProperty(this, "history", LAZY_HISTORY);
    this.historyStride = fields.historyStride;
    this.epochsRecorded = fields.epochsRecorded;
    this.stepsTakenBack = fields.stepsTakenBack;
    this.finalLoss = fields.finalLoss;
    this.bestEpoch = fields.bestEpoch;
    this.warnings = fields.warnings;
    this.timings = fields.timings;
  }

  /** The records of `result`'s buffer, built now. */
  static records(result: object): EpochRecord[] {
    return (result as LazyHistoryResult<unknown>).#buffer.records();
  }
}

/** Replaces the accessor on `result` by a plain data property holding `value`. */
function settle(result: object, value: EpochRecord[]): EpochRecord[] {
  Object.defineProperty(result, "history", {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  return value;
}

const LAZY_HISTORY: PropertyDescriptor = {
  get(this: object): EpochRecord[] {
    return settle(this, LazyHistoryResult.records(this));
  },
  set(this: object, value: EpochRecord[]): void {
    settle(this, value);
  },
  enumerable: true,
  configurable: true,
};

/** `fields` and `history` as a train() result whose history is built when first read. */
export function withLazyHistory<S>(
  fields: Omit<TrainResult<S>, "history">,
  history: HistoryBuffer,
): TrainResult<S> {
  return new LazyHistoryResult(fields, history);
}
