import type { RecentEpochs } from "./gradient-detector.js";
import type { EpochRecord } from "./history.js";
import {
  CLIP_FRACTION_COLUMN,
  GRAD_NORM_COLUMN,
  RecordColumns,
  TENSOR_NORMS_COLUMN,
} from "./record-columns.js";

export interface HistoryLimits {
  /** Most evenly spaced records kept (default 4096); the spacing doubles when they fill up. */
  historyLimit?: number;
  /** The last epochs always kept in full (default 100). */
  historyTail?: number;
}

/** What a history buffer holds, as saved in a checkpoint. */
export interface HistoryContents {
  /** Records of epochs 0, stride, 2·stride, … */
  sampled: EpochRecord[];
  /** The last `historyTail` records, oldest first. */
  tail: EpochRecord[];
  stride: number;
}

/**
 * A bounded history, whatever the epoch count: every `stride`-th epoch (starting with epoch 0)
 * plus the last few epochs. When the sampled records reach the limit, every other one is
 * dropped and the stride doubles, so the kept epochs stay evenly spaced over the whole run and
 * memory stays at most `historyLimit + historyTail` records. Records are kept as columns
 * (`RecordColumns`), the tail as a ring: adding one allocates nothing, and the record objects
 * are built only when `records()` or `contents()` is asked for.
 *
 * While the stride is 1 every epoch is sampled, so the tail is the sampled records' last
 * `tailSize` and is not stored twice: an epoch costs one row write. The first thinning copies
 * those rows into the tail ring, which from then on takes every epoch.
 */
export class HistoryBuffer implements RecentEpochs {
  readonly limit: number;
  readonly tailSize: number;
  private readonly sampled: RecordColumns;
  private sampledCount = 0;
  private readonly names: readonly string[];
  private readonly withTensors: boolean;
  /** The tail ring, created at the first thinning (null: the tail is read from `sampled`). */
  private tail: RecordColumns | null = null;
  /** Ring of the last `tailSize` records: `tailCount` of them, the oldest at `tailHead`. */
  private tailCount = 0;
  private tailHead = 0;
  private strideValue: number;

  /**
   * `withTensors`: whether the records carry per-tensor norms (the trainer's diagnostics);
   * without them a row is two numbers per tensor narrower. Saved records that carry them turn
   * it on. `expectedEpochs` (the epochs still to run) sizes the storage up front (see
   * `RecordColumns.reserve`).
   */
  constructor(
    limits: HistoryLimits,
    names: readonly string[],
    contents?: HistoryContents,
    expectedEpochs = 0,
    withTensors = true,
  ) {
    this.limit = limits.historyLimit ?? 4096;
    this.tailSize = limits.historyTail ?? 100;
    this.names = names;
    const carry = (r: EpochRecord) => r.tensorNorms !== undefined;
    this.withTensors =
      withTensors ||
      (contents !== undefined && (contents.sampled.some(carry) || contents.tail.some(carry)));
    // A checkpoint made with a larger limit may hold more; the next add thins them.
    const most = Math.max(this.limit, contents?.sampled.length ?? 0);
    this.sampled = new RecordColumns(names, most, this.withTensors);
    this.strideValue = contents?.stride ?? 1;
    const already = contents?.sampled.length ?? 0;
    this.sampled.reserve(
      Math.min(already + Math.ceil(expectedEpochs / this.strideValue), this.limit),
    );
    if (contents) {
      this.sampled.ensure(already);
      for (const r of contents.sampled) this.sampled.write(this.sampledCount++, r, null, null);
      // With stride 1 the saved tail is the sampled records' last ones: nothing to keep apart.
      if (this.strideValue > 1) {
        const tail = this.liveTail();
        for (const r of contents.tail.slice(-this.tailSize)) this.pushTail(tail, r, null, null);
      }
    }
  }

  get stride(): number {
    return this.strideValue;
  }

  /** Records in the buffer (what `records().length` will be), without building them. */
  get length(): number {
    if (this.tail === null) return this.sampledCount;
    const firstTail = this.tailCount > 0 ? this.tail.epochAt(this.tailHead) : Infinity;
    let n = this.tailCount;
    for (let i = 0; i < this.sampledCount; i++) if (this.sampled.epochAt(i) < firstTail) n++;
    return n;
  }

  /**
   * Keeps `record` (its numbers are copied: the caller may reuse the object) with the
   * per-tensor norms in `tensors`/`after` (layout order), if given.
   */
  add(
    record: EpochRecord,
    tensors: Float64Array | null = null,
    after: Float64Array | null = null,
  ): void {
    const tail = this.tail;
    if (tail !== null && this.tailSize > 0) this.pushTail(tail, record, tensors, after);
    if (record.epoch % this.strideValue !== 0) return;
    this.sampled.ensure(this.sampledCount + 1);
    this.sampled.write(this.sampledCount++, record, tensors, after);
    if (this.sampledCount >= this.limit) this.thin();
  }

  /**
   * The offset in `rowStore` where the caller writes the next epoch's row itself (with
   * record-columns.ts's `fillRow`), when that row is all `add` would do: every epoch kept
   * (stride 1, no tail ring yet), room for it, and not the epoch that reaches the limit (its
   * `add` thins). Else -1, and the caller calls `add`.
   */
  claimRow(): number {
    if (this.tail !== null || this.strideValue !== 1 || this.sampledCount + 1 >= this.limit) {
      return -1;
    }
    const at = this.sampled.claim(this.sampledCount);
    if (at >= 0) this.sampledCount++;
    return at;
  }

  /** The rows `claimRow` offsets point into. */
  get rowStore(): number[] {
    return this.sampled.store;
  }

  /** Whether rows keep per-tensor norms (else `fillRow` gets none). */
  get keepsTensors(): boolean {
    return this.withTensors;
  }

  // The last epochs for the gradient detector (`RecentEpochs`): `back` 0 is the record added
  // last, and `back` < min(tailSize, records added) always holds a kept record: while the
  // stride is 1 every epoch is in `sampled`, and from the first thinning on the tail ring
  // takes every epoch.
  recentNorm(back: number): number {
    return this.recentValue(back, GRAD_NORM_COLUMN);
  }

  recentClipFraction(back: number): number {
    return this.recentValue(back, CLIP_FRACTION_COLUMN);
  }

  recentTensor(back: number, j: number): number {
    return this.recentValue(back, TENSOR_NORMS_COLUMN + j);
  }

  private recentValue(back: number, column: number): number {
    if (this.tail === null) return this.sampled.valueAt(this.sampledCount - 1 - back, column);
    let slot = this.tailHead + this.tailCount - 1 - back; // (head is 0 until the ring is full)
    if (slot >= this.tailSize) slot -= this.tailSize;
    return this.tail.valueAt(slot, column);
  }

  /** Doubles the stride, dropping every other sampled record (the tail keeps the last ones). */
  private thin(): void {
    if (this.tail === null) {
      const tail = this.liveTail();
      for (let i = Math.max(0, this.sampledCount - this.tailSize); i < this.sampledCount; i++) {
        tail.copyFrom(this.sampled, i, this.tailCount++);
      }
    }
    this.strideValue *= 2;
    const stride = this.strideValue;
    let kept = 0;
    for (let i = 0; i < this.sampledCount; i++) {
      if (this.sampled.epochAt(i) % stride === 0) this.sampled.move(i, kept++);
    }
    this.sampledCount = kept;
  }

  private liveTail(): RecordColumns {
    if (this.tail === null) {
      this.tail = new RecordColumns(this.names, Math.max(this.tailSize, 1), this.withTensors);
      this.tail.ensure(this.tailSize);
    }
    return this.tail;
  }

  private pushTail(
    tail: RecordColumns,
    record: EpochRecord,
    tensors: Float64Array | null,
    after: Float64Array | null,
  ): void {
    if (this.tailCount < this.tailSize) {
      tail.write(this.tailCount++, record, tensors, after); // not full yet: head is 0
      return;
    }
    tail.write(this.tailHead, record, tensors, after);
    this.tailHead = this.tailHead + 1 === this.tailSize ? 0 : this.tailHead + 1;
  }

  private tailRecords(): EpochRecord[] {
    const out: EpochRecord[] = [];
    const tail = this.tail;
    if (tail === null) {
      const from = Math.max(0, this.sampledCount - this.tailSize);
      for (let i = from; i < this.sampledCount; i++) out.push(this.sampled.read(i));
      return out;
    }
    for (let i = 0; i < this.tailCount; i++) {
      out.push(tail.read((this.tailHead + i) % this.tailSize));
    }
    return out;
  }

  /** The kept records in epoch order, each once; the last added epoch is always among them. */
  records(): EpochRecord[] {
    if (this.tail === null) {
      const out: EpochRecord[] = [];
      for (let i = 0; i < this.sampledCount; i++) out.push(this.sampled.read(i));
      return out;
    }
    const tail = this.tailRecords();
    const firstTail = tail.length > 0 ? tail[0]!.epoch : Number.POSITIVE_INFINITY;
    const out: EpochRecord[] = [];
    for (let i = 0; i < this.sampledCount; i++) {
      if (this.sampled.epochAt(i) < firstTail) out.push(this.sampled.read(i));
    }
    for (const r of tail) out.push(r);
    return out;
  }

  contents(): HistoryContents {
    const sampled: EpochRecord[] = [];
    for (let i = 0; i < this.sampledCount; i++) sampled.push(this.sampled.read(i));
    return { sampled, tail: this.tailRecords(), stride: this.stride };
  }
}
