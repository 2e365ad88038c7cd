import type { EpochRecord } from "./history.js";
import { RecordColumns } from "./record-columns.js";

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
 */
export class HistoryBuffer {
  readonly limit: number;
  readonly tailSize: number;
  private readonly sampled: RecordColumns;
  private sampledCount = 0;
  private readonly tail: RecordColumns;
  /** Ring of the last `tailSize` records: `tailCount` of them, the oldest at `tailHead`. */
  private tailCount = 0;
  private tailHead = 0;
  private strideValue: number;

  /** `expectedEpochs` (the epochs still to run) sizes the storage once, up front. */
  constructor(
    limits: HistoryLimits,
    names: readonly string[],
    contents?: HistoryContents,
    expectedEpochs = 0,
  ) {
    this.limit = limits.historyLimit ?? 4096;
    this.tailSize = limits.historyTail ?? 100;
    // A checkpoint made with a larger limit may hold more; the next add thins them.
    this.sampled = new RecordColumns(names, Math.max(this.limit, contents?.sampled.length ?? 0));
    this.tail = new RecordColumns(names, Math.max(this.tailSize, 1));
    this.strideValue = contents?.stride ?? 1;
    const already = contents?.sampled.length ?? 0;
    this.sampled.ensure(
      Math.min(already + Math.ceil(expectedEpochs / this.strideValue), this.limit),
    );
    this.tail.ensure(Math.min(expectedEpochs + (contents?.tail.length ?? 0), this.tailSize));
    if (contents) {
      this.sampled.ensure(already);
      for (const r of contents.sampled) this.sampled.write(this.sampledCount++, r, null, null);
      for (const r of contents.tail.slice(-this.tailSize)) this.pushTail(r, null, null);
    }
  }

  get stride(): number {
    return this.strideValue;
  }

  /** Records in the buffer (what `records().length` will be), without building them. */
  get length(): number {
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
    if (record.epoch % this.strideValue === 0) {
      this.sampled.ensure(this.sampledCount + 1);
      this.sampled.write(this.sampledCount++, record, tensors, after);
      if (this.sampledCount >= this.limit) {
        this.strideValue *= 2;
        const stride = this.strideValue;
        let kept = 0;
        for (let i = 0; i < this.sampledCount; i++) {
          if (this.sampled.epochAt(i) % stride === 0) this.sampled.move(i, kept++);
        }
        this.sampledCount = kept;
      }
    }
    if (this.tailSize > 0) this.pushTail(record, tensors, after);
  }

  private pushTail(
    record: EpochRecord,
    tensors: Float64Array | null,
    after: Float64Array | null,
  ): void {
    if (this.tailCount < this.tailSize) {
      this.tail.ensure(this.tailCount + 1);
      this.tail.write(this.tailCount++, record, tensors, after); // not full yet: head is 0
      return;
    }
    this.tail.write(this.tailHead, record, tensors, after);
    this.tailHead = (this.tailHead + 1) % this.tailSize;
  }

  private tailRecords(): EpochRecord[] {
    const out: EpochRecord[] = [];
    for (let i = 0; i < this.tailCount; i++) {
      out.push(this.tail.read((this.tailHead + i) % this.tailSize));
    }
    return out;
  }

  /** The kept records in epoch order, each once; the last added epoch is always among them. */
  records(): EpochRecord[] {
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
