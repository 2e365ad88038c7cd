import type { CellObject } from "@e965/xlsx";
import { InputError } from "../core/errors.js";
import { findColumns, type HeaderLocation } from "./header.js";
import { finishTable, tableSlots } from "./table-build.js";
import type { Table, TableOptions } from "./table-types.js";
import { cellNumber, cellText, isUncalculated } from "./xlsx-cells.js";
import { openSheet, xlsxLibrary } from "./xlsx-workbook.js";

export { isWorkbookPath, MAX_UNPACKED_BYTES, MAX_WORKBOOK_BYTES } from "./xlsx-workbook.js";

/**
 * The tabular reader on an Excel workbook (`.xlsx`): the same request, columns, `na`
 * handling and one-line errors as for delimited text (`table.ts`), on one sheet — the first,
 * or the one named by `sheet` (`--sheet`). Cells are read as `xlsx-cells.ts` describes.
 *
 * - The first non-blank row is the header; its cells name the columns, up to its last
 *   non-empty cell. Cells to the right of that are not read (notes beside a table).
 * - Blank rows are skipped. A table's `lines` are sheet row numbers, its `field`s column
 *   numbers (A = 1).
 * - Merged cells: every cell of a merged area holds the value of its top-left cell.
 * - Messages name the cell as Excel does: `plate.xlsx:Sheet1!C7: column "response":
 *   expected a number, got "n/a" (use --na n/a to treat it as missing)`.
 * - Size: workbooks over `MAX_WORKBOOK_BYTES` (50 MiB) or unpacking to over
 *   `MAX_UNPACKED_BYTES` (200 MiB) are refused before loading; save such a sheet as CSV.
 */
export function readWorkbookTable(path: string, options: TableOptions): Table {
  refuseDelimiter(options.delimiter);
  const sheet = readSheet(path, options.sheet);
  const { header, names, data } = sheet;
  const na = new Set((options.na ?? []).map((t) => t.trim()));
  const fields = findColumns(
    names,
    options.columns.map((c) => c.name),
    header,
  );
  const { slots, requested, others } = tableSlots(options, names, fields);
  const row: (number | string)[] = new Array(slots.length);
  const lines: number[] = [];
  const droppedLines: number[] = [];
  for (let r = sheet.headerIndex + 1; r < sheet.rows.length; r++) {
    const cells = sheet.rows[r] ?? [];
    if (isBlank(cells, names.length)) continue;
    let missing = false;
    for (let k = 0; k < requested.length; k++) {
      const { field, name, type } = requested[k]!;
      const cell = cells[field];
      const at = () => `${sheet.cell(r, field)}: column "${name}"`;
      const text = cellText(cell);
      if (na.has(text) && !isUncalculated(cell)) {
        missing = true;
        continue;
      }
      if (type === "numeric") {
        const value = cellNumber(cell);
        if (typeof value !== "number")
          throw new InputError(`${at()}: expected a number, got ${value.got}`);
        row[k] = value;
      } else if (isUncalculated(cell)) {
        throw new InputError(
          `${at()}: a formula with no saved result (open and save the workbook in Excel to calculate it)`,
        );
      } else if (text === "" && type === "categorical") {
        throw new InputError(`${at()}: empty value (use --na "" to treat it as missing)`);
      } else {
        row[k] = text;
      }
    }
    if (missing) {
      droppedLines.push(r + 1);
      continue;
    }
    for (let k = 0; k < requested.length; k++) {
      const slot = requested[k]!;
      if (slot.type === "numeric") slot.numbers.push(row[k] as number);
      else slot.strings.push(row[k] as string);
    }
    for (const slot of others) slot.strings.push(cellText(cells[slot.field]));
    lines.push(r + 1);
  }
  return finishTable({ source: path, data, headerRow: header.row }, slots, lines, droppedLines);
}

/** The header names of the workbook's sheet (`sheet`, default the first). */
export function readWorkbookColumnNames(
  path: string,
  options: { delimiter?: string; sheet?: string },
): string[] {
  refuseDelimiter(options.delimiter);
  return readSheet(path, options.sheet).names;
}

// ---------------------------------------------------------------------------------------------

function refuseDelimiter(delimiter: string | undefined): void {
  if (delimiter !== undefined) {
    throw new InputError("--delimiter: an Excel workbook has no delimiter; leave it out");
  }
}

/** The chosen sheet, its header row and how its places are named in messages. */
function readSheet(path: string, sheetName: string | undefined) {
  const { name, names: sheets, rows } = openSheet(path, sheetName);
  const data = `${path}:${sheetReference(name)}`;
  const { encode_col } = xlsxLibrary().utils;
  const cell = (r: number, c: number) => `${data}!${encode_col(c)}${r + 1}`;
  const headerIndex = rows.findIndex((cells) => !isBlank(cells ?? [], cells?.length ?? 0));
  if (headerIndex < 0) {
    throw new InputError(`${data}: sheet is empty; expected a header row naming the columns`);
  }
  const cells = rows[headerIndex]!;
  let width = cells.length;
  while (width > 0 && cellText(cells[width - 1]) === "") width--;
  const names = Array.from({ length: width }, (_, c) => cellText(cells[c]));
  const header: HeaderLocation = {
    row: `${data}, row ${headerIndex + 1}`,
    cell: (c) => cell(headerIndex, c),
    fields: (a, b) => `columns ${encode_col(a)} and ${encode_col(b)}`,
    elsewhere: otherSheets(sheets, name),
  };
  return { rows, headerIndex, names, header, data, cell };
}

/** The other sheets, to mention when a column is not in this one. */
function otherSheets(sheets: readonly string[], name: string): string | undefined {
  const others = sheets.filter((s) => s !== name);
  if (others.length === 0) return undefined;
  const listed = others
    .slice(0, 5)
    .map((s) => JSON.stringify(s))
    .join(", ");
  const more = others.length > 5 ? `, ... (${others.length - 5} more)` : "";
  return `other sheets: ${listed}${more} (choose one with --sheet)`;
}

/** True when the first `width` cells are all empty (and none is an uncalculated formula). */
function isBlank(cells: readonly (CellObject | undefined)[], width: number): boolean {
  for (let c = 0; c < width; c++) {
    if (cellText(cells[c]) !== "" || isUncalculated(cells[c])) return false;
  }
  return true;
}

/** A sheet name as Excel writes it in a reference: quoted when it is not a plain word. */
function sheetReference(name: string): string {
  return /^[A-Za-z_][\w.]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}
