import { statSync } from "node:fs";
import { createRequire } from "node:module";
import { extname } from "node:path";
import type { CellObject, WorkBook } from "@e965/xlsx";
import { InputError } from "../core/errors.js";
import { describeReadError, readBytes } from "./table-format.js";
import { checkZipSize, mib } from "./xlsx-zip.js";

/**
 * Opening one sheet of an Excel workbook with SheetJS (the `@e965/xlsx` build of SheetJS
 * 0.20, chosen because it reads synchronously, as the whole tabular reader does, and has no
 * dependencies). Refuses, each with a one-line message naming the file: other spreadsheet
 * formats, workbooks over the size limits (checked before anything is unpacked), files that
 * are not workbooks, and an unknown sheet name (listing the sheets).
 */

/** Largest workbook file read (50 MiB); larger ones are refused before loading. */
export const MAX_WORKBOOK_BYTES = 50 * 2 ** 20;

/**
 * Largest total unpacked size of the workbook's parts (200 MiB). Memory while loading is
 * about 6× this (SheetJS keeps the sheet's XML and an object per cell), so it bounds the
 * peak at roughly 1.3 GB; a workbook made by Excel unpacks to about 8× its file size.
 */
export const MAX_UNPACKED_BYTES = 200 * 2 ** 20;

type SheetJs = typeof import("@e965/xlsx");
let sheetJs: SheetJs | null = null;

/**
 * SheetJS, loaded on the first workbook: importing it costs about 50 ms of CPU, which every
 * CSV fit would pay if it were a static import. `require` keeps the reader synchronous. The
 * package's single-file core build (an exported entry of the same version) is required, not
 * its CommonJS main, which also loads the legacy code-page tables (≈ 200 ms; the ES module
 * entry used before has none either, and `.xlsx` text is Unicode).
 */
export function xlsxLibrary(): SheetJs {
  sheetJs ??= createRequire(import.meta.url)("@e965/xlsx/dist/xlsx.core.min.js") as SheetJs;
  return sheetJs;
}

/** Extensions of spreadsheet files: `.xlsx` is read, the others are refused by name. */
const SPREADSHEET_EXTENSIONS = new Set([".xlsx", ".xls", ".xlsb", ".xlsm", ".ods"]);

/** True for a spreadsheet file name (read as a workbook, or refused with a clear message). */
export function isWorkbookPath(path: string): boolean {
  return SPREADSHEET_EXTENSIONS.has(extname(path).toLowerCase());
}

export interface OpenSheet {
  /** The sheet's name as in the workbook. */
  readonly name: string;
  /** Every sheet's name, in workbook order. */
  readonly names: readonly string[];
  /** Rows of cells from A1 (0-based), merged areas filled with their top-left cell. */
  readonly rows: readonly (readonly (CellObject | undefined)[] | undefined)[];
}

/** The sheet `sheet` (by name; default the first) of the workbook at `path`. */
export function openSheet(path: string, sheet: string | undefined): OpenSheet {
  const ext = extname(path).toLowerCase();
  if (ext !== ".xlsx") {
    throw new InputError(
      `${path}: ${ext} spreadsheets are not read; save it as an Excel Workbook (.xlsx) or as CSV`,
    );
  }
  checkFileSize(path);
  const bytes = readBytes(path);
  checkZipSize(bytes, path, MAX_UNPACKED_BYTES);
  let book: WorkBook;
  try {
    book = xlsxLibrary().read(bytes, {
      type: "buffer",
      dense: true,
      cellDates: true, // date-formatted numbers become dates, so they can be told apart
      UTC: true,
      cellHTML: false,
      cellText: false,
      cellStyles: false,
      sheets: sheet ?? 0,
    });
  } catch (error) {
    throw notAWorkbook(path, error instanceof Error ? error.message : String(error));
  }
  const names = book.SheetNames ?? [];
  if (names.length === 0) throw notAWorkbook(path, "it has no sheets");
  const name = sheet ?? names[0]!;
  if (!names.includes(name)) {
    const listed = names.map((n) => JSON.stringify(n)).join(", ");
    throw new InputError(`${path}: no sheet ${JSON.stringify(name)} (sheets: ${listed})`);
  }
  const ws = book.Sheets[name];
  const data = (ws?.["!data"] ?? []) as (CellObject[] | undefined)[];
  fillMerges(data, ws?.["!merges"] ?? []);
  return { name, names, rows: data };
}

function checkFileSize(path: string): void {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    throw new InputError(`${path}: ${describeReadError(error)}`);
  }
  if (size > MAX_WORKBOOK_BYTES) {
    throw new InputError(
      `${path}: workbook is ${mib(size)}, over the ${mib(MAX_WORKBOOK_BYTES)} limit for Excel files; save the sheet as CSV`,
    );
  }
}

function notAWorkbook(path: string, why: string): InputError {
  return new InputError(`${path}: not an Excel workbook (${why.replace(/\s+/g, " ").trim()})`);
}

interface Range {
  s: { r: number; c: number };
  e: { r: number; c: number };
}

/**
 * Gives every cell of a merged area the value of its top-left cell, as a reader sees it (a
 * compound name merged down its replicate rows names each of them). Areas are clipped to
 * the rows and columns that hold cells, so a merge over a whole sheet costs nothing.
 */
function fillMerges(data: (CellObject[] | undefined)[], merges: readonly Range[]): void {
  const width = data.reduce((w, row) => Math.max(w, row?.length ?? 0), 0);
  for (const { s, e } of merges) {
    const value = data[s.r]?.[s.c];
    if (value === undefined) continue;
    for (let r = s.r; r <= Math.min(e.r, data.length - 1); r++) {
      const row = data[r] ?? [];
      data[r] = row;
      for (let c = s.c; c <= Math.min(e.c, width - 1); c++) {
        if (r !== s.r || c !== s.c) row[c] = value;
      }
    }
  }
}
