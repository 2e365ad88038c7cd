import type { z } from "zod";
import { InputError } from "../core/errors.js";
import { readDataset } from "../data/csv.js";
import type { Dataset } from "../data/dataset.js";
import {
  type ColumnRequest,
  readColumnNames,
  sortLevels,
  type Table,
  type TableColumn,
} from "../prep/index.js";
import type {
  dataSourceSchema,
  fileSourceSchema,
  inlineSourceSchema,
} from "./data-source-schema.js";

/**
 * Where a task's rows come from: a file on this machine (CSV/TSV, read by the one tabular
 * reader with its `file:line:column` messages) or columns carried inside the request (the web
 * app's uploads after parsing, a queue job's chunk). Inline columns are lists of equal length;
 * `null` is a missing value (its row is dropped, as an `--na` token is in a file).
 */
export const MAX_INLINE_CELLS = 50_000_000;

export type FileSource = z.infer<typeof fileSourceSchema>;
export type InlineSource = z.infer<typeof inlineSourceSchema>;
export type DataSource = z.infer<typeof dataSourceSchema>;

/** A file source's reader options (`na`, `delimiter`, `sheet`), without undefined entries. */
export function readerOptions(source: FileSource): {
  na?: string[];
  delimiter?: string;
  sheet?: string;
} {
  return {
    ...(source.na === undefined ? {} : { na: source.na }),
    ...(source.delimiter === undefined ? {} : { delimiter: source.delimiter }),
    ...(source.sheet === undefined ? {} : { sheet: source.sheet }),
  };
}

/** The name used in messages and saved results: the path, or the inline table's name. */
export function sourceName(source: DataSource): string {
  return "file" in source ? source.file : (source.name ?? "request data");
}

/**
 * The lists of the named inline columns, checked: every name present, equal lengths, at most
 * MAX_INLINE_CELLS cells in all.
 */
function inlineLists(source: InlineSource, names: readonly string[]) {
  const where = sourceName(source);
  const lists = names.map((name) => {
    const list = source.columns[name];
    if (list === undefined) {
      const known = Object.keys(source.columns).join(", ");
      throw new InputError(`${where}: no column "${name}" (columns: ${known})`);
    }
    return list;
  });
  const length = lists[0]?.length ?? 0;
  const k = lists.findIndex((l) => l.length !== length);
  if (k >= 0) {
    throw new InputError(
      `${where}: columns.${names[k]}: has ${lists[k]!.length} values, expected ${length} like columns.${names[0]}`,
    );
  }
  if (length * lists.length > MAX_INLINE_CELLS) {
    throw new InputError(
      `${where}: ${length * lists.length} cells, more than the limit of ${MAX_INLINE_CELLS}`,
    );
  }
  return { lists, length };
}

/**
 * Numeric columns `names` of an inline table with rows holding a `null` in any of them dropped
 * (listwise, like `--na`). Strings, non-finite numbers, unknown names and unequal lengths are
 * refused with the column's JSON path.
 */
export function inlineNumeric(
  source: InlineSource,
  names: readonly string[],
): { columns: Float64Array[]; rows: number; dropped: number } {
  const where = sourceName(source);
  const { lists, length } = inlineLists(source, names);
  const keep: number[] = [];
  for (let i = 0; i < length; i++) {
    let missing = false;
    for (const [k, list] of lists.entries()) {
      const v = list[i];
      if (v === null) missing = true;
      else if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new InputError(
          `${where}: columns.${names[k]}[${i}]: expected a finite number or null, got ${JSON.stringify(v)}`,
        );
      }
    }
    if (!missing) keep.push(i);
  }
  const columns = lists.map((list) => Float64Array.from(keep, (i) => list[i] as number));
  return { columns, rows: keep.length, dropped: length - keep.length };
}

/**
 * The numeric data set of columns `x` (features, in order) and `y` (target) of a source: a
 * file through the tabular reader (`na`, `delimiter` as given), or inline columns.
 */
export function numericDataset(source: DataSource, x: readonly string[], y: string): Dataset {
  if ("file" in source) {
    return readDataset(source.file, { x, y, ...readerOptions(source) });
  }
  if (x.includes(y)) {
    throw new InputError(`${sourceName(source)}: column "${y}" is both a feature and the target`);
  }
  const { columns, rows } = inlineNumeric(source, [...x, y]);
  if (rows === 0) throw new InputError(`${sourceName(source)}: no rows without missing values`);
  const p = x.length;
  const matrix = new Float64Array(rows * p);
  for (let j = 0; j < p; j++) {
    const c = columns[j]!;
    for (let i = 0; i < rows; i++) matrix[i * p + j] = c[i]!;
  }
  return {
    features: [...x],
    target: y,
    rows,
    x: matrix,
    y: columns[p]!,
    source: sourceName(source),
  };
}

/**
 * Inline columns as a table of the requested columns (numeric or categorical), with rows
 * holding a `null` in any of them dropped. Categorical cells may be strings or numbers
 * (kept as their text); numeric cells must be finite numbers.
 */
export function inlineTable(source: InlineSource, requests: readonly ColumnRequest[]): Table {
  const where = sourceName(source);
  const { lists, length } = inlineLists(
    source,
    requests.map((r) => r.name),
  );
  const keep: number[] = [];
  const dropped: number[] = [];
  for (let i = 0; i < length; i++) {
    let missing = false;
    requests.forEach(({ name, type }, k) => {
      const v = lists[k]![i];
      if (v === null) missing = true;
      else if (type === "numeric" ? typeof v !== "number" : v === "") {
        const expected = type === "numeric" ? "a number" : "a non-empty label";
        throw new InputError(
          `${where}: columns.${name}[${i}]: expected ${expected} or null, got ${JSON.stringify(v)}`,
        );
      }
    });
    (missing ? dropped : keep).push(i);
  }
  if (keep.length === 0) throw new InputError(`${where}: no rows without missing values`);
  const columns = requests.map(({ name, type }, k): TableColumn => {
    const list = lists[k]!;
    if (type === "numeric") {
      return {
        name,
        type,
        field: k + 1,
        values: Float64Array.from(keep, (i) => list[i] as number),
      };
    }
    const values = keep.map((i) => String(list[i]));
    return { name, type, field: k + 1, values, levels: sortLevels(values, name, where) };
  });
  return {
    source: where,
    rows: keep.length,
    columns,
    lines: Uint32Array.from(keep, (i) => i + 1),
    droppedRows: dropped.length,
    droppedLines: dropped.map((i) => i + 1),
  };
}

/** The column names of a source: a file's header, or the inline table's keys. */
export function sourceColumns(source: DataSource): string[] {
  if ("file" in source) {
    return readColumnNames(source.file, { delimiter: source.delimiter, sheet: source.sheet });
  }
  return Object.keys(source.columns);
}

/**
 * Numeric columns `x` and the response `y` of a file or inline source, rows with a missing
 * value in any of them dropped. A column may be named twice (a weight that is also a variable).
 */
export function numericColumns(
  source: DataSource,
  x: readonly string[],
  y: string,
): { columns: Float64Array[]; y: Float64Array; rows: number } {
  const distinct = [...new Set(x)];
  let read: Float64Array[];
  let response: Float64Array;
  if ("file" in source) {
    const data = readDataset(source.file, { x: distinct, y, ...readerOptions(source) });
    const p = distinct.length;
    read = distinct.map((_, k) =>
      Float64Array.from({ length: data.rows }, (_, i) => data.x[i * p + k]!),
    );
    response = data.y;
  } else {
    const got = inlineNumeric(source, [...distinct, y]);
    read = got.columns.slice(0, distinct.length);
    response = got.columns[distinct.length]!;
  }
  return {
    columns: x.map((name) => read[distinct.indexOf(name)]!),
    y: response,
    rows: response.length,
  };
}
