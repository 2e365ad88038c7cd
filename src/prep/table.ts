import { readFileSync } from "node:fs";
import { CsvError, parse } from "csv-parse/sync";
import { InputError } from "../core/errors.js";
import { checkOptions } from "../core/options.js";
import { parseNumber } from "../data/csv.js";
import { sortLevels } from "./levels.js";
import {
  breaksIn,
  type Chosen,
  chooseColumns,
  delimiterFor,
  describeReadError,
  numberHint,
  quote,
  syntaxError,
} from "./table-format.js";

/**
 * Reading chosen columns of a CSV/TSV file as numeric or categorical (string) columns.
 * `src/data/csv.ts` reads numbers only; this reader is the same format (header row,
 * delimiter by extension or `delimiter`, RFC 4180 quoting, trimmed fields, blank lines
 * skipped, `file:line:column` messages) with one more column type:
 *
 * - `numeric`: finite decimal numbers exactly as `readDataset` accepts them (`parseNumber`).
 * - `categorical`: any non-empty text, kept as written (after trimming). The column's
 *   `levels` are its distinct values in `sortLevels` order (numeric if all are numbers,
 *   otherwise by code unit). An empty field is refused unless `""` is an `na` token.
 *
 * Missing values exist only through `na` (tokens compared after trimming; `""` is an empty
 * field). A row with a missing value in any chosen column is dropped as a whole, and its
 * line is reported in `droppedLines`; without `na`, a missing or malformed value is an
 * error naming the file, line, column number and column name.
 */
export type ColumnType = "numeric" | "categorical";

export interface ColumnRequest {
  readonly name: string;
  readonly type: ColumnType;
}

export interface TableOptions {
  /** The columns to read, in the order wanted in `Table.columns`; at least one. */
  columns: readonly ColumnRequest[];
  /** Tokens that mean "missing" (e.g. `["NA", ""]`); rows holding one are dropped. */
  na?: readonly string[];
  /** Field delimiter; default by file extension (`.tsv`/`.tab`: tab, otherwise comma). */
  delimiter?: string;
}

interface ColumnBase {
  readonly name: string;
  /** 1-based field number in the file (the column of `file:line:column`). */
  readonly field: number;
}

export interface NumericColumn extends ColumnBase {
  readonly type: "numeric";
  readonly values: Float64Array;
}

export interface CategoricalColumn extends ColumnBase {
  readonly type: "categorical";
  readonly values: readonly string[];
  /** Distinct values in `sortLevels` order. */
  readonly levels: readonly string[];
}

export type TableColumn = NumericColumn | CategoricalColumn;

export interface Table {
  /** The file (or the name given to `parseTable`), for messages. */
  readonly source: string;
  /** Rows kept. */
  readonly rows: number;
  readonly columns: readonly TableColumn[];
  /** The 1-based file line each kept row starts on. */
  readonly lines: Uint32Array;
  /** Rows dropped for a missing (`na`) value, and their first lines in file order. */
  readonly droppedRows: number;
  readonly droppedLines: readonly number[];
}

/** Reads `path` (see the module notes for the format and the errors). */
export function readTable(path: string, options: TableOptions): Table {
  checkTableOptions("readTable", path, options);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InputError(`${path}: ${describeReadError(error)}`);
  }
  return parseTableBytes(bytes, path, options);
}

/** Parses CSV/TSV `text` as if read from `source` (named in messages; sets the default delimiter). */
export function parseTable(text: string, source: string, options: TableOptions): Table {
  checkTableOptions("parseTable", source, options);
  return parseTableBytes(Buffer.from(text, "utf8"), source, options);
}

/** The header row of `path` (its column names), read as `readTable` reads the file. */
export function readHeader(path: string, delimiter?: string): string[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InputError(`${path}: ${describeReadError(error)}`);
  }
  const d = delimiterFor(path, delimiter);
  let records: string[][];
  try {
    records = parse(bytes, { bom: true, delimiter: d, trim: true, skip_empty_lines: true, to: 1 });
  } catch (error) {
    if (error instanceof CsvError) throw syntaxError(bytes, path, d, error);
    throw error;
  }
  const header = records.find((r) => !(r.length === 1 && r[0] === ""));
  if (header === undefined) {
    throw new InputError(`${path}: file is empty; expected a header row naming the columns`);
  }
  return header;
}

/** The column called `name`, or an InputError listing the table's columns. */
export function tableColumn(table: Table, name: string): TableColumn {
  const found = table.columns.find((c) => c.name === name);
  if (found === undefined) {
    const names = table.columns.map((c) => `"${c.name}"`).join(", ");
    throw new InputError(`${table.source}: no column "${name}" was read (read: ${names})`);
  }
  return found;
}

/** The rows `rows` (indices into the table, in that order) as a new table. */
export function takeTableRows(table: Table, rows: ArrayLike<number>): Table {
  const pick = Array.from(rows, (r) => {
    if (!Number.isInteger(r) || r < 0 || r >= table.rows) {
      throw new RangeError(`takeTableRows: row ${r} is outside 0..${table.rows - 1}`);
    }
    return r;
  });
  const columns = table.columns.map((c): TableColumn => {
    if (c.type === "numeric") {
      return { ...c, values: Float64Array.from(pick, (r) => c.values[r]!) };
    }
    const values = pick.map((r) => c.values[r]!);
    return { ...c, values, levels: sortLevels(values, c.name, table.source) };
  });
  return {
    ...table,
    rows: pick.length,
    columns,
    lines: Uint32Array.from(pick, (r) => table.lines[r]!),
  };
}

// ---------------------------------------------------------------------------------------------

const isNonEmptyString = (v: unknown): v is string => typeof v === "string" && v !== "";

function checkTableOptions(owner: string, source: string, options: TableOptions): void {
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
            isNonEmptyString(c.name) &&
            (c.type === "numeric" || c.type === "categorical") &&
            Object.keys(c).every((k) => k === "name" || k === "type"),
        )
          ? null
          : 'a non-empty list of { name, type: "numeric" | "categorical" }',
      na: (v) =>
        Array.isArray(v) && v.every((t) => typeof t === "string") ? null : "a list of strings",
      delimiter: (v) =>
        isNonEmptyString(v) && !/["\r\n]/.test(v)
          ? null
          : "a non-empty string without quotes or line breaks",
    },
    ["columns"],
  );
  const seen = new Set<string>();
  for (const { name } of options.columns) {
    if (seen.has(name)) throw new InputError(`${source}: column "${name}" is requested twice`);
    seen.add(name);
  }
}

function parseTableBytes(input: Buffer, source: string, options: TableOptions): Table {
  const delimiter = delimiterFor(source, options.delimiter);
  const na = new Set((options.na ?? []).map((t) => t.trim()));
  let records: string[][];
  try {
    records = parse(input, { bom: true, delimiter, trim: true, relax_column_count: true });
  } catch (error) {
    if (error instanceof CsvError) throw syntaxError(input, source, delimiter, error);
    throw error;
  }

  const requests = options.columns;
  const numbers = requests.map(() => [] as number[]);
  const strings = requests.map(() => [] as string[]);
  const lines: number[] = [];
  const droppedLines: number[] = [];
  const row: (number | string)[] = new Array(requests.length);
  let header: string[] | undefined;
  let headerLine = 1;
  let chosen: Chosen[] = [];

  let next = 1;
  for (const fields of records) {
    const line = next;
    next += 1 + breaksIn(fields);
    if (fields.length === 1 && fields[0] === "") continue; // blank line
    if (header === undefined) {
      header = fields;
      headerLine = line;
      chosen = chooseColumns(header, requests, source, headerLine);
      continue;
    }
    if (fields.length !== header.length) {
      throw new InputError(
        `${source}:${line}: row has ${fields.length} ${
          fields.length === 1 ? "field" : "fields"
        } but the header has ${header.length}`,
      );
    }
    let missing = false;
    for (const { field, slot, name, type } of chosen) {
      const raw = fields[field]!;
      if (na.has(raw.trim())) {
        missing = true;
        continue;
      }
      const where = `${source}:${line + breaksIn(fields, field)}:${field + 1}`;
      if (type === "numeric") {
        const value = parseNumber(raw);
        if (value === undefined) {
          throw new InputError(
            `${where}: column "${name}": expected a number, got ${quote(raw)}${numberHint(raw)}`,
          );
        }
        row[slot] = value;
      } else {
        if (raw === "") {
          throw new InputError(
            `${where}: column "${name}": empty value (use --na "" to treat it as missing)`,
          );
        }
        row[slot] = raw;
      }
    }
    if (missing) {
      droppedLines.push(line);
      continue;
    }
    requests.forEach((r, slot) => {
      if (r.type === "numeric") numbers[slot]!.push(row[slot] as number);
      else strings[slot]!.push(row[slot] as string);
    });
    lines.push(line);
  }

  if (header === undefined) {
    throw new InputError(`${source}: file is empty; expected a header row naming the columns`);
  }
  const kept = lines.length;
  const rowsRead = kept + droppedLines.length;
  if (rowsRead === 0)
    throw new InputError(`${source}:${headerLine}: no data rows after the header`);
  if (kept === 0) {
    throw new InputError(
      `${source}: all ${rowsRead} data ${rowsRead === 1 ? "row has" : "rows have"} a missing value (na) in a chosen column; no rows left`,
    );
  }
  const fieldOf = new Map(chosen.map((c) => [c.slot, c.field + 1]));
  const columns = requests.map((r, slot): TableColumn => {
    const field = fieldOf.get(slot)!;
    if (r.type === "numeric") {
      return { name: r.name, type: "numeric", field, values: Float64Array.from(numbers[slot]!) };
    }
    const values = strings[slot]!;
    return {
      name: r.name,
      type: "categorical",
      field,
      values,
      levels: sortLevels(values, r.name, source),
    };
  });
  return {
    source,
    rows: kept,
    columns,
    lines: Uint32Array.from(lines),
    droppedRows: droppedLines.length,
    droppedLines,
  };
}
