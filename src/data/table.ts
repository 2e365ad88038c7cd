import { InputError } from "../core/errors.js";
import { findColumns, textHeader } from "./header.js";
import { numberHint, parseNumber } from "./numbers.js";
import { checkTableOptions, finishTable, tableSlots } from "./table-build.js";
import { breaksIn, delimiterFor, parseRecords, quote, readBytes } from "./table-format.js";
import type { Table, TableOptions } from "./table-types.js";
import { isWorkbookPath, readWorkbookColumnNames, readWorkbookTable } from "./table-xlsx.js";

export { tableColumn, takeTableRows } from "./table-rows.js";
export type * from "./table-types.js";
export { MAX_UNPACKED_BYTES, MAX_WORKBOOK_BYTES } from "./table-xlsx.js";

/**
 * The one tabular reader: chosen columns of a CSV/TSV file or an Excel workbook (`.xlsx`,
 * see `table-xlsx.ts`) as numeric, categorical or text columns (see `table-types.ts`).
 * Every command reads its data through it.
 *
 * Delimited text:
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

/** Reads `path`: an Excel workbook if it is named `.xlsx` (see `table-xlsx.ts`), else delimited text. */
export function readTable(path: string, options: TableOptions): Table {
  checkTableOptions("readTable", path, options);
  if (isWorkbookPath(path)) return readWorkbookTable(path, options);
  refuseSheet(options.sheet);
  return parseTableBytes(readTextBytes(path), path, options);
}

/** Parses CSV/TSV `text` as if read from `source` (named in messages; sets the default delimiter). */
export function parseTable(text: string, source: string, options: TableOptions): Table {
  checkTableOptions("parseTable", source, options);
  refuseSheet(options.sheet);
  return parseTableBytes(Buffer.from(text, "utf8"), source, options);
}

/** The names in the header row of `path`, in file order (e.g. to default the feature columns). */
export function readColumnNames(
  path: string,
  options: { delimiter?: string; sheet?: string } = {},
): string[] {
  if (isWorkbookPath(path)) return readWorkbookColumnNames(path, options);
  refuseSheet(options.sheet);
  const delimiter = delimiterFor(path, options.delimiter);
  return headerOf(parseRecords(readTextBytes(path), path, delimiter), path).fields;
}

// ---------------------------------------------------------------------------------------------

function refuseSheet(sheet: string | undefined): void {
  if (sheet !== undefined) {
    throw new InputError("--sheet: only an Excel workbook (.xlsx) has sheets; this is a text file");
  }
}

/** A text file's bytes, refusing a workbook under another name (a zip archive). */
function readTextBytes(path: string): Buffer {
  const bytes = readBytes(path);
  if (bytes.subarray(0, 4).equals(ZIP_MAGIC)) {
    throw new InputError(
      `${path}: this is a zip archive (an Excel workbook?), not delimited text; name it .xlsx to read it as a workbook`,
    );
  }
  return bytes;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** The first non-blank record and its line. */
function headerOf(records: readonly string[][], source: string) {
  let line = 1;
  for (const [index, fields] of records.entries()) {
    if (!(fields.length === 1 && fields[0] === "")) return { fields, line, index };
    line += 1 + breaksIn(fields);
  }
  throw new InputError(`${source}: file is empty; expected a header row naming the columns`);
}

function parseTableBytes(input: Buffer, source: string, options: TableOptions): Table {
  const delimiter = delimiterFor(source, options.delimiter);
  const na = new Set((options.na ?? []).map((t) => t.trim()));
  const records = parseRecords(input, source, delimiter);
  const header = headerOf(records, source);
  const names = options.columns.map((c) => c.name);
  const fields = findColumns(header.fields, names, textHeader(source, header.line, delimiter));
  const { slots, requested, others } = tableSlots(options, header.fields, fields);
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

  const places = { source, data: source, headerRow: `${source}:${header.line}` };
  return finishTable(places, slots, lines, droppedLines);
}

/** `file:line:column` of field `field` of a record starting on `line`. */
function where(source: string, line: number, record: readonly string[], field: number): string {
  return `${source}:${line + breaksIn(record, field)}:${field + 1}`;
}
