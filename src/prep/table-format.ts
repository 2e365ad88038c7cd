import type { CsvError } from "csv-parse/sync";
import { InputError } from "../core/errors.js";
import { editDistance, parseDataset } from "../data/csv.js";

export { delimiterFor, describeReadError } from "../data/file-format.js";

import type { ColumnRequest, ColumnType } from "./table.js";

/**
 * The file-format details of the table reader, kept in step with `src/data/csv.ts` so both
 * readers accept the same files and word their errors the same way.
 */

export interface Chosen {
  field: number; // 0-based index in the record
  slot: number; // index in options.columns
  name: string;
  type: ColumnType;
}

/**
 * A csv-parse syntax error as a located InputError. The numeric reader parses with the
 * same csv-parse options and locates syntax errors before it looks at any column, so it is
 * asked to (with a placeholder column): both readers then report a bad file identically.
 */
export function syntaxError(
  input: Buffer,
  source: string,
  delimiter: string,
  error: CsvError,
): Error {
  try {
    parseDataset(input.toString("utf8"), source, { x: ["\u0000"], delimiter });
  } catch (located) {
    if (located instanceof InputError) return located;
  }
  return new InputError(`${source}: ${error.message.replace(/\s+/g, " ")}`);
}

export function chooseColumns(
  header: readonly string[],
  requests: readonly ColumnRequest[],
  source: string,
  headerLine: number,
): Chosen[] {
  const chosen: Chosen[] = [];
  requests.forEach(({ name, type }, slot) => {
    const first = header.indexOf(name);
    if (first < 0) {
      const listed = header.slice(0, 12).join(", ");
      const more = header.length > 12 ? `, ... (${header.length - 12} more)` : "";
      const near = header.find(
        (h) => h !== "" && editDistance(h.toLowerCase(), name.toLowerCase()) <= 2,
      );
      const hint = near === undefined ? "" : `; did you mean "${near}"?`;
      throw new InputError(
        `${source}:${headerLine}: no column "${name}" (columns: ${listed}${more})${hint}`,
      );
    }
    const second = header.indexOf(name, first + 1);
    if (second >= 0) {
      throw new InputError(
        `${source}:${headerLine}:${second + 1}: column "${name}" appears more than once in the header (fields ${first + 1} and ${second + 1}); rename one of them`,
      );
    }
    chosen.push({ field: first, slot, name, type });
  });
  return chosen.sort((a, b) => a.field - b.field);
}

export function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

/** The numeric reader's hints, so both readers say the same about the same value. */
export function numberHint(raw: string): string {
  const v = raw.trim();
  if (/^[+-]?(?:inf|infinity)$/i.test(v)) return " (infinite values are not allowed)";
  if (/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(v)) return " (out of range for a double)";
  if (/^[+-]?\d+,\d+$/.test(v)) return " (use a dot as the decimal separator)";
  if (!/\d/.test(v) && !/\s/.test(v) && v.length <= 20) {
    const token = /^[\w./-]+$/.test(v) ? v : JSON.stringify(v);
    return ` (use --na ${token} to treat it as missing)`;
  }
  return "";
}

/** Line breaks inside the first `end` fields of a record (CRLF, LF, lone CR: one each). */
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
