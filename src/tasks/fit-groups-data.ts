import { InputError } from "../core/errors.js";
import { streamGroupedColumns } from "../data/grouped-columns.js";
import { numberHint, parseNumber } from "../data/numbers.js";
import { readTable } from "../data/table.js";
import { quote } from "../data/table-format.js";
import { isWorkbookPath } from "../data/table-xlsx.js";
import type { FileSource } from "./data-source.js";
import { applyLogXGrouped } from "./fit-curve-log-x.js";
import type { FieldLabels } from "./fit-curve-request.js";

/**
 * A file's rows split into groups, read once: the numeric columns in group order (group g is
 * rows offsets[g] … offsets[g + 1] − 1, each group's rows in file order), one copy in all.
 * A missing value (an `--na` token) in a numeric column is NaN here and drops that row from
 * its group's fit only; a group whose rows are all missing is still a group (it fails with
 * its reason), unlike a reader that drops such rows before grouping.
 */
export interface GroupedRows {
  source: string;
  /** The group columns' values of each group, in order of first appearance. */
  keys: string[][];
  offsets: Int32Array;
  /** The requested numeric columns, each in group order. */
  columns: Float64Array[];
}

export function readGroupedRows(
  data: FileSource,
  groupColumns: readonly string[],
  numeric: readonly string[],
): GroupedRows {
  const source = data.file;
  if (data.sheet === undefined && !isWorkbookPath(source)) {
    const streamed = streamGroupedColumns(source, {
      groupColumns,
      numeric,
      delimiter: data.delimiter,
      na: data.na,
    });
    if (streamed !== null) return { source, ...streamed };
  }
  // A workbook, or a text file the streaming reader hands back (quotes, an error to locate).
  return tableGroupedRows(data, groupColumns, numeric);
}

/** The same through the table reader (string records first): workbooks, quoted text, errors. */
export function tableGroupedRows(
  data: FileSource,
  groupColumns: readonly string[],
  numeric: readonly string[],
): GroupedRows {
  const source = data.file;
  const na = new Set((data.na ?? []).map((t) => t.trim()));
  const names = [...new Set([...groupColumns, ...numeric])];
  const table = readTable(source, {
    columns: names.map((name) => ({ name, type: "text" as const })),
    delimiter: data.delimiter,
    sheet: data.sheet,
  });
  const text = (name: string) => {
    const c = table.columns[names.indexOf(name)]!;
    return { values: c.values as readonly string[], field: c.field };
  };
  const groupCells = groupColumns.map(text);
  const byKey = new Map<string, number>();
  const keys: string[][] = [];
  const groupOf = new Int32Array(table.rows).fill(-1);
  for (let i = 0; i < table.rows; i++) {
    const key: string[] = [];
    let missing = false;
    for (const [k, g] of groupCells.entries()) {
      const v = g.values[i]!;
      if (na.has(v.trim())) missing = true;
      else if (v === "") {
        throw new InputError(
          `${source}:${table.lines[i]}:${g.field}: group column "${groupColumns[k]}": empty value (use --na "" to drop such rows)`,
        );
      }
      key.push(v);
    }
    if (missing) continue;
    const id = JSON.stringify(key);
    let g = byKey.get(id);
    if (g === undefined) {
      g = keys.length;
      byKey.set(id, g);
      keys.push(key);
    }
    groupOf[i] = g;
  }
  // Counting sort by group keeps each group's rows in file order.
  const offsets = new Int32Array(keys.length + 1);
  for (let i = 0; i < table.rows; i++) if (groupOf[i]! >= 0) offsets[groupOf[i]! + 1]!++;
  for (let g = 0; g < keys.length; g++) offsets[g + 1]! += offsets[g]!;
  const slot = Int32Array.from(offsets.subarray(0, keys.length));
  const order = new Int32Array(offsets[keys.length]!);
  for (let i = 0; i < table.rows; i++) if (groupOf[i]! >= 0) order[slot[groupOf[i]!]!++] = i;
  const columns = numeric.map((name) => {
    const { values, field } = text(name);
    return Float64Array.from(order, (i) => {
      const raw = values[i]!;
      if (na.has(raw.trim())) return Number.NaN;
      const v = parseNumber(raw);
      if (v === undefined) {
        throw new InputError(
          `${source}:${table.lines[i]}:${field}: column "${name}": expected a number, got ${quote(raw)}${numberHint(raw)}`,
        );
      }
      return v;
    });
  });
  return { source, keys, offsets, columns };
}

/**
 * `--x-log10` on a grouped file: the model's columns named in `logX` (the first columns of
 * `rows.columns`, in `prepared.numeric` order) on their log10, in place, so every group's fit
 * is the single fit of its rows with the same flag.
 */
export function logGroupedX(
  rows: GroupedRows,
  modelColumns: readonly string[],
  request: { group: readonly string[]; logX?: readonly string[] },
  labels: FieldLabels,
): void {
  const where = (i: number) => {
    let g = 0;
    while (rows.offsets[g + 1]! <= i) g++;
    return `${rows.source} (group ${request.group.join(",")} = ${rows.keys[g]!.join(",")})`;
  };
  applyLogXGrouped(modelColumns, rows.columns, request.logX ?? [], labels, where);
}
