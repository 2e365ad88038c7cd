import type { CurveFunction } from "../../core/curve.js";

/**
 * A curve of one variable evaluated once per distinct x instead of once per row. A
 * CurveFunction's f_i and ∂f_i/∂θ depend on θ and row i's variables only (core/curve.ts), so
 * rows with the same x get the same bits whether they are computed one by one or copied from
 * the first such row: the same values, at a third of the cost for 8 concentrations in
 * triplicate (the exponentials and powers dominate a 4PL's evaluation).
 *
 * x values count as the same under Object.is (0 and −0 apart, as they can give different
 * bits); a curve with more than 32 distinct x, or with fewer than two rows per x on average, is
 * evaluated directly, as is a curve of several variables.
 */
export class DistinctX {
  /** Row i's distinct x is `values[index[i]]`. */
  private readonly index: Int32Array;
  private readonly values: Float64Array;
  private readonly f: Float64Array;
  private readonly jac: Float64Array;
  private readonly column: Float64Array[];

  constructor(
    readonly maxRows: number,
    /** Parameters of the curves evaluated (the Jacobian's width). */
    readonly p: number,
  ) {
    this.index = new Int32Array(maxRows);
    this.values = new Float64Array(maxRows);
    this.f = new Float64Array(maxRows);
    this.jac = new Float64Array(maxRows * p);
    this.column = [this.values];
  }

  /**
   * curve.evaluate(theta, columns, n, f, jac), the same bits, evaluating each distinct x of a
   * one-variable curve once when some x repeats (n ≤ maxRows).
   */
  evaluate(
    curve: CurveFunction,
    theta: Float64Array,
    columns: readonly Float64Array[],
    n: number,
    f: Float64Array,
    jac: Float64Array | null,
  ): void {
    const p = this.p;
    const m = columns.length === 1 && n <= this.maxRows ? this.load(columns[0]!, n) : n;
    if (m === n || (jac !== null && curve.params.length !== p)) {
      curve.evaluate(theta, columns, n, f, jac);
      return;
    }
    const { index, f: fu } = this;
    if (jac === null) {
      curve.evaluate(theta, this.column, m, fu, null);
      for (let i = 0; i < n; i++) f[i] = fu[index[i]!]!;
      return;
    }
    const ju = this.jac;
    curve.evaluate(theta, this.column, m, fu, ju);
    for (let i = 0, row = 0; i < n; i++, row += p) {
      const k = index[i]!;
      f[i] = fu[k]!;
      for (let j = 0, from = k * p; j < p; j++) jac[row + j] = ju[from + j]!;
    }
  }

  /**
   * The distinct values of x's first n entries (in order of appearance); returns how many, or
   * n when there are more than MAX_DISTINCT or n/2 of them (too few repeats to gain).
   */
  private load(x: Float64Array, n: number): number {
    const { index, values } = this;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      // Replicates mostly sit next to each other: try the previous row's value first.
      if (i > 0 && same(v, x[i - 1]!)) {
        index[i] = index[i - 1]!;
        continue;
      }
      let k = 0;
      while (k < m && !same(values[k]!, v)) k++;
      if (k === m) {
        if (m === MAX_DISTINCT || 2 * (m + 1) > n) return n;
        values[m++] = v;
      }
      index[i] = k;
    }
    return m;
  }
}

/** The most distinct x searched (linearly) per row. */
const MAX_DISTINCT = 32;

/** Object.is for numbers, written out (0 and −0 differ; NaN never reaches here). */
function same(a: number, b: number): boolean {
  return a === b && (a !== 0 || 1 / a === 1 / b);
}
