import type { EpochRecord } from "./history.js";

/** Which optional fields a stored record has (bit flags, one byte per slot). */
const HAS_TENSORS = 1;
const HAS_VALIDATION = 2;
const HAS_METRICS = 4;

/** The numeric fields every epoch record has, in the order records list them. */
/** (Listed for the reader; `write` and `read` use the offsets.) */
const FIELDS = [
  "epoch",
  "loss",
  "gradNorm",
  "clippedNorm",
  "clipFraction",
  "lr",
  "threshold",
  "skippedSteps",
  "zeroedEntries",
] as const;
const F = FIELDS.length;

/**
 * Doubles in the largest array V8 places in its young generation (objects up to 128 KiB, less
 * the array's header): a larger one goes to a space of its own, in fresh pages every time.
 */
const YOUNG_DOUBLES = 16_000;

/** The rows of every empty column store (never written: `ensure` replaces it first). */
const NO_ROWS: number[] = [];

/** Columns `valueAt` reads: a row's gradient norm, clip fraction, first per-tensor norm. */
export const GRAD_NORM_COLUMN = 2;
export const CLIP_FRACTION_COLUMN = 4;
export const TENSOR_NORMS_COLUMN = F + 2;

/**
 * Epoch records stored as rows of one array of doubles rather than as objects, so keeping one
 * costs a few stores and no allocation (a 0.3 ms, 1,000-epoch run cannot afford 3,000
 * objects, nor a dozen growing arrays). A row holds the numeric fields, the validation loss,
 * the flags and, when the run records them, the per-tensor norms before and after the clip,
 * in layout order. Rows grow by doubling up to `maxSlots` (give the expected count to
 * `reserve` up front); `read` rebuilds the record object only when someone asks.
 *
 * The rows are a plain JS array (double elements), not a Float64Array. A typed array over 64
 * bytes keeps its memory outside V8's heap, taken from malloc and returned when V8 frees the
 * array, so one store per run (117 KiB for the seed workload) kept taking fresh pages from
 * the OS: 12–17 µs a page on our hosts, 0.4–0.9 ms per `train()` call where the array gives
 * 0.24 ms (bench/RESULTS.md, 2026-12-04). An array lives in V8's young generation, whose
 * pages the scavenger reuses. The stored doubles are the same either way.
 */
export class RecordColumns {
  private slots = 0;
  private rows = NO_ROWS; // (shared until the first `ensure`: one array less per run)
  private readonly width: number;
  private metrics: (Record<string, number> | undefined)[] = [];
  /** Whether any slot has held metrics (until then `metrics` is never read: no holey reads). */
  private anyMetrics = false;

  /** `withTensors`: rows have room for per-tensor norms (else such norms are not kept). */
  constructor(
    private readonly names: readonly string[],
    private readonly maxSlots: number,
    private readonly withTensors = true,
  ) {
    this.width = F + 2 + (withTensors ? 2 * names.length : 0);
  }

  /**
   * Makes room up front for the `count` slots a run expects, or for as many as fit in V8's
   * young generation: a larger store is filled in fresh pages, its unused tail included (a
   * curve fit's first-order phase may stop at 400 of 3,000 epochs), so the rest is grown
   * into by `ensure` as the records come.
   */
  reserve(count: number): void {
    this.ensure(Math.min(count, Math.max(16, Math.floor(YOUNG_DOUBLES / this.width))));
  }

  /** Makes room for at least `count` slots (never more than `maxSlots`). */
  ensure(count: number): void {
    if (count <= this.slots) return;
    const slots = Math.min(Math.max(count, 2 * this.slots, 16), this.maxSlots);
    // (`fill` makes fast double elements at any size; growing by pushes is 7× slower.)
    const rows = new Array<number>(slots * this.width).fill(Number.NaN);
    const old = this.rows;
    for (let i = 0; i < old.length; i++) rows[i] = old[i]!;
    this.rows = rows;
    this.slots = slots;
  }

  /**
   * Stores `record` in `slot`: its numbers, and the per-tensor norms from `tensors`/`after`
   * (the trainer's buffers) or, for a record read back from a checkpoint, from its objects.
   */
  write(
    slot: number,
    record: EpochRecord,
    tensors: Float64Array | null,
    after: Float64Array | null,
  ): void {
    const v = this.rows;
    const o = slot * this.width;
    v[o] = record.epoch;
    v[o + 1] = record.loss;
    v[o + 2] = record.gradNorm;
    v[o + 3] = record.clippedNorm;
    v[o + 4] = record.clipFraction;
    v[o + 5] = record.lr;
    v[o + 6] = record.threshold;
    v[o + 7] = record.skippedSteps;
    v[o + 8] = record.zeroedEntries;
    let flags = 0;
    const t = this.names.length;
    const at = o + F + 2;
    // (Rows without room for them, in a run without diagnostics, do not keep the norms.)
    if (this.withTensors && tensors !== null && after !== null) {
      flags |= HAS_TENSORS;
      for (let k = 0; k < t; k++) {
        v[at + k] = tensors[k]!;
        v[at + t + k] = after[k]!;
      }
    } else if (this.withTensors && record.tensorNorms && record.tensorNormsAfter) {
      flags |= HAS_TENSORS;
      for (let k = 0; k < t; k++) {
        v[at + k] = record.tensorNorms[this.names[k]!]!;
        v[at + t + k] = record.tensorNormsAfter[this.names[k]!]!;
      }
    }
    if (record.validationLoss !== undefined) {
      flags |= HAS_VALIDATION;
      v[o + F] = record.validationLoss;
    }
    if (record.metrics !== undefined) {
      flags |= HAS_METRICS;
      this.anyMetrics = true;
      this.metrics[slot] = record.metrics;
    } else if (this.anyMetrics && this.metrics[slot] !== undefined) {
      this.metrics[slot] = undefined; // a stale one from an earlier record in this slot
    }
    v[o + F + 1] = flags;
  }

  /**
   * The offset in `store` of the row for `slot`, handed to a writer that fills it with
   * `fillRow` itself (the plain loop's epoch), or -1 when the slot needs `write` (no room
   * yet, or a slot that may hold metrics).
   */
  claim(slot: number): number {
    return slot < this.slots && !this.anyMetrics ? slot * this.width : -1;
  }

  /** The rows, for `fillRow` at an offset `claim` gave (replaced when `ensure` grows them). */
  get store(): number[] {
    return this.rows;
  }

  /** Column `column` of the row in `slot` (one of the `…_COLUMN` offsets, + j for tensor j). */
  valueAt(slot: number, column: number): number {
    return this.rows[slot * this.width + column]!;
  }

  /** The epoch stored in `slot`. */
  epochAt(slot: number): number {
    return this.rows[slot * this.width]!;
  }

  /** Copies slot `from` over slot `to` (compaction). */
  move(from: number, to: number): void {
    const w = this.width;
    this.rows.copyWithin(to * w, from * w, from * w + w);
    if (this.anyMetrics) this.metrics[to] = this.metrics[from];
  }

  /** Copies slot `from` of `source` (same tensor names) into slot `to` of this one. */
  copyFrom(source: RecordColumns, from: number, to: number): void {
    const w = this.width;
    const rows = this.rows;
    const src = source.rows;
    for (let k = 0; k < w; k++) rows[to * w + k] = src[from * w + k]!;
    if (source.anyMetrics || this.anyMetrics) {
      this.anyMetrics = true;
      this.metrics[to] = source.metrics[from];
    }
  }

  /** The record in `slot` as an object, its keys in the order the trainer has always used. */
  read(slot: number): EpochRecord {
    const v = this.rows;
    const o = slot * this.width;
    const record: EpochRecord = {
      epoch: v[o]!,
      loss: v[o + 1]!,
      gradNorm: v[o + 2]!,
      clippedNorm: v[o + 3]!,
      clipFraction: v[o + 4]!,
      lr: v[o + 5]!,
      threshold: v[o + 6]!,
      skippedSteps: v[o + 7]!,
      zeroedEntries: v[o + 8]!,
    };
    const flags = v[o + F + 1]!;
    if (flags & HAS_TENSORS) {
      const t = this.names.length;
      record.tensorNorms = this.named(o + F + 2);
      record.tensorNormsAfter = this.named(o + F + 2 + t);
    }
    if (flags & HAS_VALIDATION) record.validationLoss = v[o + F]!;
    if (flags & HAS_METRICS) record.metrics = this.metrics[slot]!;
    return record;
  }

  private named(at: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (let k = 0; k < this.names.length; k++) out[this.names[k]!] = this.rows[at + k]!;
    return out;
  }
}

/**
 * What `write` stores for a record without validation loss or metrics, in a row
 * `RecordColumns.claim` handed out: `v` its `store`; `tensors`/`after` non-null exactly when
 * the columns keep tensor norms. Small and monomorphic, for the plain loop to inline; the
 * numbers come in a record, not as arguments (a call that V8 does not inline would box each).
 */
export function fillRow(
  v: number[],
  o: number,
  r: EpochRecord,
  tensors: Float64Array | null,
  after: Float64Array | null,
): void {
  v[o] = r.epoch;
  v[o + 1] = r.loss;
  v[o + 2] = r.gradNorm;
  v[o + 3] = r.clippedNorm;
  v[o + 4] = r.clipFraction;
  v[o + 5] = r.lr;
  v[o + 6] = r.threshold;
  v[o + 7] = r.skippedSteps;
  v[o + 8] = r.zeroedEntries;
  let flags = 0;
  if (tensors !== null && after !== null) {
    flags = HAS_TENSORS;
    const t = tensors.length;
    const at = o + F + 2;
    for (let k = 0; k < t; k++) {
      v[at + k] = tensors[k]!;
      v[at + t + k] = after[k]!;
    }
  }
  v[o + F + 1] = flags;
}
