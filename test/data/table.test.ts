import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BiogradError } from "../../src/core/errors.js";
import { parseDataset } from "../../src/data/csv.js";
import {
  type CategoricalColumn,
  type NumericColumn,
  parseTable,
  readColumnNames,
  readTable,
  type Table,
  type TextColumn,
  tableColumn,
  takeTableRows,
} from "../../src/data/table.js";
import { fitFeatureEncoder } from "../../src/prep/features.js";
import { inputError, thrown } from "../prep/helpers.js";

const TEXT = [
  "sample,tissue,dose,response",
  "s1,liver,1.5,0.2",
  "s2,brain,2,0.4",
  "",
  "s3,liver,-0.5e1,0.1",
  "s4,heart,3,0.9",
].join("\n");

const numeric = (t: Table, name: string) => tableColumn(t, name) as NumericColumn;
const categorical = (t: Table, name: string) => tableColumn(t, name) as CategoricalColumn;

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "biograd-table-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("parseTable", () => {
  it("reads numeric and categorical columns in the requested order, with sorted levels", () => {
    const t = parseTable(TEXT, "d.csv", {
      columns: [
        { name: "dose", type: "numeric" },
        { name: "tissue", type: "categorical" },
      ],
    });
    expect(t.rows).toBe(4);
    expect(t.columns.map((c) => c.name)).toEqual(["dose", "tissue"]);
    expect([...numeric(t, "dose").values]).toEqual([1.5, 2, -5, 3]);
    expect(categorical(t, "tissue").values).toEqual(["liver", "brain", "liver", "heart"]);
    expect(categorical(t, "tissue").levels).toEqual(["brain", "heart", "liver"]);
    expect(categorical(t, "tissue").field).toBe(2);
    expect([...t.lines]).toEqual([2, 3, 5, 6]); // the blank line 4 still counts
    expect(t.droppedRows).toBe(0);
  });

  it("sorts numeric levels by value and string levels by code unit", () => {
    const t = parseTable("k,s\n10,b\n2,B\n1,a\n2,b\n", "d.csv", {
      columns: [
        { name: "k", type: "categorical" },
        { name: "s", type: "categorical" },
      ],
    });
    expect(categorical(t, "k").levels).toEqual(["1", "2", "10"]);
    expect(categorical(t, "s").levels).toEqual(["B", "a", "b"]);
  });

  it("refuses one number written two ways as two levels", () => {
    expect(
      inputError(() =>
        parseTable("y\n1\n0\n1.0\n", "d.csv", { columns: [{ name: "y", type: "categorical" }] }),
      ),
    ).toMatchInlineSnapshot(
      `"d.csv: column "y": levels "1" and "1.0" are the same number written two ways; write the labels one way"`,
    );
  });

  it("drops rows with an na token in any chosen column, and only with one", () => {
    const text = "g,x\na,1\nNA,2\nb,NA\nc,3\n";
    const columns = [
      { name: "g", type: "categorical" },
      { name: "x", type: "numeric" },
    ] as const;
    const t = parseTable(text, "d.csv", { columns, na: ["NA"] });
    expect(t.rows).toBe(2);
    expect(t.droppedLines).toEqual([3, 4]);
    expect(categorical(t, "g").levels).toEqual(["a", "c"]);
    // Without na, "NA" is a level of a categorical column but not a number.
    expect(inputError(() => parseTable(text, "d.csv", { columns }))).toMatchInlineSnapshot(
      `"d.csv:4:2: column "x": expected a number, got "NA" (use --na NA to treat it as missing)"`,
    );
  });

  it("reports bad numbers exactly as the numeric reader does", () => {
    const text = "x,g\n1,a\nn/a,b\n";
    const mine = inputError(() =>
      parseTable(text, "d.csv", { columns: [{ name: "x", type: "numeric" }] }),
    );
    const theirs = inputError(() => parseDataset(text, "d.csv", { x: ["x"] }));
    expect(mine).toBe(theirs);
    expect(mine).toMatchInlineSnapshot(
      `"d.csv:3:1: column "x": expected a number, got "n/a" (use --na n/a to treat it as missing)"`,
    );
  });

  it('refuses an empty categorical value unless "" is an na token', () => {
    const text = "g,x\na,1\n,2\n";
    const columns = [{ name: "g", type: "categorical" }] as const;
    expect(inputError(() => parseTable(text, "d.csv", { columns }))).toMatchInlineSnapshot(
      `"d.csv:3:1: column "g": empty value (use --na "" to treat it as missing)"`,
    );
    expect(parseTable(text, "d.csv", { columns, na: [""] }).rows).toBe(1);
  });

  it("locates syntax errors, missing columns and ragged rows", () => {
    const columns = [{ name: "g", type: "categorical" }] as const;
    const bad = 'g,x\na,1\n"b,2\n';
    expect(inputError(() => parseTable(bad, "d.csv", { columns }))).toBe(
      inputError(() => parseDataset(bad, "d.csv", { x: ["x"] })),
    );
    expect(
      inputError(() =>
        parseTable("g,x\na,1\n", "d.csv", { columns: [{ name: "G", type: "numeric" }] }),
      ),
    ).toMatchInlineSnapshot(`"d.csv:1: no column "G" (columns: g, x); did you mean "g"?"`);
    expect(
      inputError(() => parseTable("g,x\na,1,2\n", "d.csv", { columns })),
    ).toMatchInlineSnapshot(`"d.csv:2: row has 3 fields but the header has 2"`);
    expect(inputError(() => parseTable("", "d.csv", { columns }))).toMatchInlineSnapshot(
      `"d.csv: file is empty; expected a header row naming the columns"`,
    );
  });

  it("checks its options by name", () => {
    const e = thrown(() =>
      parseTable("g\na\n", "d.csv", { columns: [{ name: "g", type: "date" as "numeric" }] }),
    );
    expect(e).toBeInstanceOf(BiogradError);
    expect(e.message).toMatchInlineSnapshot(
      `"parseTable: columns must be a non-empty list of { name, type: "numeric" | "categorical" | "text" }, got [{"name":"g","type":"date"}]"`,
    );
    expect(
      inputError(() =>
        parseTable("g\na\n", "d.csv", {
          columns: [
            { name: "g", type: "numeric" },
            { name: "g", type: "categorical" },
          ],
        }),
      ),
    ).toMatchInlineSnapshot(`"d.csv: column "g" is requested twice"`);
    // Reachable from the command line (`--x a,,b`): no function name in the message.
    expect(
      inputError(() => parseTable("g\na\n", "d.csv", { columns: [{ name: "", type: "numeric" }] })),
    ).toBe("d.csv: a requested column has an empty name");
    expect(
      inputError(() =>
        parseTable("g\na\n", "d.csv", { columns: [{ name: "g", type: "text" }], delimiter: "ab" }),
      ),
    ).toBe('--delimiter: expected one character or "tab", got "ab"');
  });
});

describe("text columns and the header", () => {
  const text = 'id,dose,note,id2\n a-1 ,1,,7\n1.0,NA,x,\n1,3,"q,r",8\n';

  it("keeps text as written (trimmed, empty allowed), without levels", () => {
    const t = parseTable(text, "d.csv", {
      columns: [
        { name: "id", type: "text" },
        { name: "dose", type: "numeric" },
      ],
      na: ["NA"],
    });
    expect(t.columns[0]).toEqual({ name: "id", type: "text", field: 1, values: ["a-1", "1"] });
    expect(t.droppedLines).toEqual([3]);
    // Categorical would refuse "1.0" and "1" as one number written two ways; text does not.
    const all = parseTable(text, "d.csv", { columns: [{ name: "id", type: "text" }] });
    expect((tableColumn(all, "id") as TextColumn).values).toEqual(["a-1", "1.0", "1"]);
  });

  it("reads every other column as text after the requested ones; na never drops for them", () => {
    const t = parseTable(text, "d.csv", {
      columns: [{ name: "dose", type: "numeric" }],
      otherColumns: "text",
      na: ["NA", ""],
    });
    expect(t.columns.map((c) => [c.name, c.type, c.field])).toEqual([
      ["dose", "numeric", 2],
      ["id", "text", 1],
      ["note", "text", 3],
      ["id2", "text", 4],
    ]);
    expect(t.rows).toBe(2);
    expect((tableColumn(t, "note") as TextColumn).values).toEqual(["", "q,r"]);
    expect((tableColumn(t, "id2") as TextColumn).values).toEqual(["7", "8"]);
    const back = takeTableRows(t, [1]);
    expect((tableColumn(back, "id") as TextColumn).values).toEqual(["1"]);
  });

  it("refuses a text column as a feature", () => {
    const t = parseTable(text, "d.csv", { columns: [{ name: "id", type: "text" }] });
    expect(inputError(() => fitFeatureEncoder(t, ["id"]))).toBe(
      'd.csv: column "id" was read as text; read a feature as numeric or categorical',
    );
  });

  it("lists the header's columns (after blank lines and a BOM; by the file's delimiter)", () => {
    const path = join(dir, "h.tsv");
    writeFileSync(path, '\ufeff\n\n a \t"b\tc"\tz\n1\t2\t3\n');
    expect(readColumnNames(path)).toEqual(["a", "b\tc", "z"]);
    const csv = join(dir, "h.csv");
    writeFileSync(csv, "a;b\n1;2\n");
    expect(readColumnNames(csv)).toEqual(["a;b"]);
    expect(readColumnNames(csv, { delimiter: ";" })).toEqual(["a", "b"]);
    const empty = join(dir, "empty.csv");
    writeFileSync(empty, "\n\n");
    expect(inputError(() => readColumnNames(empty))).toBe(
      `${empty}: file is empty; expected a header row naming the columns`,
    );
    expect(inputError(() => readColumnNames(join(dir, "nope.csv")))).toBe(
      `${join(dir, "nope.csv")}: no such file`,
    );
    expect(inputError(() => readColumnNames(path, { delimiter: "ab" }))).toBe(
      '--delimiter: expected one character or "tab", got "ab"',
    );
  });
});

describe("readTable", () => {
  it("reads a file (TSV by extension) and names it in errors", () => {
    const path = join(dir, "d.tsv");
    writeFileSync(path, "g\tx\na\t1\nb\tz\n");
    const columns = [
      { name: "g", type: "categorical" },
      { name: "x", type: "numeric" },
    ] as const;
    expect(inputError(() => readTable(path, { columns }))).toBe(
      `${path}:3:2: column "x": expected a number, got "z" (use --na z to treat it as missing)`,
    );
    expect(readTable(path, { columns, na: ["z"] }).rows).toBe(1);
    expect(inputError(() => readTable(join(dir, "none.csv"), { columns }))).toBe(
      `${join(dir, "none.csv")}: no such file`,
    );
  });

  it("reads the example data sets", () => {
    const bc = readTable("examples/breast-cancer-wisconsin.csv", {
      columns: [
        { name: "diagnosis", type: "categorical" },
        { name: "radius_mean", type: "numeric" },
        { name: "fractal_dimension_worst", type: "numeric" },
      ],
    });
    expect(bc.rows).toBe(569);
    const d = categorical(bc, "diagnosis");
    expect(d.levels).toEqual(["B", "M"]);
    expect(d.values.filter((v) => v === "M").length).toBe(212);
    expect(numeric(bc, "radius_mean").values[0]).toBe(17.99);
    const diabetes = readTable("examples/diabetes.csv", {
      columns: [
        { name: "sex", type: "categorical" },
        { name: "progression", type: "numeric" },
      ],
    });
    expect(diabetes.rows).toBe(442);
    expect(categorical(diabetes, "sex").levels).toEqual(["1", "2"]);
    const wine = readTable("examples/wine.csv", {
      columns: [{ name: "cultivar", type: "categorical" }],
    });
    expect(wine.rows).toBe(178);
    expect(categorical(wine, "cultivar").levels).toEqual(["1", "2", "3"]);
  });
});

describe("takeTableRows", () => {
  it("keeps the chosen rows, their lines and refits the levels", () => {
    const t = parseTable(TEXT, "d.csv", {
      columns: [
        { name: "tissue", type: "categorical" },
        { name: "dose", type: "numeric" },
      ],
    });
    const s = takeTableRows(t, [2, 0]);
    expect(s.rows).toBe(2);
    expect([...s.lines]).toEqual([5, 2]);
    expect(categorical(s, "tissue").levels).toEqual(["liver"]);
    expect([...numeric(s, "dose").values]).toEqual([-5, 1.5]);
    expect(inputError(() => tableColumn(s, "nope"))).toMatchInlineSnapshot(
      `"d.csv: no column "nope" was read (read: "tissue", "dose")"`,
    );
  });
});
