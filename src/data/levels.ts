import { InputError } from "../core/errors.js";
import { parseNumber } from "./numbers.js";

/**
 * Category levels: the distinct values of a categorical column, in one fixed order that is
 * saved with a model, so that level i always means the same thing.
 *
 * Order: if every level reads as a number (`parseNumber`), by numeric value ("2" before
 * "10"); otherwise by UTF-16 code units (`"B" < "M" < "a"`), independent of locale. This is
 * the order of numpy's `np.unique` and so of scikit-learn's `LabelEncoder`/`OneHotEncoder`
 * for integer and for string labels.
 *
 * Two different spellings of one number (`"1"` and `"1.0"`) are refused: they would be two
 * levels that look the same.
 */
export function sortLevels(values: Iterable<string>, column: string, source?: string): string[] {
  const distinct = [...new Set(values)];
  const numbers = distinct.map((v) => parseNumber(v));
  if (numbers.every((n) => n !== undefined)) {
    const byNumber = new Map<number, string>();
    distinct.forEach((level, i) => {
      const n = numbers[i]!;
      const other = byNumber.get(n);
      if (other !== undefined) {
        throw new InputError(
          `${source === undefined ? "" : `${source}: `}column "${column}": levels ${quoteLevel(other)} and ${quoteLevel(level)} are the same number written two ways; write the labels one way`,
        );
      }
      byNumber.set(n, level);
    });
    return [...byNumber.entries()].sort((a, b) => a[0] - b[0]).map(([, level]) => level);
  }
  return distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A level quoted for a message (JSON string syntax, shortened if long). */
export function quoteLevel(level: string): string {
  return JSON.stringify(level.length > 40 ? `${level.slice(0, 37)}...` : level);
}

const MAX_LISTED = 20;

/** `"a", "b", "c"` (the first 20, then "... (n more)"). */
export function listLevels(levels: readonly string[]): string {
  const shown = levels.slice(0, MAX_LISTED).map(quoteLevel).join(", ");
  return levels.length > MAX_LISTED ? `${shown}, ... (${levels.length - MAX_LISTED} more)` : shown;
}

/** Where a value of a column is, for messages: `file:line:column` or `row i`. */
export interface ValueLocation {
  /** The file (or other source) the values came from. */
  readonly source?: string;
  /** 1-based file line of each value, if known. */
  readonly lines?: ArrayLike<number>;
  /** 1-based field number of the column in its file, if known. */
  readonly field?: number;
}

/** `data.csv:13:4: ` when the location is known, otherwise `row 12 (0-based): `. */
export function locate(where: ValueLocation | undefined, row: number): string {
  const line = where?.lines?.[row];
  if (where?.source !== undefined && line !== undefined) {
    return where.field === undefined
      ? `${where.source}:${line}: `
      : `${where.source}:${line}:${where.field}: `;
  }
  return `${where?.source === undefined ? "" : `${where.source}: `}row ${row} (0-based): `;
}

/**
 * Index of each value in `levels` (a map, built once), or an InputError naming the column,
 * the value, where it is and the known levels.
 */
export function levelIndices(
  values: readonly string[],
  levels: readonly string[],
  column: string,
  what: string,
  where?: ValueLocation,
): Int32Array {
  const index = new Map<string, number>();
  levels.forEach((level, i) => {
    index.set(level, i);
  });
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    const k = index.get(value);
    if (k === undefined) {
      throw new InputError(
        `${locate(where, i)}column "${column}": unknown ${what} ${quoteLevel(value)} (known ${what}s: ${listLevels(levels)}); the encoding was fitted without it`,
      );
    }
    out[i] = k;
  }
  return out;
}
