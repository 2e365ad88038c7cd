import { readFileSync } from "node:fs";
import { CsvError, type InfoRecord, type Options, parse } from "csv-parse/sync";
import { InputError } from "../core/errors.js";
import { checkOptions } from "../core/options.js";
import type { Dataset } from "./dataset.js";
import { delimiterFor, describeReadError } from "./file-format.js";

/**
 * Reading a numeric data set from a delimited text file (CSV or TSV).
 *
 * Format:
 * - The first non-blank row is a header naming the columns; columns are chosen by name
 *   (`x`, in the order wanted in `Dataset.x`, and `y`). Other columns may hold anything:
 *   they are checked only for having the right number of fields.
 * - Delimiter: `options.delimiter` if given ("tab" and "\t" spelled with a backslash both
 *   mean a tab character), otherwise a tab for `.tsv`/`.tab` files and a comma for anything
 *   else. Quoting follows RFC 4180 ("a ""quoted"" field", line breaks allowed inside quotes).
 *   LF, CRLF and CR line endings and a UTF-8 byte order mark are accepted.
 * - Whitespace around fields is ignored; blank lines are skipped (line numbers in messages
 *   still count them).
 * - Values of the chosen columns must be finite decimal numbers: `12`, `-1.5e-3`, `.5`, `3.`,
 *   `+2`. Not accepted: empty fields, `NaN`, `Inf`, hexadecimal, decimal commas, thousands
 *   separators, or numbers too large for a double.
 * - Missing values exist only through `options.na`: a list of tokens (compared exactly,
 *   after trimming whitespace; `""` means an empty field) that mark a value as missing.
 *   A data row with a missing value in any chosen column is dropped as a whole (listwise
 *   deletion); `readDatasetWithReport` says how many and which lines. Tokens are checked
 *   before numbers, so a sentinel such as `-999` can be declared missing.
 *
 * Every problem is an `InputError` with a one-line message that starts with the source and,
 * where there is one, the 1-based line and column (field number):
 *   data.csv:13:4: column "od600": expected a number, got "n/a" (use --na n/a to treat it as missing)
 */
export interface CsvOptions {
  /** Feature columns, in the order they take in `Dataset.x`; at least one. */
  x: readonly string[];
  /**
   * Target column; must not also be a feature. Omitted for prediction inputs: the data set's
   * `target` is then "" and its `y` empty.
   */
  y?: string;
  /** Tokens that mean "missing" (e.g. `["NA", "n/a", ""]`); rows holding one are dropped. */
  na?: readonly string[];
  /** Field delimiter; default by file extension (`.tsv`/`.tab`: tab, otherwise comma). */
  delimiter?: string;
}

export interface DatasetReport {
  dataset: Dataset;
  /** Data rows dropped because a chosen column held an `na` token. */
  droppedRows: number;
  /** The (1-based, first) file line of each dropped row, in file order. */
  droppedLines: number[];
}

/** Reads and parses `path` (see the module notes for the format and the errors). */
export function readDataset(path: string, options: CsvOptions): Dataset {
  return readDatasetWithReport(path, options).dataset;
}

/** As `readDataset`, also reporting the rows dropped for missing values. */
export function readDatasetWithReport(path: string, options: CsvOptions): DatasetReport {
  checkCsvOptions("readDataset", path, options);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InputError(`${path}: ${describeReadError(error)}`);
  }
  return parseBytes(bytes, path, options);
}

/** Parses CSV/TSV `text` as if read from `source` (used in messages and for the default delimiter). */
export function parseDataset(text: string, source: string, options: CsvOptions): Dataset {
  return parseDatasetWithReport(text, source, options).dataset;
}

/** As `parseDataset`, also reporting the rows dropped for missing values. */
export function parseDatasetWithReport(
  text: string,
  source: string,
  options: CsvOptions,
): DatasetReport {
  checkCsvOptions("parseDataset", source, options);
  return parseBytes(Buffer.from(text, "utf8"), source, options);
}

/** Decimal or scientific notation, nothing else: `-1.5e-3`, `.5`, `3.`, `+2`. */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Strict number parsing: the whole string (after trimming whitespace) must be a decimal or
 * scientific number with a finite double value; otherwise `undefined`. Unlike `Number()`,
 * rejects `""`, `"0x10"`, `"Infinity"`, `"1e"` and `"1e400"`.
 */
export function parseNumber(text: string): number | undefined {
  const s = text.trim();
  if (!NUMBER.test(s)) return undefined;
  const value = Number(s);
  return Number.isFinite(value) ? value : undefined;
}

// ---------------------------------------------------------------------------------------------

const isNonEmptyString = (v: unknown): v is string => typeof v === "string" && v !== "";

function checkCsvOptions(owner: string, source: string, options: CsvOptions): void {
  checkOptions(
    owner,
    options,
    {
      x: (v) =>
        Array.isArray(v) && v.length > 0 && v.every(isNonEmptyString)
          ? null
          : "a non-empty list of column names",
      y: (v) => (isNonEmptyString(v) ? null : "a column name"),
      na: (v) =>
        Array.isArray(v) && v.every((t) => typeof t === "string") ? null : "a list of strings",
      delimiter: (v) =>
        isNonEmptyString(v) && !/["\r\n]/.test(v)
          ? null
          : "a non-empty string without quotes or line breaks",
    },
    ["x"],
  );
  const seen = new Set<string>();
  for (const name of options.x) {
    if (seen.has(name)) {
      throw new InputError(`${source}: column "${name}" is listed twice as a feature (x)`);
    }
    seen.add(name);
  }
  if (options.y !== undefined && seen.has(options.y)) {
    throw new InputError(
      `${source}: column "${options.y}" is chosen both as a feature (x) and as the target (y)`,
    );
  }
}

/** Parses the bytes of a delimited file into a Dataset; `source` names it in messages. */
function parseBytes(input: Buffer, source: string, options: CsvOptions): DatasetReport {
  const features = [...options.x];
  const target = options.y ?? null;
  const na = new Set((options.na ?? []).map((t) => t.trim()));
  const delimiter = delimiterFor(source, options.delimiter);

  // Plain records, no per-record `info` (which costs more than the parsing itself); line
  // numbers are counted here instead. Blank lines are kept as [""] records for the count.
  let records: string[][];
  try {
    records = parse(input, csvParseOptions(delimiter));
  } catch (error) {
    if (error instanceof CsvError) throw locateSyntaxError(input, source, delimiter, error);
    throw error;
  }

  let header: string[] | undefined;
  let headerLine = 1;
  /** Chosen columns in file order: field index and slot (0..p-1 for features, p for y). */
  let chosen: { field: number; slot: number; name: string }[] = [];
  const p = features.length;
  const row = new Float64Array(p + 1);
  const xs: number[] = [];
  const ys: number[] = [];
  let kept = 0;
  const droppedLines: number[] = [];

  let next = 1; // the line the next record starts on
  for (const fields of records) {
    const line = next;
    next += 1 + breaksIn(fields);
    if (fields.length === 1 && fields[0] === "") continue; // blank line
    if (header === undefined) {
      header = fields;
      headerLine = line;
      chosen = chooseColumns(header, features, target, source, headerLine, delimiter);
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
    for (const { field, slot, name } of chosen) {
      const raw = fields[field]!;
      if (na.has(raw.trim())) {
        missing = true;
        continue;
      }
      const value = parseNumber(raw);
      if (value === undefined) {
        const where = `${source}:${line + breaksIn(fields, field)}:${field + 1}`;
        throw new InputError(
          `${where}: column "${name}": expected a number, got ${quote(raw)}${badValueHint(raw)}`,
        );
      }
      row[slot] = value;
    }
    if (missing) {
      droppedLines.push(line);
    } else {
      for (let j = 0; j < p; j++) xs.push(row[j]!);
      if (target !== null) ys.push(row[p]!);
      kept++;
    }
  }

  if (header === undefined) {
    throw new InputError(`${source}: file is empty; expected a header row naming the columns`);
  }
  const rowsRead = kept + droppedLines.length;
  if (rowsRead === 0) {
    throw new InputError(`${source}:${headerLine}: no data rows after the header`);
  }
  if (kept === 0) {
    throw new InputError(
      `${source}: all ${rowsRead} data ${rowsRead === 1 ? "row has" : "rows have"} a missing value (na) in a chosen column; no rows left`,
    );
  }
  const dataset: Dataset = {
    features,
    target: target ?? "",
    rows: kept,
    x: Float64Array.from(xs),
    y: Float64Array.from(ys),
    source,
  };
  return { dataset, droppedRows: droppedLines.length, droppedLines };
}

function csvParseOptions(delimiter: string): Options {
  return { bom: true, delimiter, trim: true, relax_column_count: true };
}

/**
 * Where a csv-parse syntax error is, as a one-line InputError. Parses again, tracking the
 * records (the error path only: per-record info is slow). csv-parse's own line count is off
 * after a CRLF inside quotes (it counts two lines), so its line is corrected by the drift
 * between its count and ours at the last good record.
 */
function locateSyntaxError(
  input: Buffer,
  source: string,
  delimiter: string,
  first: CsvError,
): InputError {
  let error = first;
  let next = 1;
  let parserLine = 0;
  try {
    parse(input, {
      ...csvParseOptions(delimiter),
      on_record: (fields: string[], info: InfoRecord): null => {
        next += 1 + breaksIn(fields);
        parserLine = info.lines;
        return null;
      },
    });
  } catch (again) {
    if (again instanceof CsvError) error = again;
  }
  const drift = parserLine - (next - 1);
  const line = (typeof error.lines === "number" ? error.lines : next) - drift;
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

/** Finds each requested column in the header (exactly once), in file order. */
function chooseColumns(
  header: readonly string[],
  features: readonly string[],
  target: string | null,
  source: string,
  headerLine: number,
  delimiter: string,
): { field: number; slot: number; name: string }[] {
  const chosen: { field: number; slot: number; name: string }[] = [];
  const requested = target === null ? [...features] : [...features, target];
  requested.forEach((name, slot) => {
    const first = header.indexOf(name);
    if (first < 0) throw missingColumn(header, name, source, headerLine, delimiter);
    const second = header.indexOf(name, first + 1);
    if (second >= 0) {
      throw new InputError(
        `${source}:${headerLine}:${second + 1}: column "${name}" appears more than once in the header (fields ${first + 1} and ${second + 1}); rename one of them`,
      );
    }
    chosen.push({ field: first, slot, name });
  });
  return chosen.sort((a, b) => a.field - b.field);
}

const MAX_LISTED = 12;

function missingColumn(
  header: readonly string[],
  name: string,
  source: string,
  headerLine: number,
  delimiter: string,
): InputError {
  const listed = header.slice(0, MAX_LISTED).join(", ");
  const more = header.length > MAX_LISTED ? `, ... (${header.length - MAX_LISTED} more)` : "";
  let message = `${source}:${headerLine}: no column "${name}" (columns: ${listed}${more})`;
  const other =
    header.length === 1
      ? [",", ";", "\t", "|"].find((d) => d !== delimiter && header[0]!.includes(d))
      : undefined;
  const suggestion = closestName(name, header);
  if (other !== undefined) {
    message += `; the header has a single column: is the delimiter ${quote(other)}? (use --delimiter)`;
  } else if (suggestion !== undefined) {
    message += `; did you mean "${suggestion}"?`;
  }
  return new InputError(message);
}

/** The header name most like `name` (ignoring case), if any is close enough to suggest. */
function closestName(name: string, header: readonly string[]): string | undefined {
  const wanted = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of header) {
    const c = candidate.toLowerCase();
    if (c === "") continue;
    const distance = editDistance(wanted, c);
    const close =
      distance <= Math.max(1, Math.floor(Math.max(wanted.length, c.length) / 3)) ||
      c.startsWith(wanted) ||
      wanted.startsWith(c);
    if (close && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Edit distance counting insertions, deletions, substitutions and swaps of two adjacent
 * characters as one edit each (optimal string alignment), so "tmie" is 1 from "time".
 */
export function editDistance(a: string, b: string): number {
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, before[j - 2]! + 1);
      }
      cur[j] = d;
    }
    [before, prev, cur] = [prev, cur, before];
  }
  return prev[b.length]!;
}

/** A value quoted for a message, shortened if long (one line: line breaks are escaped). */
function quote(value: string): string {
  const short = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return JSON.stringify(short);
}

/** What to suggest for a value that is not a number, as " (…)", or "". */
function badValueHint(raw: string): string {
  const v = raw.trim();
  if (/^[+-]?(?:inf|infinity)$/i.test(v)) return " (infinite values are not allowed)";
  if (NUMBER.test(v)) return " (out of range for a double)";
  if (/^[+-]?\d+,\d+$/.test(v)) return " (use a dot as the decimal separator)";
  // Looks like a missing-value marker ("NA", "n/a", "-", "?", ""): suggest declaring it.
  if (!/\d/.test(v) && !/\s/.test(v) && v.length <= 20) {
    const token = /^[\w./-]+$/.test(v) ? v : JSON.stringify(v);
    return ` (use --na ${token} to treat it as missing)`;
  }
  return "";
}

/**
 * Line breaks inside the first `end` fields of a record (all by default): CRLF, LF and a
 * lone CR each count once. Only quoted fields can hold them, and they keep them, so the
 * line a field starts on is the record's first line plus the breaks in the fields before it.
 */
function breaksIn(fields: readonly string[], end = fields.length): number {
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
