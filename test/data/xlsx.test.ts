import { mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CellObject, utils, write } from "@e965/xlsx";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDataset } from "../../src/data/csv.js";
import {
  type CategoricalColumn,
  MAX_WORKBOOK_BYTES,
  type NumericColumn,
  readColumnNames,
  readTable,
  type TableOptions,
  tableColumn,
} from "../../src/data/table.js";
import { inputError } from "../prep/helpers.js";

/** Workbooks are written in each test by SheetJS itself, the library that reads them. */
type Value = string | number | boolean | Date | null | CellObject;

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "biograd-xlsx-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface SheetSpec {
  name: string;
  rows: Value[][];
  merges?: string[];
}

function workbookBytes(sheets: SheetSpec[]): Buffer {
  const book = utils.book_new();
  for (const { name, rows, merges } of sheets) {
    const ws = utils.aoa_to_sheet(rows, { cellDates: true });
    if (merges) ws["!merges"] = merges.map((m) => utils.decode_range(m));
    utils.book_append_sheet(book, ws, name);
  }
  return write(book, { type: "buffer", bookType: "xlsx" }) as Buffer;
}

function workbook(file: string, sheets: SheetSpec[]): string {
  const path = join(dir, file);
  writeFileSync(path, workbookBytes(sheets));
  return path;
}

/** Shown as `plate.xlsx…` in messages: the temporary folder is cut off. */
const short = (message: string) => message.replaceAll(`${dir}/`, "");

const numeric = (name: string) => ({ name, type: "numeric" }) as const;
const categorical = (name: string) => ({ name, type: "categorical" }) as const;
const text = (name: string) => ({ name, type: "text" }) as const;

const PLATE: Value[][] = [
  ["compound", "logconc", "response", "well"],
  ["A", -8, 10.5, "A1"],
  ["A", -7, 55, "A2"],
  ["B", -8, 12.25, "B1"],
  ["B", -7, 1e-7, "B2"],
  [null, null, null, null],
  ["C", -6.5, 90, " C1 "],
];

describe("reading an Excel sheet", () => {
  it("reads numbers, text and categories, skipping blank rows; lines are sheet rows", () => {
    const path = workbook("plate.xlsx", [{ name: "Sheet1", rows: PLATE }]);
    const t = readTable(path, {
      columns: [numeric("response"), categorical("compound"), text("well")],
    });
    expect(t.rows).toBe(5);
    expect([...(tableColumn(t, "response") as NumericColumn).values]).toEqual([
      10.5, 55, 12.25, 1e-7, 90,
    ]);
    expect((tableColumn(t, "compound") as CategoricalColumn).levels).toEqual(["A", "B", "C"]);
    expect(tableColumn(t, "well").values).toEqual(["A1", "A2", "B1", "B2", "C1"]);
    expect(tableColumn(t, "response").field).toBe(3);
    expect([...t.lines]).toEqual([2, 3, 4, 5, 7]);
    expect(t.source).toBe(path);
  });

  it("gives the same columns as the same table written as CSV", () => {
    const rows: Value[][] = [
      ["compound", "logconc", "response", "flag"],
      ["A", -8, 10.5, "ok"],
      ["A", -7.25, "NA", "ok"],
      ["B", -8, 0.1, ""],
      ["10", 3, -2.5e-3, "x"],
      ["2", 1e21, 7, "x"],
    ];
    const csv = rows.map((r) => r.map((v) => String(v)).join(",")).join("\n");
    writeFileSync(join(dir, "same.csv"), csv);
    const xlsx = workbook("same.xlsx", [{ name: "data", rows }]);
    const options: TableOptions = {
      columns: [numeric("response"), numeric("logconc"), categorical("compound"), text("flag")],
      na: ["NA"],
      otherColumns: "text",
    };
    const fromCsv = readTable(join(dir, "same.csv"), options);
    const fromXlsx = readTable(xlsx, options);
    expect(fromXlsx.columns).toEqual(fromCsv.columns);
    expect([...fromXlsx.lines]).toEqual([...fromCsv.lines]);
    expect(fromXlsx.droppedLines).toEqual([3]);
    expect(fromXlsx.droppedLines).toEqual(fromCsv.droppedLines);
    // and through the numeric data set view
    const a = readDataset(xlsx, { x: ["logconc"], y: "response", na: ["NA"] });
    const b = readDataset(join(dir, "same.csv"), { x: ["logconc"], y: "response", na: ["NA"] });
    expect([...a.x]).toEqual([...b.x]);
    expect([...a.y]).toEqual([...b.y]);
  });

  it("reads formulas as their saved results, and refuses one never calculated", () => {
    const rows: Value[][] = [
      ["x", "y"],
      [1, { t: "n", f: "A2*2", v: 2 }],
      [2, { t: "s", f: 'IF(A3>1,"big","small")', v: "big" }],
    ];
    const path = workbook("formula.xlsx", [{ name: "Sheet1", rows }]);
    expect(readTable(path, { columns: [text("y")] }).columns[0]!.values).toEqual(["2", "big"]);
    const uncalculated = workbook("uncalculated.xlsx", [
      { name: "Sheet1", rows: [["x"], [1], [{ t: "n", f: "A2*2" }]] },
    ]);
    expect(short(inputError(() => readTable(uncalculated, { columns: [numeric("x")] })))).toBe(
      'uncalculated.xlsx:Sheet1!A3: column "x": expected a number, got a formula with no saved result (open and save the workbook in Excel to calculate it)',
    );
    // Not taken for a missing value either, even when "" is one.
    expect(() => readTable(uncalculated, { columns: [text("x")], na: [""] })).toThrow(
      /A3: column "x": a formula with no saved result/,
    );
  });

  it("treats empty cells as CSV treats empty fields: missing only through na", () => {
    const rows: Value[][] = [
      ["g", "y"],
      ["a", 1],
      [null, 2],
      ["b", null],
      ["c", 4],
    ];
    const path = workbook("empty.xlsx", [{ name: "Sheet1", rows }]);
    expect(short(inputError(() => readTable(path, { columns: [categorical("g")] })))).toBe(
      'empty.xlsx:Sheet1!A3: column "g": empty value (use --na "" to treat it as missing)',
    );
    expect(short(inputError(() => readTable(path, { columns: [numeric("y")] })))).toBe(
      'empty.xlsx:Sheet1!B4: column "y": expected a number, got "" (use --na "" to treat it as missing)',
    );
    const t = readTable(path, { columns: [categorical("g"), numeric("y")], na: [""] });
    expect(t.columns[0]!.values).toEqual(["a", "c"]);
    expect(t.droppedLines).toEqual([3, 4]);
  });

  it("names the cell of a value of the wrong type", () => {
    const rows: Value[][] = [["well", "conc", "response"]];
    for (let r = 2; r <= 8; r++) rows.push([`A${r}`, r, r === 7 ? "n/a" : r * 10]);
    const path = workbook("plate.xlsx", [{ name: "Sheet1", rows }]);
    const message = inputError(() =>
      readTable(path, { columns: [numeric("conc"), numeric("response")] }),
    );
    expect(short(message)).toMatchInlineSnapshot(
      `"plate.xlsx:Sheet1!C7: column "response": expected a number, got "n/a" (use --na n/a to treat it as missing)"`,
    );
    expect(readTable(path, { columns: [numeric("response")], na: ["n/a"] }).droppedLines).toEqual([
      7,
    ]);
  });

  it("refuses dates, booleans and error cells as numbers, and reads them as text", () => {
    const rows: Value[][] = [
      ["when", "ok", "ratio"],
      [new Date(Date.UTC(2024, 0, 2)), true, { t: "e", v: 0x07 }],
      [new Date(Date.UTC(2024, 0, 2, 13, 45)), false, 0.5],
    ];
    const path = workbook("types.xlsx", [{ name: "Sheet1", rows }]);
    const read = (name: string) => () => readTable(path, { columns: [numeric(name)] });
    expect(short(inputError(read("when")))).toBe(
      'types.xlsx:Sheet1!A2: column "when": expected a number, got the date 2024-01-02 (dates are not read as numbers: compute a number in the workbook, e.g. days since the start)',
    );
    expect(short(inputError(read("ok")))).toBe(
      'types.xlsx:Sheet1!B2: column "ok": expected a number, got TRUE (a true/false cell)',
    );
    expect(short(inputError(read("ratio")))).toBe(
      'types.xlsx:Sheet1!C2: column "ratio": expected a number, got the error #DIV/0! (fix the formula, or use --na "#DIV/0!" to treat it as missing)',
    );
    const t = readTable(path, { columns: [text("when"), categorical("ok")] });
    expect(t.columns[0]!.values).toEqual(["2024-01-02", "2024-01-02T13:45:00"]);
    expect(t.columns[1]!.values).toEqual(["TRUE", "FALSE"]);
    const kept = readTable(path, { columns: [numeric("ratio")], na: ["#DIV/0!"] });
    expect([...kept.lines]).toEqual([3]);
  });

  it("fills merged cells with their top-left value", () => {
    const rows: Value[][] = [
      ["compound", "y"],
      ["A", 1],
      [null, 2],
      [null, 3],
      ["B", 4],
    ];
    const path = workbook("merged.xlsx", [{ name: "Sheet1", rows, merges: ["A2:A4"] }]);
    const t = readTable(path, { columns: [categorical("compound"), numeric("y")] });
    expect(t.columns[0]!.values).toEqual(["A", "A", "A", "B"]);
  });

  it("finds the header below blank rows and ignores cells right of it", () => {
    const rows: Value[][] = [[], [null, null], ["x", "y", null, "note"], [1, 2, null, "hi", 99]];
    const path = workbook("offset.xlsx", [{ name: "Sheet1", rows }]);
    expect(readColumnNames(path)).toEqual(["x", "y", "", "note"]);
    const t = readTable(path, { columns: [numeric("y")], otherColumns: "text" });
    expect([...t.lines]).toEqual([4]);
    expect(t.columns.map((c) => [c.name, c.values[0]])).toEqual([
      ["y", 2],
      ["x", "1"],
      ["", ""],
      ["note", "hi"],
    ]);
    expect(short(inputError(() => readTable(path, { columns: [numeric("response")] })))).toBe(
      'offset.xlsx:Sheet1, row 3: no column "response" (columns: x, y, , note)',
    );
  });
});

describe("choosing a sheet", () => {
  const sheets: SheetSpec[] = [
    { name: "Notes", rows: [["about"], ["plate 7"]] },
    { name: "Plate 2", rows: [["x"], [1], ["oops"]] },
  ];

  it("reads the first sheet by default and another by name", () => {
    const path = workbook("two.xlsx", sheets);
    expect(readColumnNames(path)).toEqual(["about"]);
    expect(readColumnNames(path, { sheet: "Plate 2" })).toEqual(["x"]);
    expect(
      short(inputError(() => readTable(path, { columns: [numeric("x")], sheet: "Plate 2" }))),
    ).toBe(
      `two.xlsx:'Plate 2'!A3: column "x": expected a number, got "oops" (use --na oops to treat it as missing)`,
    );
    const d = readDataset(path, { x: ["x"], sheet: "Plate 2", na: ["oops"] });
    expect([...d.x]).toEqual([1]);
  });

  it("lists the sheets when the one asked for is not there", () => {
    const path = workbook("two.xlsx", sheets);
    expect(short(inputError(() => readColumnNames(path, { sheet: "Plate 3" })))).toBe(
      'two.xlsx: no sheet "Plate 3" (sheets: "Notes", "Plate 2")',
    );
    // and the other sheets when a column is not in the one read
    expect(short(inputError(() => readTable(path, { columns: [numeric("x")] })))).toBe(
      'two.xlsx:Notes, row 1: no column "x" (columns: about); other sheets: "Plate 2" (choose one with --sheet)',
    );
  });

  it("refuses --sheet for a text file and --delimiter for a workbook", () => {
    writeFileSync(join(dir, "d.csv"), "x\n1\n");
    const path = workbook("two.xlsx", sheets);
    expect(inputError(() => readColumnNames(join(dir, "d.csv"), { sheet: "S" }))).toBe(
      "--sheet: only an Excel workbook (.xlsx) has sheets; this is a text file",
    );
    expect(inputError(() => readTable(path, { columns: [text("x")], delimiter: ";" }))).toBe(
      "--delimiter: an Excel workbook has no delimiter; leave it out",
    );
  });
});

describe("files that are not workbooks", () => {
  const read = (file: string) => () => readColumnNames(join(dir, file));

  it("refuses text, empty, old-format and damaged files with one line naming the file", () => {
    writeFileSync(join(dir, "text.xlsx"), "x,y\n1,2\n");
    writeFileSync(join(dir, "empty.xlsx"), "");
    writeFileSync(join(dir, "old.xlsx"), Buffer.from("d0cf11e0a1b11ae1000000", "hex"));
    const good = workbookBytes([{ name: "S", rows: [["x"], [1]] }]);
    writeFileSync(join(dir, "cut.xlsx"), good.subarray(0, good.length - 40));
    expect(
      [read("text.xlsx"), read("empty.xlsx"), read("old.xlsx"), read("cut.xlsx")].map((f) =>
        short(inputError(f)),
      ),
    ).toEqual([
      "text.xlsx: not an Excel workbook (not a zip archive)",
      "empty.xlsx: not an Excel workbook (the file is empty)",
      "old.xlsx: not an Excel workbook (an old .xls workbook or a password-protected one; save it as .xlsx without a password)",
      "cut.xlsx: not an Excel workbook (damaged zip archive: no directory at its end)",
    ]);
    expect(short(inputError(read("missing.xlsx")))).toBe("missing.xlsx: no such file");
  });

  it("refuses other spreadsheet formats by extension", () => {
    writeFileSync(join(dir, "plate.xls"), "whatever");
    expect(short(inputError(read("plate.xls")))).toBe(
      "plate.xls: .xls spreadsheets are not read; save it as an Excel Workbook (.xlsx) or as CSV",
    );
  });

  it("refuses a workbook named as CSV, suggesting .xlsx", () => {
    writeFileSync(join(dir, "plate.csv"), workbookBytes([{ name: "S", rows: [["x"], [1]] }]));
    expect(short(inputError(read("plate.csv")))).toBe(
      "plate.csv: this is a zip archive (an Excel workbook?), not delimited text; name it .xlsx to read it as a workbook",
    );
  });

  it("refuses a large workbook by its size before loading it", () => {
    const path = join(dir, "huge.xlsx");
    const big = 200 * 2 ** 20;
    writeFileSync(path, "PK");
    truncateSync(path, big); // a sparse file: 200 MiB long without writing 200 MiB
    expect(big).toBeGreaterThan(MAX_WORKBOOK_BYTES);
    expect(short(inputError(read("huge.xlsx")))).toBe(
      "huge.xlsx: workbook is 200 MiB, over the 50 MiB limit for Excel files; save the sheet as CSV",
    );
  });

  it("refuses a small workbook that unpacks past the limit, from its zip directory", () => {
    const bytes = workbookBytes([{ name: "S", rows: [["x"], [1]] }]);
    // Claim 3.5 GiB unpacked for the first directory entry.
    const entry = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt32LE(0xe0000000, entry + 24);
    writeFileSync(join(dir, "bomb.xlsx"), bytes);
    expect(short(inputError(read("bomb.xlsx")))).toMatch(
      /^bomb\.xlsx: workbook unpacks to 3584(\.\d)? MiB, over the 200 MiB limit for Excel files; save the sheet as CSV$/,
    );
  });
});
