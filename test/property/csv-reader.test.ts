import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.js";
import { readDataset } from "../../src/data/csv.js";
import { readColumnNames, readTable } from "../../src/data/table.js";
import { cli } from "../helpers/cli.js";

/**
 * Property tests of the tabular reader: whatever bytes a data file holds, reading it gives
 * a well-formed result or one InputError whose one-line message starts with the file name
 * (and line:column where there is one) — never another exception. Through the CLI, a bad
 * file exits 2 with one line, never "internal error".
 */

let dir = "";
let counter = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "biograd-csv-property-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes `bytes` to a fresh file with the given extension and returns its path. */
function file(bytes: Uint8Array, ext = ".csv"): string {
  const path = join(dir, `f${counter++}${ext}`);
  writeFileSync(path, bytes);
  return path;
}

const enc = (s: string) => new TextEncoder().encode(s);
const concat = (parts: readonly Uint8Array[]) => Buffer.concat(parts.map((p) => Buffer.from(p)));

/** Field contents that stress the reader: numbers, odd numbers, quotes, text, bad bytes. */
const field: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.double().map((d) => enc(String(d))),
  fc.integer().map((i) => enc(String(i))),
  fc
    .constantFrom(
      "NaN",
      "nan",
      "Inf",
      "-inf",
      "Infinity",
      "-Infinity",
      "1e400",
      "-1e-400",
      "9".repeat(400),
      "0x10",
      "1,5",
      "1_000",
      "",
      " ",
      " 3 ",
      "NA",
      "n/a",
      "x",
      "y",
      "x ",
      "ab",
      '"quoted, with ""quotes"""',
      '"unclosed',
      'a"b',
      '"x"y',
      '"multi\nline"',
      '"cr\r\nlf"',
      "\u00e9",
      "\u{1F600}",
      "\u0000",
    )
    .map(enc),
  fc
    .constantFrom([0xff], [0xc3], [0x80, 0x80], [0xef, 0xbb], [0xfe, 0xff])
    .map((b) => new Uint8Array(b)),
  fc.string({ maxLength: 6 }).map(enc),
);
const separator = fc.constantFrom(",", ";", "\t", "|", " ", ",,").map(enc);
const lineEnd = fc.constantFrom("\n", "\r\n", "\r", "\n\n", "\r\n\r\n").map(enc);
const headerLike = fc.constantFrom("x,y", "y,x", "x;y", "x\ty", "id,x,y", "x,y,x", "x", "X,Y", "");

/** A line: fields joined by separators (mostly one separator per line, sometimes mixed). */
const line = fc
  .tuple(
    fc.array(field, { minLength: 0, maxLength: 5 }),
    separator,
    fc.array(separator, { maxLength: 5 }),
  )
  .map(([fields, sep, mixed]) =>
    concat(fields.flatMap((f, i) => (i === 0 ? [f] : [mixed[i] ?? sep, f]))),
  );

/** A file: optional BOM, a header-like first line, lines with random endings; or raw bytes. */
const fileBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc
    .tuple(
      fc.boolean(),
      headerLike,
      fc.array(fc.tuple(line, lineEnd), { maxLength: 8 }),
      lineEnd,
      fc.boolean(),
    )
    .map(([bom, header, rows, end, finalEnd]) =>
      concat([
        bom ? new Uint8Array([0xef, 0xbb, 0xbf]) : new Uint8Array(),
        enc(header),
        end,
        ...rows.flatMap(([l, e], i) => (i < rows.length - 1 || finalEnd ? [l, e] : [l])),
      ]),
    ),
  fc.uint8Array({ maxLength: 64 }),
);

const delimiter = fc.constantFrom(
  undefined,
  undefined,
  ",",
  ";",
  "\t",
  "tab",
  "\\t",
  "|",
  " ",
  "ab",
  "",
);

/** Asserts `error` is one InputError starting with the file (or the --delimiter option). */
function expectLocated(error: unknown, path: string, bytes: Uint8Array): void {
  expect(error).toBeInstanceOf(InputError);
  const message = (error as Error).message;
  expect(message).not.toMatch(/[\r\n]/);
  if (message.startsWith("--delimiter: ")) return;
  expect(message.startsWith(`${path}:`)).toBe(true);
  const at = /^:(\d+)(?::(\d+))?: /.exec(message.slice(path.length));
  if (at !== null) {
    // A line number is a line of the file (CR, LF and CRLF each end one).
    const text = Buffer.from(bytes).toString("latin1");
    const lines = (text.match(/\r\n|\r|\n/g)?.length ?? 0) + 1;
    expect(Number(at[1])).toBeGreaterThanOrEqual(1);
    expect(Number(at[1])).toBeLessThanOrEqual(lines);
    if (at[2] !== undefined) expect(Number(at[2])).toBeGreaterThanOrEqual(1);
  } else {
    expect(message.startsWith(`${path}: `)).toBe(true);
  }
}

function outcome(run: () => void, path: string, bytes: Uint8Array): void {
  try {
    run();
  } catch (error) {
    expectLocated(error, path, bytes);
  }
}

describe("the tabular reader on arbitrary bytes", () => {
  it("readDataset gives finite numbers of the right shape, or a located InputError", () => {
    fc.assert(
      fc.property(fileBytes, delimiter, fc.boolean(), fc.boolean(), (bytes, d, tsv, na) => {
        const path = file(bytes, tsv ? ".tsv" : ".csv");
        outcome(
          () => {
            const data = readDataset(path, {
              x: ["x"],
              y: "y",
              delimiter: d,
              na: na ? ["NA", ""] : undefined,
            });
            expect(data.rows).toBeGreaterThan(0);
            expect(data.x).toHaveLength(data.rows);
            expect(data.y).toHaveLength(data.rows);
            for (const v of [...data.x, ...data.y]) expect(Number.isFinite(v)).toBe(true);
          },
          path,
          bytes,
        );
      }),
      { numRuns: 300 },
    );
  });

  it("readTable (categorical, text, other columns) and readColumnNames: a result or a located InputError", () => {
    fc.assert(
      fc.property(fileBytes, delimiter, fc.boolean(), (bytes, d, na) => {
        const path = file(bytes);
        outcome(
          () => {
            const t = readTable(path, {
              columns: [
                { name: "x", type: "categorical" },
                { name: "y", type: "text" },
              ],
              otherColumns: "text",
              delimiter: d,
              na: na ? ["NA"] : undefined,
            });
            expect(t.rows).toBeGreaterThan(0);
            for (const c of t.columns) expect(c.values).toHaveLength(t.rows);
            expect(t.lines).toHaveLength(t.rows);
          },
          path,
          bytes,
        );
        outcome(
          () => expect(readColumnNames(path, { delimiter: d }).length).toBeGreaterThan(0),
          path,
          bytes,
        );
      }),
      { numRuns: 200 },
    );
  });
});

/** A good x,y file (positive, rising) with one corruption that makes it bad input. */
const badFile: fc.Arbitrary<Uint8Array> = fc
  .tuple(
    fc.constantFrom(
      "ragged",
      "text",
      "nan",
      "huge",
      "unclosed",
      "quote",
      "duplicate",
      "empty",
      "header-only",
      "no-y",
      "byte",
    ),
    fc.integer({ min: 0, max: 7 }),
    fc.constantFrom("\n", "\r\n", "\r"),
  )
  .map(([kind, at, eol]) => {
    const rows = Array.from({ length: 8 }, (_, i) => [
      `${(i + 1) * 0.5}`,
      `${(2 * (i + 1)) / (i + 2)}`,
    ]);
    let header = "x,y";
    const bad = rows[at]!;
    let tail = new Uint8Array();
    switch (kind) {
      case "ragged":
        bad.push("3");
        break;
      case "text":
        bad[at % 2] = "n/a";
        break;
      case "nan":
        bad[at % 2] = at % 4 < 2 ? "NaN" : "-Inf";
        break;
      case "huge":
        bad[at % 2] = "1e400";
        break;
      case "unclosed":
        bad[at % 2] = '"1.5';
        break;
      case "quote":
        bad[at % 2] = '1"5';
        break;
      case "duplicate":
        header = "x,y,y";
        for (const r of rows) r.push("1");
        break;
      case "empty":
        return new Uint8Array();
      case "header-only":
        return enc(`x,y${eol}`);
      case "no-y":
        header = "x,z";
        break;
      case "byte":
        bad[at % 2] = "1";
        tail = new Uint8Array([0xff]);
        break;
    }
    const text = [
      header,
      ...rows.map((r, i) => (kind === "byte" && i === at ? `${r.join(",")}` : r.join(","))),
    ].join(eol);
    if (kind !== "byte") return enc(`${text}${eol}`);
    // Put the invalid byte right after the bad row's first field.
    const lines = [header, ...rows.map((r) => r.join(","))];
    const before = enc(`${lines.slice(0, at + 1).join(eol)}${eol}1`);
    const after = enc(`,${rows[at]![1]}${eol}${lines.slice(at + 2).join(eol)}${eol}`);
    return concat([before, tail, after]);
  });

/** The one-line error of a refused run: exit 2, `biograd: <file>: …` or `…:line:column: …`. */
function expectRefused(result: { code: number; out: string[]; err: string[] }, path: string) {
  const lines = result.err.filter((l) => l !== "");
  expect(result.code, lines.join("\n")).toBe(2);
  expect(lines).toHaveLength(1);
  expect(lines[0]!.startsWith(`biograd: ${path}:`), lines[0]).toBe(true);
  expect(lines[0]).not.toContain("internal error");
}

function expectNoCrash(result: { code: number; out: string[]; err: string[] }) {
  const text = result.err.join("\n");
  expect(text).not.toContain("internal error");
  expect([0, 1, 2]).toContain(result.code);
  if (result.code === 2) expect(result.err.filter((l) => l !== "")).toHaveLength(1);
}

describe("bad files through the CLI", () => {
  it("fit and train refuse a corrupted file with exit 2 and one line naming it", async () => {
    await fc.assert(
      fc.asyncProperty(badFile, async (bytes) => {
        const path = file(bytes);
        expectRefused(
          await cli("fit", path, "--model", "michaelis-menten", "--x", "x", "--y", "y"),
          path,
        );
        expectRefused(await cli("train", path, "--x", "x", "--y", "y", "--epochs", "2"), path);
      }),
      { numRuns: 60 },
    );
  });

  it("arbitrary bytes never give an internal error", async () => {
    await fc.assert(
      fc.asyncProperty(fileBytes, async (bytes) => {
        const path = file(bytes);
        expectNoCrash(await cli("train", path, "--x", "x", "--y", "y", "--epochs", "2"));
        expectNoCrash(
          await cli("fit", path, "--model", "michaelis-menten", "--x", "x", "--y", "y"),
        );
      }),
      { numRuns: 100 },
    );
  });
});

describe("--delimiter through the CLI", () => {
  it("refuses more than one character for every command that reads a table, naming the option", async () => {
    const path = file(enc("x,y\n1,2\n2,3\n3,5\n4,6\n5,7\n6,8\n7,9\n8,9\n"));
    const expected = 'biograd: --delimiter: expected one character or "tab", got "ab"';
    for (const argv of [
      ["fit", path, "--model", "michaelis-menten", "--x", "x", "--y", "y"],
      ["train", path, "--x", "x", "--y", "y", "--epochs", "2"],
      ["train", path, "--model", "mlp:2", "--x", "x", "--y", "y", "--epochs", "2"],
      ["train", path, "--model", "mlp:2", "--y", "y", "--epochs", "2"],
    ]) {
      const result = await cli(...argv, "--delimiter", "ab");
      expect(result.code).toBe(2);
      expect(result.err.filter((l) => l !== "")).toEqual([expected]);
    }
  });
});
