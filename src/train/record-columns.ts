import type { EpochRecord } from "./history.js";
import { KeptColumns } from "./kept-columns.js";

/** Which optional fields a stored record has (bit flags). */
const HAS_TENSORS = 1;
const HAS_VALIDATION = 2;
const HAS_METRICS = 4;

/** A row's fields, before its per-tensor norms (the others: `KeptColumns`, see below). */
/** (Listed for the reader; `write` and `read` use the offsets.) */
const FIELDS = ["epoch", "loss", "gradNorm"] as const;
const F = FIELDS.length;

/** The kept groups' fields: the clip's outcome, and the rarely changing rest. */
const CLIPPED_NORM = 0;
const CLIP_FRACTION = 1;
const AFTER = 2; // + k: tensor k's norm after the clip
const LR = 0;
const THRESHOLD = 1;
const SKIPPED = 2;
const ZEROED = 3;
const VALIDATION = 4;
const FLAGS = 5;

/** The rows of every empty column store (never written: `ensure` replaces it first). */
const NO_ROWS = new Float64Array(0);

/** Columns `valueAt` reads: a row's gradient norm, clip fraction, first per-tensor norm. */
export const GRAD_NORM_COLUMN = 2;
export const CLIP_FRACTION_COLUMN = -1; // (in the clip group)
export const TENSOR_NORMS_COLUMN = F;

/**
 * Epoch records stored as rows of one Float64Array rather than as objects, so keeping one
 * costs a few stores and no allocation (a 0.3 ms, 1,000-epoch run cannot afford 3,000
 * objects, nor a dozen growing arrays). A row holds epoch, loss, gradient norm and, when the
 * run records them, the per-tensor norms before the clip, in layout order. What often stays
 * constant over a run is in two `KeptColumns` groups, stored once until a row differs: the
 * clip's outcome (norm after it, fraction of steps clipped, per-tensor norms after it) and
 * the rest (learning rate, threshold, counts, validation loss, flags). Rows grow by
 * doubling up to `maxSlots` (give the expected count to `ensure` up front to allocate once);
 * `read` rebuilds the record object only when someone asks.
 */
export class RecordColumns {
  private slots = 0;
  private rows = NO_ROWS; // (shared until the first `ensure`: one typed array less per run)
  private readonly width: number;
  private metrics: (Record<string, number> | undefined)[] = [];
  /** Whether any slot has held metrics (until then `metrics` is never read: no holey reads). */
  private anyMetrics = false;
  private readonly clip: KeptColumns;
  private readonly rare = new KeptColumns(6);

  /** `withTensors`: rows have room for per-tensor norms (else such norms are not kept). */
  constructor(
    private readonly names: readonly string[],
    private readonly maxSlots: number,
    private readonly withTensors = true,
  ) {
    const t = withTensors ? names.length : 0;
    this.width = F + t;
    this.clip = new KeptColumns(AFTER + t);
  }

  /** Makes room for at least `count` slots (never more than `maxSlots`). */
  ensure(count: number): void {
    if (count <= this.slots) return;
    const slots = Math.min(Math.max(count, 2 * this.slots, 16), this.maxSlots);
    const rows = new Float64Array(slots * this.width);
    rows.set(this.rows);
    this.rows = rows;
    this.slots = slots;
    this.clip.ensure(slots);
    this.rare.ensure(slots);
  }

  /**
   * Stores `record` in `slot`: its numbers, and the per-tensor norms from `tensors`/`after`
   * (the trainer's buffers) or, for a record read back from a checkpoint, from its objects.
   * (Fields a record lacks leave the groups' values as they were: they are not read back,
   * and an unchanged value does not turn a kept group into per-row columns.)
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
    const c = this.clip.values;
    c[CLIPPED_NORM] = record.clippedNorm;
    c[CLIP_FRACTION] = record.clipFraction;
    let flags = 0;
    const t = this.names.length;
    const at = o + F;
    // (Rows without room for them, in a run without diagnostics, do not keep the norms.)
    if (this.withTensors && tensors !== null && after !== null) {
      flags |= HAS_TENSORS;
      for (let k = 0; k < t; k++) {
        v[at + k] = tensors[k]!;
        c[AFTER + k] = after[k]!;
      }
    } else if (this.withTensors && record.tensorNorms && record.tensorNormsAfter) {
      flags |= HAS_TENSORS;
      for (let k = 0; k < t; k++) {
        v[at + k] = record.tensorNorms[this.names[k]!]!;
        c[AFTER + k] = record.tensorNormsAfter[this.names[k]!]!;
      }
    }
    this.clip.set(slot);
    const r = this.rare.values;
    r[LR] = record.lr;
    r[THRESHOLD] = record.threshold;
    r[SKIPPED] = record.skippedSteps;
    r[ZEROED] = record.zeroedEntries;
    if (record.validationLoss !== undefined) {
      flags |= HAS_VALIDATION;
      r[VALIDATION] = record.validationLoss;
    }
    if (record.metrics !== undefined) {
      flags |= HAS_METRICS;
      this.anyMetrics = true;
      this.metrics[slot] = record.metrics;
    } else if (this.anyMetrics && this.metrics[slot] !== undefined) {
      this.metrics[slot] = undefined; // a stale one from an earlier record in this slot
    }
    r[FLAGS] = flags;
    this.rare.set(slot);
  }

  /** Column `column` of the row in `slot` (one of the `…_COLUMN` offsets, + j for tensor j). */
  valueAt(slot: number, column: number): number {
    if (column === CLIP_FRACTION_COLUMN) return this.clip.value(slot, CLIP_FRACTION);
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
    this.clip.move(from, to);
    this.rare.move(from, to);
    if (this.anyMetrics) this.metrics[to] = this.metrics[from];
  }

  /** Copies slot `from` of `source` (same tensor names) into slot `to` of this one. */
  copyFrom(source: RecordColumns, from: number, to: number): void {
    const w = this.width;
    this.rows.set(source.rows.subarray(from * w, from * w + w), to * w);
    this.clip.copyFrom(source.clip, from, to);
    this.rare.copyFrom(source.rare, from, to);
    if (source.anyMetrics || this.anyMetrics) {
      this.anyMetrics = true;
      this.metrics[to] = source.metrics[from];
    }
  }

  /** The record in `slot` as an object, its keys in the order the trainer has always used. */
  read(slot: number): EpochRecord {
    const v = this.rows;
    const o = slot * this.width;
    const { clip, rare } = this;
    const record: EpochRecord = {
      epoch: v[o]!,
      loss: v[o + 1]!,
      gradNorm: v[o + 2]!,
      clippedNorm: clip.value(slot, CLIPPED_NORM),
      clipFraction: clip.value(slot, CLIP_FRACTION),
      lr: rare.value(slot, LR),
      threshold: rare.value(slot, THRESHOLD),
      skippedSteps: rare.value(slot, SKIPPED),
      zeroedEntries: rare.value(slot, ZEROED),
    };
    const flags = rare.value(slot, FLAGS);
    if (flags & HAS_TENSORS) {
      const before: Record<string, number> = {};
      const after: Record<string, number> = {};
      for (let k = 0; k < this.names.length; k++) before[this.names[k]!] = v[o + F + k]!;
      for (let k = 0; k < this.names.length; k++) {
        after[this.names[k]!] = clip.value(slot, AFTER + k);
      }
      record.tensorNorms = before;
      record.tensorNormsAfter = after;
    }
    if (flags & HAS_VALIDATION) record.validationLoss = rare.value(slot, VALIDATION);
    if (flags & HAS_METRICS) record.metrics = this.metrics[slot]!;
    return record;
  }
}
