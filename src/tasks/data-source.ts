import { z } from "zod";
import { InputError } from "../core/errors.js";
import { readDataset } from "../data/csv.js";

/**
 * Where a task's rows come from: a file on this machine (CSV/TSV, read by the one tabular
 * reader with its `file:line:column` messages) or columns carried inside the request (the web
 * app's uploads after parsing, a queue job's chunk). Inline columns are lists of equal length;
 * `null` is a missing value (its row is dropped, as an `--na` token is in a file).
 */
export const MAX_INLINE_CELLS = 50_000_000;

export const fileSourceSchema = z
  .object({
    file: z.string().min(1),
    delimiter: z.string().optional(),
    na: z.array(z.string()).max(100).optional(),
  })
  .strict();

export const inlineSourceSchema = z
  .object({
    columns: z.record(z.string(), z.array(z.union([z.number(), z.string(), z.null()]))),
    name: z.string().optional(),
  })
  .strict();

export const dataSourceSchema = z.union([fileSourceSchema, inlineSourceSchema]);

export type FileSource = z.infer<typeof fileSourceSchema>;
export type InlineSource = z.infer<typeof inlineSourceSchema>;
export type DataSource = z.infer<typeof dataSourceSchema>;

/** The name used in messages and saved results: the path, or the inline table's name. */
export function sourceName(source: DataSource): string {
  return "file" in source ? source.file : (source.name ?? "request data");
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
  const lists = names.map((name) => {
    const list = source.columns[name];
    if (list === undefined) {
      const known = Object.keys(source.columns).join(", ");
      throw new InputError(`${where}: no column "${name}" (columns: ${known})`);
    }
    return list;
  });
  const length = lists[0]?.length ?? 0;
  let cells = 0;
  for (const [k, list] of lists.entries()) {
    if (list.length !== length) {
      throw new InputError(
        `${where}: columns.${names[k]}: has ${list.length} values, expected ${length} like columns.${names[0]}`,
      );
    }
    cells += list.length;
  }
  if (cells > MAX_INLINE_CELLS) {
    throw new InputError(`${where}: ${cells} cells, more than the limit of ${MAX_INLINE_CELLS}`);
  }
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
    const data = readDataset(source.file, {
      x: distinct,
      y,
      na: source.na,
      delimiter: source.delimiter,
    });
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
