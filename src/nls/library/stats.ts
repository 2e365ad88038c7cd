import { BiogradError } from "../../core/errors.js";

/**
 * Data handling for self-starting rules: clean, sort and average replicates, medians,
 * ranges, interpolation, plausibility windows. Degenerate input gives `null` or a documented
 * default. (Least-squares fits are in regression.ts.)
 */

/** Rows where every column and y are finite, copied. */
export function finiteRows(
  columns: readonly Float64Array[],
  y: Float64Array,
): { columns: Float64Array[]; y: Float64Array } {
  const n = y.length;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i]!)) continue;
    let ok = true;
    for (const c of columns) {
      const v = c[i];
      if (v === undefined || !Number.isFinite(v)) {
        ok = false;
        break;
      }
    }
    if (ok) keep.push(i);
  }
  const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]!);
  return { columns: columns.map(pick), y: pick(y) };
}

/** Distinct x in increasing order with the mean y of their replicates (like R's sortedXyData). */
export interface XY {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/** Finite (x, y) pairs sorted by x, replicates averaged. */
export function sortedXY(x: Float64Array, y: Float64Array): XY {
  const rows = finiteRows([x], y);
  const xs = rows.columns[0]!;
  const ys = rows.y;
  const order = Array.from(xs.keys()).sort((a, b) => xs[a]! - xs[b]!);
  const outX: number[] = [];
  const outY: number[] = [];
  let i = 0;
  while (i < order.length) {
    const xi = xs[order[i]!]!;
    let sum = 0;
    let count = 0;
    while (i < order.length && xs[order[i]!]! === xi) {
      sum += ys[order[i]!]!;
      count++;
      i++;
    }
    outX.push(xi);
    outY.push(sum / count);
  }
  return { x: Float64Array.from(outX), y: Float64Array.from(outY) };
}

/** Median of the values; NaN for an empty list. */
export function median(values: ArrayLike<number>): number {
  const sorted = Array.from(values).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Smallest and largest value (±Infinity for an empty list). */
export function extent(values: ArrayLike<number>): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/**
 * The first x at which the piecewise-linear curve through (x_i, y_i) (x sorted) reaches
 * `level`; `null` when it never does.
 */
export function crossing(x: ArrayLike<number>, y: ArrayLike<number>, level: number): number | null {
  for (let i = 0; i + 1 < x.length; i++) {
    const a = y[i]! - level;
    const b = y[i + 1]! - level;
    if (a === 0) return x[i]!;
    if ((a < 0 && b >= 0) || (a > 0 && b <= 0)) {
      return x[i]! + ((x[i + 1]! - x[i]!) * a) / (a - b);
    }
  }
  return y.length > 0 && y[y.length - 1] === level ? x[x.length - 1]! : null;
}

/**
 * The model's data columns after dropping rows with a non-finite value; throws when fewer
 * columns than variables are given (a caller's mistake, not a data problem).
 */
export function usableRows(
  name: string,
  variables: readonly string[],
  columns: readonly Float64Array[],
  y: Float64Array,
): { columns: Float64Array[]; y: Float64Array } {
  if (columns.length < variables.length) {
    throw new BiogradError(
      "shape_mismatch",
      `${name}: selfStart needs ${variables.length} data column(s) (${variables.join(", ")}), got ${columns.length}`,
    );
  }
  return finiteRows(columns.slice(0, variables.length), y);
}

/**
 * `v` when it lies within `reach` widths of [lo, hi] (width hi − lo, or max(|lo|, |hi|, 1)
 * when that is 0), else NaN — so that the self-start falls back to its data-based value for
 * an estimate that ran off to ±∞ on data without the model's shape (a flat line fitted by a
 * sigmoid with its midpoint at −10³⁰).
 */
export function near(v: number, lo: number, hi: number, reach: number): number {
  const w = hi - lo > 0 ? hi - lo : Math.max(Math.abs(lo), Math.abs(hi), 1);
  return v >= lo - reach * w && v <= hi + reach * w ? v : Number.NaN;
}
