import type { CellObject } from "@e965/xlsx";
import { numberHint, parseNumber } from "./numbers.js";
import { quote } from "./table-format.js";

/**
 * Excel cells as the tabular reader sees them: the text of any cell (compared with the `na`
 * tokens and kept in text and categorical columns) and the number of a numeric one.
 *
 * - numbers: their value; as text, the shortest decimal that reads back as the same double
 *   (`0.1`, `1e-7`), never the cell's display format (`1.00`, `10%`).
 * - text: trimmed, as a CSV field is; a number stored as text is accepted as a number.
 * - formulas: their result as last calculated and saved; one never calculated is an error.
 * - booleans: the text `TRUE`/`FALSE`; not a number.
 * - dates (date-formatted numbers): the ISO text `2024-01-02` (with `T13:45:00` when there
 *   is a time); not a number — a date means something only with an origin and a unit, so
 *   convert it in the workbook (e.g. days since the start) rather than get Excel's serial.
 * - errors (`#DIV/0!`, `#N/A`): their text, which can be declared missing with `na`.
 * - empty cells: `""`, missing only when `""` is an `na` token, as an empty CSV field.
 */

const ERRORS: Record<number, string> = {
  0: "#NULL!",
  7: "#DIV/0!",
  15: "#VALUE!",
  23: "#REF!",
  29: "#NAME?",
  36: "#NUM!",
  42: "#N/A",
  43: "#GETTING_DATA",
};

/** A formula with no saved result (the workbook was written by a program that does not calculate). */
export function isUncalculated(cell: CellObject | undefined): boolean {
  return cell !== undefined && cell.f !== undefined && cell.v === undefined;
}

/** The cell's text (see the module notes). */
export function cellText(cell: CellObject | undefined): string {
  if (cell === undefined || cell === null || cell.v === undefined) {
    return cell?.t === "e" ? "#ERROR" : "";
  }
  switch (cell.t) {
    case "n":
      return String(cell.v);
    case "b":
      return cell.v ? "TRUE" : "FALSE";
    case "d":
      return isoDate(cell.v as Date);
    case "e":
      return ERRORS[cell.v as number] ?? "#ERROR";
    default:
      return String(cell.v).trim();
  }
}

/**
 * The cell's number, or the end of a message saying what it holds instead:
 * `expected a number, got …`.
 */
export function cellNumber(cell: CellObject | undefined): number | { got: string } {
  if (isUncalculated(cell)) {
    return {
      got: "a formula with no saved result (open and save the workbook in Excel to calculate it)",
    };
  }
  const text = cellText(cell);
  switch (cell?.v === undefined ? "z" : cell.t) {
    case "n": {
      const value = cell!.v as number;
      return Number.isFinite(value) ? value : { got: quote(text) };
    }
    case "b":
      return { got: `${text} (a true/false cell)` };
    case "d":
      return {
        got: `the date ${text} (dates are not read as numbers: compute a number in the workbook, e.g. days since the start)`,
      };
    case "e":
      return {
        got: `the error ${text} (fix the formula, or use --na ${JSON.stringify(text)} to treat it as missing)`,
      };
    default: {
      const value = parseNumber(text);
      return value ?? { got: `${quote(text)}${numberHint(text)}` };
    }
  }
}

/** `2024-01-02`, or `2024-01-02T13:45:00` (`.250` with milliseconds) when there is a time. */
function isoDate(date: Date): string {
  const iso = date.toISOString(); // dates are read as UTC, so these are the cell's own fields
  if (iso.endsWith("T00:00:00.000Z")) return iso.slice(0, 10);
  return iso.endsWith(".000Z") ? iso.slice(0, 19) : iso.slice(0, 23);
}
