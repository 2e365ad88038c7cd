import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type GroupedColumns,
  type GroupedColumnsOptions,
  groupedColumnsFromBytes,
  streamGroupedColumns,
} from "../../src/data/grouped-columns.js";
import { mulberry32 } from "../helpers/seeded.js";
import * as reference from "./reference/grouped-columns-text.js";

// The byte reader against a frozen copy of the text reader it replaced (the oracle): on
// generated files full of what either reader must notice (quotes, CRs, na tokens, non-ASCII,
// odd numbers, wrong field counts, blank lines, a BOM), read in chunks as small as one byte
// so lines, CRLFs and UTF-8 characters are cut at every place, the same result (null, or the
// same keys and the same numbers bit for bit) or the same error message.

const dir = mkdtempSync(join(tmpdir(), "biograd-grouped-bytes-"));

const ODD_NUMBERS = [
  "1e5",
  "-.5",
  "+3",
  "3.",
  "0x10",
  "Infinity",
  "-Infinity",
  " 1",
  "1 ",
  "1.0000000000000000001",
  "123456789012345678901234567890",
  `0.${"0".repeat(30)}17`,
  "1e400",
  "1e-400",
  "-0",
  "NA",
  "",
  "n/a",
  "1,5",
  "1e",
  "é",
  "1é",
  "٣",
  "\t2",
  "9007199254740993",
  "4.9e-324",
  "00012",
];
// Non-ASCII inside the values (an edge one hands the line back: only with damage, below).
const GROUPS = ["A", "B", "C1", "zétéz", "x日本x", "a b", "x\u00a0y", "NA", "n/a", "g-1", "Z"];

/** One file's text: plain rows, with damage and oddities drawn from `r`. */
function makeFile(r: () => number): { text: string; options: GroupedColumnsOptions } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const twoKeys = r() < 0.25;
  const cols = twoKeys ? ["plate", "g", "x", "y", "note"] : ["g", "x", "y"];
  // Shuffle the columns now and then (the group column need not come first).
  if (r() < 0.3) cols.sort(() => r() - 0.5);
  const delimiter = r() < 0.15 ? "\t" : r() < 0.1 ? ";" : ",";
  const eol = r() < 0.7 ? "\n" : r() < 0.5 ? "\r\n" : "\r";
  const damage = r() < 0.3; // else only values both readers take
  const sequential = r() < 0.6;
  const na = r() < 0.7 ? ["NA", pick(["n/a", " – ", "缺"])] : [];
  const lines = [cols.join(delimiter)];
  const rows = 1 + Math.floor(r() * 60);
  let group = 0;
  for (let i = 0; i < rows; i++) {
    if (sequential ? r() < 0.2 : true) group = Math.floor(r() * GROUPS.length);
    const number = () => {
      if (damage && r() < 0.05) return pick(ODD_NUMBERS);
      const x = (r() - 0.5) * 10 ** Math.floor(r() * 12 - 6);
      const k = r();
      if (k < 0.5) return String(x);
      if (k < 0.7) return x.toFixed(Math.floor(r() * 8));
      if (k < 0.85) return x.toExponential(Math.floor(r() * 17));
      if (k < 0.9) return na.length > 0 ? "NA" : "1";
      return pick(["1e5", "-.5", "+3", "3.", "-0", "1.0000000000000000001", "4.9e-324"]);
    };
    const value: Record<string, string> = {
      g: damage && r() < 0.02 ? pick(["Ω", "été"]) : GROUPS[group]!,
      plate: `P${Math.floor(r() * 3)}`,
      x: number(),
      y: number(),
      note: pick(["", "ok", "xüber", "x y", "a日b"]),
    };
    let fields = cols.map((c) => value[c]!);
    if (damage && r() < 0.03) fields = fields.slice(1); // a field short
    if (damage && r() < 0.03) fields.push("extra");
    if (damage && r() < 0.02) fields[0] = `"${fields[0]}"`;
    if (damage && r() < 0.02) fields[fields.length - 1] = `${fields.at(-1)} `;
    if (damage && r() < 0.02) fields[0] = "";
    lines.push(fields.join(delimiter));
    if (r() < 0.03) lines.push(""); // a blank line
  }
  if (damage && r() < 0.1) lines.splice(1 + Math.floor(r() * (lines.length - 1)), 0, "a\rb");
  const bom = r() < 0.1 ? "\uFEFF" : "";
  const last = r() < 0.7 ? eol : "";
  const blankHead = r() < 0.05 ? eol : "";
  return {
    text: `${bom}${blankHead}${lines.join(eol)}${last}`,
    options: {
      groupColumns: twoKeys ? ["plate", "g"] : ["g"],
      numeric: r() < 0.1 ? ["x", "x", "y"] : ["x", "y"],
      delimiter: delimiter === "," ? undefined : delimiter === "\t" ? "tab" : delimiter,
      na,
    },
  };
}

type Outcome = { value: GroupedColumns | null } | { error: string };
function outcome(read: () => GroupedColumns | null): Outcome {
  try {
    return { value: read() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Equal outcomes: both null, the same error, or the same keys, offsets and bits. */
function same(got: Outcome, want: Outcome, what: string): boolean {
  if ("error" in want || "error" in got) {
    expect(got, what).toEqual(want);
    return false;
  }
  if (want.value === null || got.value === null) {
    expect(got.value === null, what).toBe(want.value === null);
    return false;
  }
  const a = got.value;
  const b = want.value;
  expect(a.keys, what).toEqual(b.keys);
  expect(Array.from(a.offsets), what).toEqual(Array.from(b.offsets));
  expect(a.columns.length, what).toBe(b.columns.length);
  for (let k = 0; k < a.columns.length; k++) {
    const bits = (c: Float64Array) => Buffer.from(c.buffer, c.byteOffset, c.byteLength);
    expect(bits(a.columns[k]!).equals(bits(b.columns[k]!)), `${what} column ${k}`).toBe(true);
  }
  return true;
}

describe("the byte reader against the text reader", () => {
  it("reads generated files the same at every chunk size", () => {
    const r = mulberry32(2026);
    let read = 0;
    let handedBack = 0;
    for (let n = 0; n < 400; n++) {
      const { text, options } = makeFile(r);
      const path = join(dir, `f${n}.csv`);
      writeFileSync(path, text);
      const opts = options;
      const want = outcome(() => reference.streamGroupedColumns(path, opts));
      for (const chunkBytes of [1, 2, 3, 7, 64, 1 << 20]) {
        const got = outcome(() => streamGroupedColumns(path, { ...opts, chunkBytes }));
        const what = `file ${n} (chunks of ${chunkBytes}): ${JSON.stringify(text.slice(0, 300))}`;
        if (same(got, want, what)) read++;
        else handedBack++;
      }
    }
    // Both kinds were exercised (the test can tell a reader that always hands back).
    expect(read).toBeGreaterThan(800);
    expect(handedBack).toBeGreaterThan(200);
  });

  it("reads ranges of lines the same, with the same located error for a bad number", () => {
    const r = mulberry32(99);
    let errors = 0;
    let read = 0;
    for (let n = 0; n < 800; n++) {
      const { text, options } = makeFile(r);
      const opts = options;
      const body = text.replace(/^\uFEFF/, "");
      const at = body.indexOf("\n");
      if (at < 0 || body.includes("\r")) continue; // ranges are cut from LF files only
      const header = body.slice(0, at);
      const bytes = Buffer.from(body.slice(at + 1), "utf8");
      const firstLine = 2 + Math.floor(r() * 5);
      const want = outcome(() =>
        reference.groupedColumnsFromBytes("f.csv", header, bytes, opts, firstLine),
      );
      const got = outcome(() =>
        groupedColumnsFromBytes("f.csv", header, bytes, { ...opts, chunkBytes: 5 }, firstLine),
      );
      const whole = outcome(() => groupedColumnsFromBytes("f.csv", header, bytes, opts, firstLine));
      if ("error" in want) errors++;
      if (same(got, want, `range ${n}: ${JSON.stringify(body.slice(0, 300))}`)) read++;
      same(whole, want, `range ${n} in one go`);
    }
    expect(errors).toBeGreaterThan(10);
    expect(read).toBeGreaterThan(50);
  });

  it("keeps every value when the columns grow in the middle of a group's lines", () => {
    // Lines shorter than the 16 bytes a range's first estimate allows, and a file read with
    // the first chunk's estimate: the columns grow while the lines of one group are read.
    const r = mulberry32(31);
    const lines: string[] = [];
    for (let g = 0; g < 40; g++) {
      for (let i = 0; i < 150; i++) lines.push(`G${g},${i % 9},${Math.floor(r() * 10)}.${i % 7}`);
    }
    const body = `${lines.join("\n")}\n`;
    const opts = { groupColumns: ["g"], numeric: ["x", "y"] };
    const path = join(dir, "short-lines.csv");
    writeFileSync(path, `g,x,y\n${body}`);
    const want = outcome(() => reference.streamGroupedColumns(path, opts));
    expect(
      same(
        outcome(() => streamGroupedColumns(path, opts)),
        want,
        "file",
      ),
    ).toBe(true);
    for (const chunkBytes of [100, 4096]) {
      const got = outcome(() => streamGroupedColumns(path, { ...opts, chunkBytes }));
      expect(same(got, want, `chunks of ${chunkBytes}`)).toBe(true);
    }
    const bytes = Buffer.from(body);
    const range = outcome(() => groupedColumnsFromBytes(path, "g,x,y", bytes, opts, 2));
    expect(same(range, want, "range")).toBe(true);
  });

  it("names a bad number's line and column as the text reader did", () => {
    const body = "x,1,2\nx,3,4\ny,5,1,5\n";
    const opts = { groupColumns: ["g"], numeric: ["a", "b"] };
    // "1,5" is a field count here (hand back); a bad number on line 13:
    expect(groupedColumnsFromBytes("f.csv", "g,a,b", Buffer.from(body), opts, 11)).toBeNull();
    const bad = Buffer.from("x,1,2\nx,3,4\ny,5,1é2\n");
    expect(() => groupedColumnsFromBytes("f.csv", "g,a,b", bad, opts, 11)).toThrow(
      'f.csv:13:3: column "b": expected a number, got "1é2"',
    );
  });
});
