import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError, OptionError } from "../../src/core/errors.js";
import {
  type CsvOptions,
  editDistance,
  parseDataset,
  parseDatasetWithReport,
  parseNumber,
  readDataset,
  readDatasetWithReport,
} from "../../src/data/csv.js";

/** The error `fn` throws (fails the test if it returns). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error, but none was thrown");
}

/** The InputError message from parsing `text` as `source`. */
function inputError(text: string, options: CsvOptions, source = "data.csv"): string {
  const error = thrown(() => parseDataset(text, source, options));
  expect(error).toBeInstanceOf(InputError);
  expect((error as InputError).code).toBe("bad_input");
  expect(error.message).not.toContain("\n");
  return error.message;
}

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "biograd-csv-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function fixture(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("parseNumber", () => {
  it("accepts decimal and scientific notation", () => {
    const cases: [string, number][] = [
      ["0", 0],
      ["12", 12],
      ["-1.5e-3", -0.0015],
      [".5", 0.5],
      ["3.", 3],
      ["+2", 2],
      ["1E3", 1000],
      ["-0", -0],
      ["007", 7],
      ["  4.25 ", 4.25],
      ["1.7976931348623157e308", Number.MAX_VALUE],
      ["5e-324", 5e-324],
    ];
    for (const [text, value] of cases) expect(parseNumber(text), text).toBe(value);
  });

  it("rejects everything else, including what Number() accepts", () => {
    const bad = [
      "",
      " ",
      "1,2",
      "0x10",
      "0b1",
      "1e",
      "e5",
      ".",
      "-",
      "+-1",
      "1.2.3",
      "abc",
      "NaN",
      "Inf",
      "-Infinity",
      "Infinity",
      "1e400",
      "-1e400",
      "1_000",
      "1 000",
      "٣",
      "1e+",
    ];
    for (const text of bad) expect(parseNumber(text), JSON.stringify(text)).toBeUndefined();
    // The point of the strict grammar: Number() alone would have accepted these.
    expect(Number("")).toBe(0);
    expect(Number("0x10")).toBe(16);
  });
});

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and adjacent swaps", () => {
    expect(editDistance("od", "od600")).toBe(3);
    expect(editDistance("tmie", "time")).toBe(1);
    expect(editDistance("ca", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });
});

describe("parseDataset: values and layout", () => {
  it("selects columns by name, in the requested order, row-major", () => {
    const text = "time,strain,temp,od600\n0,wt,30,0.05\n1.5,wt,30.5,0.11\n3,mut,31,-2e-1\n";
    const data = parseDataset(text, "growth.csv", { x: ["temp", "time"], y: "od600" });
    expect(data.features).toEqual(["temp", "time"]);
    expect(data.target).toBe("od600");
    expect(data.rows).toBe(3);
    expect(data.source).toBe("growth.csv");
    expect(data.x).toBeInstanceOf(Float64Array);
    expect(data.y).toBeInstanceOf(Float64Array);
    expect(Array.from(data.x)).toEqual([30, 0, 30.5, 1.5, 31, 3]);
    expect(Array.from(data.y)).toEqual([0.05, 0.11, -0.2]);
  });

  it("does not keep a reference to the caller's x array", () => {
    const x = ["a"];
    const data = parseDataset("a,b\n1,2\n", "d.csv", { x, y: "b" });
    x.push("zzz");
    expect(data.features).toEqual(["a"]);
  });

  it("uses a tab for .tsv and .tab files (any case), a comma otherwise", () => {
    const tsv = "a\tb\tc\n1\t2\t3\n4\t5\t6\n";
    for (const source of ["d.tsv", "D.TSV", "d.tab"]) {
      const data = parseDataset(tsv, source, { x: ["a", "c"], y: "b" });
      expect(Array.from(data.x)).toEqual([1, 3, 4, 6]);
      expect(Array.from(data.y)).toEqual([2, 5]);
    }
    // As a .csv the header is a single column "a\tb\tc".
    expect(inputError(tsv, { x: ["a"], y: "b" }, "d.csv")).toBe(
      'd.csv:1: no column "a" (columns: a\tb\tc); the header has a single column: is the delimiter "\\t"? (use --delimiter)',
    );
  });

  it("uses the given delimiter whatever the extension; 'tab' and '\\t' mean a tab", () => {
    const semi = parseDataset("a;b\n1;2\n", "d.tsv", { x: ["a"], y: "b", delimiter: ";" });
    expect(Array.from(semi.x)).toEqual([1]);
    expect(Array.from(semi.y)).toEqual([2]);
    for (const delimiter of ["tab", "\\t", "\t"]) {
      const data = parseDataset("a\tb\n1\t2\n", "d.csv", { x: ["a"], y: "b", delimiter });
      expect(Array.from(data.y)).toEqual([2]);
    }
  });

  it("handles quoted fields: numbers, commas, doubled quotes and line breaks in other columns", () => {
    const text = [
      'id,"od, 600",note,dose',
      '"1","0.25","say ""hi"", twice",10',
      '2," 0.5 ","line one',
      'line two",20',
      "3,1e-2,plain,30",
    ].join("\n");
    const data = parseDataset(text, "q.csv", { x: ["dose"], y: "od, 600" });
    expect(Array.from(data.x)).toEqual([10, 20, 30]);
    expect(Array.from(data.y)).toEqual([0.25, 0.5, 0.01]);
  });

  it("accepts CRLF line endings, a UTF-8 byte order mark and no final line break", () => {
    const text = "\ufeffx,y\r\n1,2\r\n3,4\r\n5,6";
    const data = parseDataset(text, "crlf.csv", { x: ["x"], y: "y" });
    expect(data.rows).toBe(3);
    expect(Array.from(data.x)).toEqual([1, 3, 5]);
    expect(Array.from(data.y)).toEqual([2, 4, 6]);
  });

  it("accepts old Mac (CR) line endings", () => {
    const data = parseDataset("x,y\r1,2\r3,4\r", "cr.csv", { x: ["x"], y: "y" });
    expect(Array.from(data.y)).toEqual([2, 4]);
    expect(inputError("x,y\r1,2\r\r3,1.2.3\r", { x: ["x"], y: "y" })).toBe(
      'data.csv:4:2: column "y": expected a number, got "1.2.3"',
    );
  });

  it("trims whitespace around fields and header names and skips blank lines", () => {
    const text = "\n  x , y  \n\n 1 ,\t2\n   \n3,  4 \n\n";
    const data = parseDataset(text, "ws.csv", { x: ["x"], y: "y" });
    expect(Array.from(data.x)).toEqual([1, 3]);
    expect(Array.from(data.y)).toEqual([2, 4]);
  });

  it("ignores the contents of columns that are not chosen", () => {
    const text = "sample,x,comment,y\nA-1,1,n/a,2\n,3,,4\n";
    const data = parseDataset(text, "d.csv", { x: ["x"], y: "y" });
    expect(Array.from(data.x)).toEqual([1, 3]);
    expect(Array.from(data.y)).toEqual([2, 4]);
  });

  it("allows duplicate header names in columns that are not chosen", () => {
    const data = parseDataset("x,note,note,y\n1,a,b,2\n", "d.csv", { x: ["x"], y: "y" });
    expect(Array.from(data.y)).toEqual([2]);
  });
});

describe("missing values (na)", () => {
  const text = [
    "time,od600,temp", // 1
    "0,0.1,30", // 2
    "1,NA,30", // 3
    "2,0.3,", // 4
    "3,0.4,31", // 5
    "4,n/a,31", // 6
  ].join("\n");

  it("drops rows with an na token in any chosen column and reports their lines", () => {
    const report = parseDatasetWithReport(text, "na.csv", {
      x: ["time", "temp"],
      y: "od600",
      na: ["NA", "n/a", ""],
    });
    expect(report.droppedRows).toBe(3);
    expect(report.droppedLines).toEqual([3, 4, 6]);
    expect(report.dataset.rows).toBe(2);
    expect(Array.from(report.dataset.x)).toEqual([0, 30, 3, 31]);
    expect(Array.from(report.dataset.y)).toEqual([0.1, 0.4]);
  });

  it("only looks at chosen columns: an empty temp does not drop a row unless temp is chosen", () => {
    const report = parseDatasetWithReport(text, "na.csv", {
      x: ["time"],
      y: "od600",
      na: ["NA", "n/a"],
    });
    expect(report.droppedLines).toEqual([3, 6]);
    expect(Array.from(report.dataset.x)).toEqual([0, 2, 3]);
  });

  it("without na the same file is an error at the first bad value", () => {
    expect(inputError(text, { x: ["time", "temp"], y: "od600" })).toBe(
      'data.csv:3:2: column "od600": expected a number, got "NA" (use --na NA to treat it as missing)',
    );
  });

  it("tokens are exact (case-sensitive) and a token not listed is still an error", () => {
    expect(inputError(text, { x: ["time"], y: "od600", na: ["na", "NA"] })).toBe(
      'data.csv:6:2: column "od600": expected a number, got "n/a" (use --na n/a to treat it as missing)',
    );
  });

  it("an empty field needs the empty token", () => {
    expect(inputError(text, { x: ["temp"], y: "time" })).toBe(
      'data.csv:4:3: column "temp": expected a number, got "" (use --na "" to treat it as missing)',
    );
    const report = parseDatasetWithReport(text, "d.csv", { x: ["temp"], y: "time", na: [""] });
    expect(report.droppedLines).toEqual([4]);
  });

  it("a numeric sentinel can be declared missing", () => {
    const report = parseDatasetWithReport("x,y\n1,2\n-999,3\n4,5\n", "d.csv", {
      x: ["x"],
      y: "y",
      na: ["-999"],
    });
    expect(report.droppedLines).toEqual([3]);
    expect(Array.from(report.dataset.x)).toEqual([1, 4]);
  });

  it("a bad value is an error even in a row that also has a missing value", () => {
    expect(inputError("x,y\nNA,abc1\n", { x: ["x"], y: "y", na: ["NA"] })).toBe(
      'data.csv:2:2: column "y": expected a number, got "abc1"',
    );
  });

  it("is an error when every row is dropped", () => {
    expect(inputError("x,y\n1,NA\nNA,2\n", { x: ["x"], y: "y", na: ["NA"] })).toBe(
      "data.csv: all 2 data rows have a missing value (na) in a chosen column; no rows left",
    );
  });
});

describe("bad values: file:line:column", () => {
  it("points at the 13th line and 4th field", () => {
    const lines = ["time,strain,temp,od600"];
    for (let i = 0; i < 11; i++) lines.push(`${i},wt,30,${(0.1 * i).toFixed(2)}`);
    lines.push("11,wt,30,n/a");
    lines.push("12,wt,30,1.3");
    expect(lines[12]).toBe("11,wt,30,n/a"); // line 13 of the file
    expect(inputError(lines.join("\n"), { x: ["time", "temp"], y: "od600" })).toBe(
      'data.csv:13:4: column "od600": expected a number, got "n/a" (use --na n/a to treat it as missing)',
    );
  });

  it("counts blank lines and line breaks inside quoted fields (also CRLF ones)", () => {
    const text = [
      "id,note,x,y", // 1
      '1,"first line', // 2
      'second line",0.5,1', // 3
      "", // 4
      '2,"a\r\nb\r\nc",0.7,2', // 5, 6, 7
      "3,plain,0.9,1.2.3", // 8
    ].join("\r\n");
    expect(inputError(text, { x: ["x"], y: "y" })).toBe(
      'data.csv:8:4: column "y": expected a number, got "1.2.3"',
    );
  });

  it("gives the line a field starts on within a record spanning lines", () => {
    const text = 'id,note,x,y\n1,"two\nlines",oops,2\n';
    expect(inputError(text, { x: ["x"], y: "y" })).toBe(
      'data.csv:3:3: column "x": expected a number, got "oops" (use --na oops to treat it as missing)',
    );
  });

  it("reports the leftmost bad field of a row, with hints that fit the value", () => {
    const cases: [string, string][] = [
      ["1,2,0x10", 'data.csv:2:3: column "c": expected a number, got "0x10"'],
      [
        "1,2,1,5",
        "data.csv:2: row has 4 fields but the header has 3", // unquoted decimal comma: ragged
      ],
      [
        '1,2,"1,5"',
        'data.csv:2:3: column "c": expected a number, got "1,5" (use a dot as the decimal separator)',
      ],
      [
        "1,2,Inf",
        'data.csv:2:3: column "c": expected a number, got "Inf" (infinite values are not allowed)',
      ],
      [
        "1,2,1e999",
        'data.csv:2:3: column "c": expected a number, got "1e999" (out of range for a double)',
      ],
      [
        '1,2,"?"',
        'data.csv:2:3: column "c": expected a number, got "?" (use --na "?" to treat it as missing)',
      ],
      ["1,2,1e", 'data.csv:2:3: column "c": expected a number, got "1e"'],
      [
        '1,2," "',
        'data.csv:2:3: column "c": expected a number, got " " (use --na "" to treat it as missing)',
      ],
      [
        "x,y,z",
        'data.csv:2:1: column "a": expected a number, got "x" (use --na x to treat it as missing)',
      ],
    ];
    for (const [row, message] of cases) {
      expect(inputError(`a,b,c\n${row}\n`, { x: ["c", "a"], y: "b" }), row).toBe(message);
    }
  });

  it("shortens long values and keeps the message on one line", () => {
    const long = "9".repeat(30) + "x".repeat(50);
    expect(inputError(`a,b\n1,${long}\n`, { x: ["a"], y: "b" })).toBe(
      `data.csv:2:2: column "b": expected a number, got "${"9".repeat(30)}${"x".repeat(27)}..."`,
    );
    expect(inputError('a,b\n1,"x\ny"\n', { x: ["a"], y: "b" })).toBe(
      'data.csv:2:2: column "b": expected a number, got "x\\ny"',
    );
  });
});

describe("structural errors", () => {
  it("empty file and blank-only file", () => {
    expect(inputError("", { x: ["a"], y: "b" })).toBe(
      "data.csv: file is empty; expected a header row naming the columns",
    );
    expect(inputError(" \n\r\n\t\n", { x: ["a"], y: "b" })).toBe(
      "data.csv: file is empty; expected a header row naming the columns",
    );
  });

  it("header only", () => {
    expect(inputError("time,od600\n", { x: ["time"], y: "od600" })).toBe(
      "data.csv:1: no data rows after the header",
    );
    expect(inputError("\n\ntime,od600\n\n", { x: ["time"], y: "od600" })).toBe(
      "data.csv:3: no data rows after the header",
    );
  });

  it("ragged row on line 7", () => {
    const text = ["a,b,c,d", "1,2,3,4", "1,2,3,4", "", "1,2,3,4", "1,2,3,4", "1,2,3", "1,2,3,4"];
    expect(inputError(text.join("\n"), { x: ["a"], y: "d" })).toBe(
      "data.csv:7: row has 3 fields but the header has 4",
    );
    expect(inputError("a,b\n1\n", { x: ["a"], y: "b" })).toBe(
      "data.csv:2: row has 1 field but the header has 2",
    );
  });

  it("missing column, with a suggestion when one is close", () => {
    const text = "time,od600,temp\n1,2,3\n";
    expect(inputError(text, { x: ["time"], y: "od" })).toBe(
      'data.csv:1: no column "od" (columns: time, od600, temp); did you mean "od600"?',
    );
    expect(inputError(text, { x: ["Temp"], y: "od600" })).toBe(
      'data.csv:1: no column "Temp" (columns: time, od600, temp); did you mean "temp"?',
    );
    expect(inputError(text, { x: ["tmie"], y: "od600" })).toBe(
      'data.csv:1: no column "tmie" (columns: time, od600, temp); did you mean "time"?',
    );
    expect(inputError(text, { x: ["time"], y: "glucose" })).toBe(
      'data.csv:1: no column "glucose" (columns: time, od600, temp)',
    );
  });

  it("lists at most 12 columns", () => {
    const header = Array.from({ length: 15 }, (_, i) => `c${i + 1}`).join(",");
    const row = Array.from({ length: 15 }, () => "1").join(",");
    expect(inputError(`${header}\n${row}\n`, { x: ["c1"], y: "zzzzzz" })).toBe(
      'data.csv:1: no column "zzzzzz" (columns: c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, ... (3 more))',
    );
  });

  it("suggests the delimiter when the header is one column", () => {
    expect(inputError("time;od600\n1;2\n", { x: ["time"], y: "od600" })).toBe(
      'data.csv:1: no column "time" (columns: time;od600); the header has a single column: is the delimiter ";"? (use --delimiter)',
    );
  });

  it("duplicate header name in a chosen column", () => {
    expect(inputError("od600,time,od600\n1,2,3\n", { x: ["time"], y: "od600" })).toBe(
      'data.csv:1:3: column "od600" appears more than once in the header (fields 1 and 3); rename one of them',
    );
  });

  it("the same column as feature and target, or twice as a feature", () => {
    expect(inputError("a,b\n1,2\n", { x: ["a", "b"], y: "b" })).toBe(
      'data.csv: column "b" is chosen both as a feature (x) and as the target (y)',
    );
    expect(inputError("a,b\n1,2\n", { x: ["a", "a"], y: "b" })).toBe(
      'data.csv: column "a" is listed twice as a feature (x)',
    );
  });

  it("unclosed quote: the line and field where it opens", () => {
    const text = 'x,y\n1,2\n\n3,"4\n5,6\n7,8\n';
    expect(inputError(text, { x: ["x"], y: "y" })).toBe(
      'data.csv:4:2: unclosed quote: this field opens with " and the file ends before it closes',
    );
  });

  it("text after a closing quote, and a quote inside an unquoted field", () => {
    expect(inputError('x,y\n1,2\n3,"4"5\n', { x: ["x"], y: "y" })).toBe(
      'data.csv:3:2: unexpected text after a closing quote (inside a quoted field, write a quote as "")',
    );
    expect(inputError('x,y\n1,2\n3,4\n5,6 "in"\n', { x: ["x"], y: "y" })).toBe(
      'data.csv:4:2: quote inside an unquoted field (quote the whole field and write the quote as "")',
    );
  });

  it("syntax errors after a CRLF line break inside quotes still get the right line", () => {
    const text = 'n,x,y\r\n"a\r\nb",1,2\r\n"c",3,"4"z\r\n';
    expect(inputError(text, { x: ["x"], y: "y" })).toBe(
      'data.csv:4:3: unexpected text after a closing quote (inside a quoted field, write a quote as "")',
    );
  });

  it("a syntax error inside a record that spans CRLF or CR line breaks gets its own line", () => {
    // Found by the property tests: csv-parse counts a CRLF inside quotes as two lines.
    expect(inputError('x;y\n"cr\r\nlf",1\n', { x: ["x"], y: "y", delimiter: ";" })).toBe(
      'data.csv:3:1: unexpected text after a closing quote (inside a quoted field, write a quote as "")',
    );
    expect(inputError('x,y\n1,2\n"open\r\n\r\n"q"z,1\n', { x: ["x"], y: "y" })).toBe(
      'data.csv:5:1: unexpected text after a closing quote (inside a quoted field, write a quote as "")',
    );
  });

  it("mixed line endings each end a line (a later LF is not data after a first CR)", () => {
    const data = parseDataset("x,y\r1,2\r\n3,4\n\n5,6\r", "mixed.csv", { x: ["x"], y: "y" });
    expect(Array.from(data.x)).toEqual([1, 3, 5]);
    expect(inputError("x,y\r1,2\r\n\r\nNaN,4\n", { x: ["x"], y: "y" })).toBe(
      'data.csv:4:1: column "x": expected a number, got "NaN" (use --na NaN to treat it as missing)',
    );
  });

  it("a header name holding a line break is listed quoted, keeping the message on one line", () => {
    expect(inputError('"a\nb",c\n1,2\n', { x: ["x"], y: "c" })).toBe(
      'data.csv:1: no column "x" (columns: "a\\nb", c); did you mean "c"?',
    );
  });

  it("wrong option types (library callers) are OptionErrors naming the option", () => {
    const cases: [unknown, string][] = [
      [{ x: [], y: "b" }, "parseDataset: x must be a non-empty list of column names, got []"],
      [{ x: "a", y: "b" }, 'parseDataset: x must be a non-empty list of column names, got "a"'],
      [{ x: ["a"], y: 1 }, "parseDataset: y must be a column name, got 1"],
      [{ x: ["a"], y: "b", delimiter: 9 }, "parseDataset: delimiter must be a string, got 9"],
      [{ x: ["a"], y: "b", na: "NA" }, 'parseDataset: na must be a list of strings, got "NA"'],
    ];
    for (const [options, message] of cases) {
      const error = thrown(() => parseDataset("a,b\n1,2\n", "d.csv", options as CsvOptions));
      expect(error).toBeInstanceOf(OptionError);
      expect(error.message).toBe(message);
    }
    const unknown = thrown(() =>
      parseDataset("a,b\n1,2\n", "d.csv", { x: ["a"], y: "b", sep: ";" } as CsvOptions),
    );
    expect(unknown.message).toBe(
      'parseDataset: unknown option "sep" (known options: x, y, na, delimiter, sheet)',
    );
  });

  it("values a command-line user types are refused naming the option, not a function", () => {
    const cases: [CsvOptions, string][] = [
      [{ x: ["a"], y: "" }, '--y: expected a column name, got ""'],
      [{ x: ["a", ""], y: "b" }, "--x: expected column names, got an empty name"],
      [
        { x: ["a"], y: "b", delimiter: "ab" },
        '--delimiter: expected one character or "tab", got "ab"',
      ],
      [{ x: ["a"], y: "b", delimiter: "" }, '--delimiter: expected one character or "tab", got ""'],
      [
        { x: ["a"], y: "b", delimiter: '"' },
        '--delimiter: a quote or line break cannot separate fields, got "\\""',
      ],
      [
        { x: ["a"], y: "b", delimiter: "\n" },
        '--delimiter: a quote or line break cannot separate fields, got "\\n"',
      ],
    ];
    for (const [options, message] of cases) {
      expect(inputError("a,b\n1,2\n", options, "d.csv")).toBe(message);
    }
    // One character is one code point, so a delimiter outside the BMP is accepted.
    const data = parseDataset("a😀b\n1😀2\n", "d.csv", { x: ["a"], y: "b", delimiter: "😀" });
    expect(Array.from(data.y)).toEqual([2]);
  });
});

describe("without a target (prediction inputs)", () => {
  it("reads only the features; target is empty", () => {
    const d = parseDataset("a,b,c\n1,2,3\n4,5,6\n", "d.csv", { x: ["c", "a"] });
    expect(d.rows).toBe(2);
    expect(Array.from(d.x)).toEqual([3, 1, 6, 4]);
    expect(d.target).toBe("");
    expect(d.y).toHaveLength(0);
  });
});

describe("readDataset (files)", () => {
  it("reads a file; source is the path; .tsv means tabs", () => {
    const csv = fixture("growth.csv", "time,od600\n0,0.1\n1,0.2\n");
    const data = readDataset(csv, { x: ["time"], y: "od600" });
    expect(data.source).toBe(csv);
    expect(Array.from(data.x)).toEqual([0, 1]);
    expect(Array.from(data.y)).toEqual([0.1, 0.2]);

    const tsv = fixture("growth.tsv", "time\tod600\r\n0\t0.1\r\n1\t0.2\r\n");
    expect(Array.from(readDataset(tsv, { x: ["time"], y: "od600" }).y)).toEqual([0.1, 0.2]);
  });

  it("reports dropped rows", () => {
    const path = fixture("na.csv", "x,y\n1,2\nNA,3\n4,5\n");
    const report = readDatasetWithReport(path, { x: ["x"], y: "y", na: ["NA"] });
    expect(report.droppedRows).toBe(1);
    expect(report.droppedLines).toEqual([3]);
    expect(report.dataset.rows).toBe(2);
  });

  it("messages start with the path", () => {
    const path = fixture("bad.csv", "x,y\n1,2\n3,oops\n");
    const error = thrown(() => readDataset(path, { x: ["x"], y: "y" }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      `${path}:3:2: column "y": expected a number, got "oops" (use --na oops to treat it as missing)`,
    );
  });

  it("missing file, empty file, directory", () => {
    const missing = join(dir, "nope.csv");
    const a = thrown(() => readDataset(missing, { x: ["x"], y: "y" }));
    expect(a).toBeInstanceOf(InputError);
    expect(a.message).toBe(`${missing}: no such file`);

    const empty = fixture("empty.csv", "");
    expect(thrown(() => readDataset(empty, { x: ["x"], y: "y" })).message).toBe(
      `${empty}: file is empty; expected a header row naming the columns`,
    );

    const sub = join(dir, "folder.csv");
    mkdirSync(sub);
    const c = thrown(() => readDataset(sub, { x: ["x"], y: "y" }));
    expect(c).toBeInstanceOf(InputError);
    expect(c.message).toBe(`${sub}: is a directory, not a data file`);
  });

  it("reads examples/linear3.csv exactly and its least-squares fit matches the solution file", () => {
    const root = fileURLToPath(new URL("../../examples/", import.meta.url));
    const data = readDataset(join(root, "linear3.csv"), { x: ["x1", "x2", "x3"], y: "y" });
    expect(data.rows).toBe(200);
    expect(data.features).toEqual(["x1", "x2", "x3"]);
    // First data line, as written with '%.17g'.
    const firstLine = readFileSync(join(root, "linear3.csv"), "utf8").split("\n")[1]!;
    const first = firstLine.split(",").map(Number);
    expect(Array.from(data.x.subarray(0, 3))).toEqual(first.slice(0, 3));
    expect(data.y[0]).toBe(first[3]);

    const solution = JSON.parse(readFileSync(join(root, "linear3.solution.json"), "utf8")) as {
      w: number[];
      b: number;
    };
    const fit = leastSquares(data.x, data.y, 3);
    for (let j = 0; j < 3; j++) expect(fit[j]).toBeCloseTo(solution.w[j]!, 10);
    expect(fit[3]).toBeCloseTo(solution.b, 10);
  });
});

/** Least squares on [X, 1] by the normal equations and Gaussian elimination (small p). */
function leastSquares(x: Float64Array, y: Float64Array, p: number): number[] {
  const n = y.length;
  const m = p + 1;
  const a = Array.from({ length: m }, () => new Array<number>(m + 1).fill(0));
  for (let i = 0; i < n; i++) {
    const row = [...x.subarray(i * p, i * p + p), 1];
    for (let r = 0; r < m; r++) {
      for (let c = 0; c < m; c++) a[r]![c]! += row[r]! * row[c]!;
      a[r]![m]! += row[r]! * y[i]!;
    }
  }
  for (let k = 0; k < m; k++) {
    for (let r = k + 1; r < m; r++) {
      const f = a[r]![k]! / a[k]![k]!;
      for (let c = k; c <= m; c++) a[r]![c]! -= f * a[k]![c]!;
    }
  }
  const sol = new Array<number>(m).fill(0);
  for (let k = m - 1; k >= 0; k--) {
    let s = a[k]![m]!;
    for (let c = k + 1; c < m; c++) s -= a[k]![c]! * sol[c]!;
    sol[k] = s / a[k]![k]!;
  }
  return sol;
}
