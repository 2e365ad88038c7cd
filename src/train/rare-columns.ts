/**
 * The record fields that most runs keep constant: learning rate (no schedule), threshold
 * (a fixed clip), skipped steps, zeroed entries, validation loss (none given) and the flags.
 * While every row written holds the same six values they are kept once; the first row that
 * differs turns them into per-row columns (earlier rows filled with the kept values), from
 * then on written like any other column. A 1,000-epoch run without a schedule then writes
 * and allocates 6 numbers per row fewer: the history's fresh memory (and its page faults)
 * is a cost the seed workload measures.
 */

/** Fields in the order of `set`'s arguments, the offsets `value` takes. */
export const LR = 0;
export const THRESHOLD = 1;
export const SKIPPED = 2;
export const ZEROED = 3;
export const VALIDATION = 4;
export const FLAGS = 5;
const R = 6;

/** The same number as far as JS can tell: NaN equals NaN, −0 differs from 0 (`Object.is`). */
const same = Object.is;

export class RareColumns {
  /** The values every row holds while `rows` is null; kept in a Float64Array like rows are. */
  private readonly kept = new Float64Array(R);
  private started = false;
  private rows: Float64Array | null = null;
  private slots = 0;

  /** Makes room for `slots` rows (per-row storage only once it exists). */
  ensure(slots: number): void {
    if (slots <= this.slots) return;
    if (this.rows !== null) {
      const rows = new Float64Array(slots * R);
      rows.set(this.rows);
      this.rows = rows;
    }
    this.slots = slots;
  }

  /** Stores the six values for `slot` (`ensure` has made room for it). */
  set(
    slot: number,
    lr: number,
    threshold: number,
    skipped: number,
    zeroed: number,
    validation: number,
    flags: number,
  ): void {
    let v = this.rows;
    if (v === null) {
      const k = this.kept;
      if (!this.started) {
        this.started = true;
      } else if (
        same(lr, k[LR]!) &&
        same(threshold, k[THRESHOLD]!) &&
        same(skipped, k[SKIPPED]!) &&
        same(zeroed, k[ZEROED]!) &&
        same(validation, k[VALIDATION]!) &&
        flags === k[FLAGS]!
      ) {
        return;
      } else {
        v = this.spread();
      }
      if (v === null) {
        k[LR] = lr;
        k[THRESHOLD] = threshold;
        k[SKIPPED] = skipped;
        k[ZEROED] = zeroed;
        k[VALIDATION] = validation;
        k[FLAGS] = flags;
        return;
      }
    }
    const o = slot * R;
    v[o] = lr;
    v[o + 1] = threshold;
    v[o + 2] = skipped;
    v[o + 3] = zeroed;
    v[o + 4] = validation;
    v[o + 5] = flags;
  }

  /** Field `field` of the row in `slot`. */
  value(slot: number, field: number): number {
    return this.rows === null ? this.kept[field]! : this.rows[slot * R + field]!;
  }

  /** Copies row `from` over row `to` (compaction). */
  move(from: number, to: number): void {
    if (this.rows !== null) this.rows.copyWithin(to * R, from * R, from * R + R);
  }

  /** Copies row `from` of `source` into row `to` of this one. */
  copyFrom(source: RareColumns, from: number, to: number): void {
    const s = (f: number) => source.value(from, f);
    this.set(to, s(LR), s(THRESHOLD), s(SKIPPED), s(ZEROED), s(VALIDATION), s(FLAGS));
  }

  /** Turns the kept values into per-row columns, every row holding them. */
  private spread(): Float64Array {
    const rows = new Float64Array(Math.max(this.slots, 1) * R);
    for (let o = 0; o < rows.length; o += R) rows.set(this.kept, o);
    this.rows = rows;
    return rows;
  }
}
