import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { CsvError, type Options, parse } from "csv-parse/sync";
import { InputError } from "../core/errors.js";

/**
 * The delimited-text format of every data file biograd reads (see `table.ts`): reading the
 * bytes, choosing the delimiter, splitting records with csv-parse, and locating syntax
 * errors as `file:line:column`.
 */

/** Reads a data file's bytes; a file-system error is a one-line InputError naming the file. */
export function readBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new InputError(`${path}: ${describeReadError(error)}`);
  }
}

/** A file-system error as the tail of a one-line message ("data.csv: no such file"). */
export function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "is a directory, not a data file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    default:
      return `cannot read the file (${code ?? String(error)})`;
  }
}

/**
 * The delimiter: one character as given (`tab` and `\t` spelled with a backslash mean a tab),
 * else by extension (`.tsv`/`.tab`: tab, otherwise comma). Anything else is refused with a
 * message naming `--delimiter`, the option every command reads it from.
 */
export function delimiterFor(source: string, given: string | undefined): string {
  if (given === undefined) {
    const ext = extname(source).toLowerCase();
    return ext === ".tsv" || ext === ".tab" ? "\t" : ",";
  }
  if (given === "tab" || given === "\\t") return "\t";
  if ([...given].length !== 1) {
    throw new InputError(
      `--delimiter: expected one character or "tab", got ${JSON.stringify(given)}`,
    );
  }
  if (/["\r\n]/.test(given)) {
    throw new InputError(
      `--delimiter: a quote or line break cannot separate fields, got ${JSON.stringify(given)}`,
    );
  }
  return given;
}

/** A value quoted for a message, shortened if long (one line: line breaks are escaped). */
export function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

/**
 * The records of `input`: header and data rows as trimmed fields, blank lines as `[""]` (so
 * that line numbers can be counted; see `breaksIn`). A syntax error is a located InputError.
 */
export function parseRecords(input: Buffer, source: string, delimiter: string): string[][] {
  // Plain records, no per-record `info` (which costs more than the parsing itself).
  try {
    return parse(input, csvParseOptions(delimiter));
  } catch (error) {
    if (error instanceof CsvError) throw locateSyntaxError(input, source, delimiter, error);
    throw error;
  }
}

/**
 * Every line ending ends a record, wherever it appears: csv-parse would otherwise take the
 * first ending it sees as the only one, keep a later LF as data and lose count of the lines.
 */
const LINE_ENDINGS = ["\r\n", "\n", "\r"];

function csvParseOptions(delimiter: string): Options {
  return {
    bom: true,
    delimiter,
    record_delimiter: LINE_ENDINGS,
    trim: true,
    relax_column_count: true,
  };
}

/**
 * Line breaks inside the first `end` fields of a record (all by default): CRLF, LF and a
 * lone CR each count once. Only quoted fields can hold them, and they keep them, so the
 * line a field starts on is the record's first line plus the breaks in the fields before it.
 */
export function breaksIn(fields: readonly string[], end = fields.length): number {
  let n = 0;
  for (let k = 0; k < end; k++) {
    const s = fields[k]!;
    if (s.indexOf("\n") < 0 && s.indexOf("\r") < 0) continue;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 13 || (c === 10 && s.charCodeAt(i - 1) !== 13)) n++;
    }
  }
  return n;
}

/**
 * Where a csv-parse syntax error is, as a one-line InputError. Parses again (the error path
 * only: per-record info is slow) with every line ending written as LF — the same records and
 * the same error, but csv-parse then counts one line per line ending, as our messages do
 * (it counts a CRLF inside quotes as two lines).
 */
function locateSyntaxError(
  input: Buffer,
  source: string,
  delimiter: string,
  first: CsvError,
): InputError {
  const unified = Buffer.from(input.toString("latin1").replace(/\r\n?/g, "\n"), "latin1");
  let error = first;
  let next = 1; // the line the record being parsed starts on
  try {
    parse(unified, {
      ...csvParseOptions(delimiter),
      on_record: (fields: string[]): null => {
        next += 1 + breaksIn(fields);
        return null;
      },
    });
  } catch (again) {
    if (again instanceof CsvError) error = again;
  }
  const line = typeof error.lines === "number" ? error.lines : next;
  const at = (l: number) =>
    typeof error.column === "number" ? `${source}:${l}:${error.column + 1}` : `${source}:${l}`;
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      // Reported where the record with the open quote starts, not at the end of the file.
      return new InputError(
        `${at(next)}: unclosed quote: this field opens with " and the file ends before it closes`,
      );
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return new InputError(
        `${at(line)}: unexpected text after a closing quote (inside a quoted field, write a quote as "")`,
      );
    case "INVALID_OPENING_QUOTE":
      return new InputError(
        `${at(line)}: quote inside an unquoted field (quote the whole field and write the quote as "")`,
      );
    default:
      return new InputError(`${source}:${line}: ${error.message.replace(/\s+/g, " ")}`);
  }
}
