import { InputError } from "../core/errors.js";
import { parseNumber } from "../data/numbers.js";
import { readColumnNames, readTable } from "../data/table.js";
import type { TextColumn } from "../data/table-types.js";
import { isWorkbookPath, openSheet } from "../data/xlsx-workbook.js";
import { HttpError } from "./http-error.js";

export interface ColumnSummary {
  name: string;
  type: "numeric" | "categorical" | "text";
  /** Empty cells. */
  missing: number;
}

export interface UploadSummary {
  rows: number;
  columns: ColumnSummary[];
  /** The first PREVIEW_ROWS rows, as written. */
  preview: string[][];
  /** Cells that would stop a fit on a column that is mostly numbers: the CLI's own message. */
  problems: { message: string }[];
  /** An Excel workbook's sheets, else null. */
  sheets: string[] | null;
}

export const PREVIEW_ROWS = 20;
/** A column with at most this many distinct values (or half its cells) is categorical. */
const MAX_LEVELS = 50;

export interface SummaryLimits {
  maxRows: number;
  maxColumns: number;
}

/**
 * Reads an uploaded table once, every column as text, and describes it: rows, column types
 * (numeric when every non-empty cell is a number), empty cells, a preview, and problems.
 * Messages name the file by `name`, never by the private path it is stored under. Too many
 * rows or columns is a 413.
 */
export function summarizeUpload(
  path: string,
  name: string,
  sheet: string | undefined,
  limits: SummaryLimits,
): UploadSummary {
  const rename = (message: string) => message.split(path).join(name);
  try {
    const sheets = isWorkbookPath(path) ? [...openSheet(path, sheet).names] : null;
    const reading = sheet === undefined ? {} : { sheet };
    const names = readColumnNames(path, reading);
    if (names.length > limits.maxColumns) {
      throw new HttpError(
        413,
        `${name}: ${names.length} columns, more than the limit of ${limits.maxColumns}`,
        "file",
      );
    }
    const table = readTable(path, {
      columns: [{ name: names[0]!, type: "text" }],
      otherColumns: "text",
      ...reading,
    });
    if (table.rows > limits.maxRows) {
      throw new HttpError(
        413,
        `${name}: ${table.rows} rows, more than the limit of ${limits.maxRows}`,
        "file",
      );
    }
    const columns = table.columns as TextColumn[];
    const summaries = columns.map(describeColumn);
    const problems: { message: string }[] = [];
    summaries.forEach((s, k) => {
      const clean = s.type === "numeric" ? s.missing === 0 : !mostlyNumbers(columns[k]!.values);
      if (clean) return;
      // The CLI's message for the first bad cell, from reading the column as numbers.
      try {
        readTable(path, { columns: [{ name: s.name, type: "numeric" }], ...reading });
      } catch (e) {
        if (e instanceof InputError) problems.push({ message: rename(e.message) });
        else throw e;
      }
    });
    const shown = Math.min(PREVIEW_ROWS, table.rows);
    const preview = Array.from({ length: shown }, (_, i) => columns.map((c) => c.values[i]!));
    return { rows: table.rows, columns: summaries, preview, problems, sheets };
  } catch (e) {
    if (e instanceof InputError) throw new HttpError(400, rename(e.message), "file");
    throw e;
  }
}

function describeColumn(column: TextColumn): ColumnSummary {
  const filled = column.values.filter((v) => v !== "");
  const missing = column.values.length - filled.length;
  if (filled.length > 0 && filled.every((v) => parseNumber(v) !== undefined)) {
    return { name: column.name, type: "numeric", missing };
  }
  const levels = new Set(filled).size;
  const categorical = levels <= MAX_LEVELS || levels <= filled.length / 2;
  return { name: column.name, type: categorical ? "categorical" : "text", missing };
}

/** Most (80%) of the non-empty cells are numbers: a column meant to be numeric, with bad cells. */
function mostlyNumbers(values: readonly string[]): boolean {
  const filled = values.filter((v) => v !== "");
  const numbers = filled.filter((v) => parseNumber(v) !== undefined).length;
  return filled.length > 0 && numbers >= 0.8 * filled.length;
}
