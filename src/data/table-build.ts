import { InputError } from "../core/errors.js";
import { checkOptions } from "../core/options.js";
import { sortLevels } from "./levels.js";
import type { ColumnType, Table, TableColumn, TableOptions } from "./table-types.js";

/**
 * What the two formats of the tabular reader share (delimited text in `table.ts`, Excel
 * workbooks in `table-xlsx.ts`): checking a request, the per-column slots the rows are
 * collected into, and turning them into a `Table`.
 */

const TYPES: readonly ColumnType[] = ["numeric", "categorical", "text"];

/** Checks a request's shape (a caller's mistake, by option name) and its column names. */
export function checkTableOptions(owner: string, source: string, options: TableOptions): void {
  checkOptions(
    owner,
    options,
    {
      columns: (v) =>
        Array.isArray(v) &&
        v.length > 0 &&
        v.every(
          (c) =>
            typeof c === "object" &&
            c !== null &&
            typeof c.name === "string" &&
            TYPES.includes(c.type) &&
            Object.keys(c).every((k) => k === "name" || k === "type"),
        )
          ? null
          : 'a non-empty list of { name, type: "numeric" | "categorical" | "text" }',
      otherColumns: (v) => (v === "text" ? null : '"text"'),
      na: (v) =>
        Array.isArray(v) && v.every((t) => typeof t === "string") ? null : "a list of strings",
      delimiter: (v) => (typeof v === "string" ? null : "a string"),
      sheet: (v) => (typeof v === "string" ? null : "a sheet name"),
    },
    ["columns"],
  );
  const seen = new Set<string>();
  for (const { name } of options.columns) {
    if (name === "") throw new InputError(`${source}: a requested column has an empty name`);
    if (seen.has(name)) throw new InputError(`${source}: column "${name}" is requested twice`);
    seen.add(name);
  }
}

/** One column being collected: where it is in a row, and its values so far. */
export interface Slot {
  field: number; // 0-based index in the row
  name: string;
  type: ColumnType;
  other: boolean; // an unrequested column read as text (never missing)
  numbers: number[];
  strings: string[];
}

/**
 * The slots of a request whose columns were found at `fields` (0-based, in request order):
 * all of them in `Table.columns` order, the requested ones in row order (the order their
 * cells are checked, so the first bad cell of a row is the one reported) and the others.
 */
export function tableSlots(options: TableOptions, header: readonly string[], fields: number[]) {
  const slots: Slot[] = options.columns.map((c, k) => ({
    field: fields[k]!,
    name: c.name,
    type: c.type,
    other: false,
    numbers: [],
    strings: [],
  }));
  if (options.otherColumns === "text") {
    header.forEach((name, field) => {
      if (fields.includes(field)) return;
      slots.push({ field, name, type: "text", other: true, numbers: [], strings: [] });
    });
  }
  return {
    slots,
    requested: slots.filter((s) => !s.other).sort((a, b) => a.field - b.field),
    others: slots.filter((s) => s.other),
  };
}

/** Where a table's parts are named in its messages. */
export interface TablePlaces {
  /** The file, as `Table.source`. */
  source: string;
  /** The data's container: the file, or `plate.xlsx:Sheet1`. */
  data: string;
  /** The header row: `data.csv:1` or `plate.xlsx:Sheet1, row 1`. */
  headerRow: string;
}

/** The table of the collected slots (or an error when no row was read or kept). */
export function finishTable(
  places: TablePlaces,
  slots: readonly Slot[],
  lines: readonly number[],
  droppedLines: number[],
): Table {
  const rowsRead = lines.length + droppedLines.length;
  if (rowsRead === 0) throw new InputError(`${places.headerRow}: no data rows after the header`);
  if (lines.length === 0) {
    throw new InputError(
      `${places.data}: all ${rowsRead} data ${rowsRead === 1 ? "row has" : "rows have"} a missing value (na) in a chosen column; no rows left`,
    );
  }
  return {
    source: places.source,
    rows: lines.length,
    columns: slots.map((s) => toColumn(s, places.data)),
    lines: Uint32Array.from(lines),
    droppedRows: droppedLines.length,
    droppedLines,
  };
}

function toColumn(s: Slot, source: string): TableColumn {
  const base = { name: s.name, field: s.field + 1 };
  if (s.type === "numeric") {
    return { ...base, type: "numeric", values: Float64Array.from(s.numbers) };
  }
  if (s.type === "text") return { ...base, type: "text", values: s.strings };
  return {
    ...base,
    type: "categorical",
    values: s.strings,
    levels: sortLevels(s.strings, s.name, source),
  };
}
