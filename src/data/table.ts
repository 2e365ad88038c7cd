import { InputError } from "../core/errors.js";
import { checkOptions } from "../core/options.js";
import { findColumns } from "./header.js";
import { sortLevels } from "./levels.js";
import { numberHint, parseNumber } from "./numbers.js";
import { breaksIn, delimiterFor, parseRecords, quote, readBytes } from "./table-format.js";
import type { ColumnType, Table, TableColumn, TableOptions } from "./table-types.js";

export { tableColumn, takeTableRows } from "./table-rows.js";
export type * from "./table-types.js";

/**
 * The one tabular reader: chosen columns of a CSV/TSV file as numeric, categorical or text
 * columns (see `table-types.ts`). Every command reads its data through it.
 *
 * Format:
 * - The first non-blank row is a header naming the columns; columns are chosen by name.
 *   Columns not chosen may hold anything: they are checked only for having the right
 *   number of fields.
 * - Delimiter: one character, or `tab`/`\t`; by default a tab for `.tsv`/`.tab` files and a
 *   comma otherwise. Quoting follows RFC 4180 ("a ""quoted"" field", line breaks allowed
 *   inside quotes). LF, CRLF and CR line endings and a UTF-8 byte order mark are accepted.
 * - Whitespace around fields is ignored; blank lines are skipped (line numbers in messages
 *   still count them).
 * - Missing values exist only through `na`: tokens compared after trimming (`""` is an
 *   empty field), checked before numbers (so `-999` can be declared missing). A row with a
 *   missing value in any requested column is dropped as a whole and its line reported in
 *   `droppedLines`; without `na`, a missing or malformed value is an error.
 *
 * Every problem is an `InputError` with a one-line message that starts with the source and,
 * where there is one, the 1-based line and column (field number):
 *   data.csv:13:4: column "od600": expected a number, got "n/a" (use --na n/a to treat it as missing)
 */

/** Reads `path` (see the module notes for the format and the errors). */
export function readTable(path: string, options: TableOptions): Table {
  checkTableOptions("readTable", path, options);
  return parseTableBytes(readBytes(path), path, options);
}

/** Parses CSV/TSV `text` as if read from `source` (named in messages; sets the default delimiter). */
export function parseTable(text: string, source: string, options: TableOptions): Table {
  checkTableOptions("parseTable", source, options);
  return parseTableBytes(Buffer.from(text, "utf8"), source, options);
}

/** The names in the header row of `path`, in file order (e.g. to default the feature columns). */
export function readColumnNames(path: string, options: { delimiter?: string } = {}): string[] {
  return headerOf(parseRecords(readBytes(path), path, delimiterFor(path, options.delimiter)), path)
    .fields;
}

// ---------------------------------------------------------------------------------------------

const TYPES: readonly ColumnType[] = ["numeric", "categorical", "text"];

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
    },
    ["columns"],
  );
  const seen = new Set<string>();
  for (const { name } of options.columns) {
    if (name === "") throw new InputError(`${source}: a requested column has an empty name`);
    if (seen.has(name)) throw new InputError(`${source}: column "${name}" is requested twice`);
    seen.add(name);
  }
  delimiterFor(source, options.delimiter);
}

/** The first non-blank record and its line. */
function headerOf(records: readonly string[][], source: string) {
  let line = 1;
  for (const [index, fields] of records.entries()) {
    if (!(fields.length === 1 && fields[0] === "")) return { fields, line, index };
    line += 1 + breaksIn(fields);
  }
  throw new InputError(`${source}: file is empty; expected a header row naming the columns`);
}

interface Slot {
  field: number; // 0-based index in the record
  name: string;
  type: ColumnType;
  other: boolean; // an unrequested column read as text (never missing)
  numbers: number[];
  strings: string[];
}

function parseTableBytes(input: Buffer, source: string, options: TableOptions): Table {
  const delimiter = delimiterFor(source, options.delimiter);
  const na = new Set((options.na ?? []).map((t) => t.trim()));
  const records = parseRecords(input, source, delimiter);
  const header = headerOf(records, source);
  const names = options.columns.map((c) => c.name);
  const fields = findColumns(header.fields, names, { source, line: header.line, delimiter });
  const slots: Slot[] = options.columns.map((c, k) => ({
    field: fields[k]!,
    name: c.name,
    type: c.type,
    other: false,
    numbers: [],
    strings: [],
  }));
  if (options.otherColumns === "text") {
    header.fields.forEach((name, field) => {
      if (fields.includes(field)) return;
      slots.push({ field, name, type: "text", other: true, numbers: [], strings: [] });
    });
  }
  const requested = slots.filter((s) => !s.other).sort((a, b) => a.field - b.field);
  const others = slots.filter((s) => s.other);
  const row: (number | string)[] = new Array(slots.length);

  const lines: number[] = [];
  const droppedLines: number[] = [];
  let next = header.line + 1 + breaksIn(header.fields);
  for (let r = header.index + 1; r < records.length; r++) {
    const record = records[r]!;
    const line = next;
    next += 1 + breaksIn(record);
    if (record.length === 1 && record[0] === "") continue; // blank line
    if (record.length !== header.fields.length) {
      throw new InputError(
        `${source}:${line}: row has ${record.length} ${
          record.length === 1 ? "field" : "fields"
        } but the header has ${header.fields.length}`,
      );
    }
    let missing = false;
    for (let k = 0; k < requested.length; k++) {
      const { field, name, type } = requested[k]!;
      const raw = record[field]!;
      if (na.has(raw.trim())) {
        missing = true;
        continue;
      }
      if (type === "numeric") {
        const value = parseNumber(raw);
        if (value === undefined) {
          throw new InputError(
            `${where(source, line, record, field)}: column "${name}": expected a number, got ${quote(raw)}${numberHint(raw)}`,
          );
        }
        row[k] = value;
      } else {
        if (raw === "" && type === "categorical") {
          throw new InputError(
            `${where(source, line, record, field)}: column "${name}": empty value (use --na "" to treat it as missing)`,
          );
        }
        row[k] = raw;
      }
    }
    if (missing) {
      droppedLines.push(line);
      continue;
    }
    for (let k = 0; k < requested.length; k++) {
      const slot = requested[k]!;
      if (slot.type === "numeric") slot.numbers.push(row[k] as number);
      else slot.strings.push(row[k] as string);
    }
    for (const slot of others) slot.strings.push(record[slot.field]!);
    lines.push(line);
  }

  const rowsRead = lines.length + droppedLines.length;
  if (rowsRead === 0) {
    throw new InputError(`${source}:${header.line}: no data rows after the header`);
  }
  if (lines.length === 0) {
    throw new InputError(
      `${source}: all ${rowsRead} data ${rowsRead === 1 ? "row has" : "rows have"} a missing value (na) in a chosen column; no rows left`,
    );
  }
  return {
    source,
    rows: lines.length,
    columns: slots.map((s) => toColumn(s, source)),
    lines: Uint32Array.from(lines),
    droppedRows: droppedLines.length,
    droppedLines,
  };
}

/** `file:line:column` of field `field` of a record starting on `line`. */
function where(source: string, line: number, record: readonly string[], field: number): string {
  return `${source}:${line + breaksIn(record, field)}:${field + 1}`;
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
