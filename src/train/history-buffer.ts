import type { EpochRecord } from "./history.js";

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
 * memory stays at most `historyLimit + historyTail` records.
 */
export class HistoryBuffer {
  readonly limit: number;
  readonly tailSize: number;
  private sampled: EpochRecord[];
  private tail: EpochRecord[];
  private strideValue: number;

  constructor(limits: HistoryLimits = {}, contents?: HistoryContents) {
    this.limit = limits.historyLimit ?? 4096;
    this.tailSize = limits.historyTail ?? 100;
    this.sampled = contents ? [...contents.sampled] : [];
    this.tail = contents ? [...contents.tail] : [];
    this.strideValue = contents?.stride ?? 1;
  }

  get stride(): number {
    return this.strideValue;
  }

  add(record: EpochRecord): void {
    if (record.epoch % this.strideValue === 0) {
      this.sampled.push(record);
      if (this.sampled.length >= this.limit) {
        this.strideValue *= 2;
        const stride = this.strideValue;
        this.sampled = this.sampled.filter((r) => r.epoch % stride === 0);
      }
    }
    if (this.tailSize > 0) {
      this.tail.push(record);
      // Drop in chunks so the tail costs amortised O(1) per epoch.
      if (this.tail.length >= 2 * this.tailSize) this.tail = this.tail.slice(-this.tailSize);
    }
  }

  /** The kept records in epoch order, each once; the last added epoch is always among them. */
  records(): EpochRecord[] {
    const tail = this.tail.slice(-this.tailSize);
    const firstTail = tail.length > 0 ? tail[0]!.epoch : Number.POSITIVE_INFINITY;
    return [...this.sampled.filter((r) => r.epoch < firstTail), ...tail];
  }

  contents(): HistoryContents {
    return {
      sampled: [...this.sampled],
      tail: this.tail.slice(-this.tailSize),
      stride: this.stride,
    };
  }
}
