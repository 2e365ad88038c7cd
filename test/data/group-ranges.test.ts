import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type GroupRange, openGroupRanges } from "../../src/data/group-ranges.js";
import { groupedColumnsFromBytes, streamGroupedColumns } from "../../src/data/grouped-columns.js";

const dir = mkdtempSync(join(tmpdir(), "biograd-group-ranges-"));
const options = { groupColumns: ["g"], numeric: ["x", "y"] };

/** Groups g0 … g{n−1}, rows of group k: 1 + k % 4 (so ranges differ in size), a blank line here and there. */
function groupedLines(n: number): string[] {
  const lines = ["g,x,y"];
  for (let k = 0; k < n; k++) {
    for (let r = 0; r <= k % 4; r++) lines.push(`g${k},${r},${k + r / 10}`);
    if (k % 7 === 3) lines.push("");
  }
  return lines;
}

function write(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

function allRanges(path: string, groupsPerRange: number, readBytes?: number) {
  const scan = openGroupRanges(path, { ...options, groupsPerRange, readBytes })!;
  const ranges: GroupRange[] = [];
  for (;;) {
    const r = scan.next();
    if (r === "ungrouped") return { scan, ranges, ungrouped: true };
    if (r === null) return { scan, ranges, ungrouped: false };
    ranges.push(r);
  }
}

describe("openGroupRanges cuts a grouped file into ranges of whole groups", () => {
  it("covers the file after the header exactly once, with each range's first line number", () => {
    const lines = groupedLines(203);
    const path = write("grouped.csv", lines);
    // Small reads: ranges and lines cross read boundaries.
    const { scan, ranges, ungrouped } = allRanges(path, 10, 64);
    expect(ungrouped).toBe(false);
    expect(ranges.map((r) => r.count)).toEqual([...Array(20).fill(10), 3]);
    expect(ranges.map((r) => r.first)).toEqual(ranges.map((_, k) => 10 * k));
    expect(scan.groups()).toBe(203);
    expect(scan.bytesScanned()).toBe(scan.size);
    const body = Buffer.concat(ranges.map((r) => r.bytes)).toString("utf8");
    expect(`${scan.headerLine}\n${body}`).toBe(readFileSync(path, "utf8"));
    for (const r of ranges) {
      // The range's first line is its first group's first row, at the line number given.
      const first = Buffer.from(r.bytes).toString("utf8").split("\n")[0]!;
      expect(first.startsWith(`g${r.first},0,`)).toBe(true);
      expect(lines[r.firstLine - 1]).toBe(first);
    }
  });

  it("reads past the short first read (16 KiB) at the default read size, a quote there seen", () => {
    const lines = groupedLines(3000);
    const path = write("long.csv", lines);
    expect(readFileSync(path).length).toBeGreaterThan(3 * (1 << 14));
    const { scan, ranges, ungrouped } = allRanges(path, 50);
    expect(ungrouped).toBe(false);
    expect(ranges.map((r) => r.count)).toEqual(Array(60).fill(50));
    expect(scan.groups()).toBe(3000);
    const body = Buffer.concat(ranges.map((r) => r.bytes)).toString("utf8");
    expect(`${scan.headerLine}\n${body}`).toBe(readFileSync(path, "utf8"));
    // A quote beyond the first read's bytes: the whole-file reader's.
    const quoted = [...lines];
    quoted[lines.length - 10] = `"${quoted[lines.length - 10]}"`;
    expect(allRanges(write("long-quoted.csv", quoted), 50).ungrouped).toBe(true);
  });

  it("each range parsed on its own gives the whole file's columns", () => {
    const path = write("parse.csv", groupedLines(57));
    const whole = streamGroupedColumns(path, options)!;
    const { scan, ranges } = allRanges(path, 8);
    let row = 0;
    for (const r of ranges) {
      const part = groupedColumnsFromBytes(path, scan.headerLine, r.bytes, options)!;
      expect(part.keys).toEqual(whole.keys.slice(r.first, r.first + r.count));
      const n = part.columns[0]!.length;
      expect([...part.columns[1]!]).toEqual([...whole.columns[1]!.subarray(row, row + n)]);
      row += n;
    }
    expect(row).toBe(whole.columns[0]!.length);
  });

  it("gives up on a group that comes back, a quote or a CR, even late in the file", () => {
    const lines = groupedLines(120);
    const back = allRanges(write("back.csv", [...lines, "g3,9,9"]), 10);
    expect(back.ungrouped).toBe(true);
    expect(back.ranges.length).toBe(11); // the ranges before the line that gave it away
    expect(allRanges(write("quote.csv", [...lines, '"g200",1,2']), 10, 256).ungrouped).toBe(true);
    expect(allRanges(write("cr.csv", [...lines, "g201,1,2\r"]), 10, 256).ungrouped).toBe(true);
    expect(allRanges(write("empty.csv", [...lines, ",1,2"]), 10).ungrouped).toBe(true);
  });

  it("a range's parser names a bad number by its line in the file; an empty value it hands back", () => {
    const lines = groupedLines(40);
    const at = lines.findIndex((l) => l.startsWith("g33,1,"));
    const broken = lines.map((l, k) => (k === at ? "g33,1,1.5e" : l));
    const path = write("bad-number.csv", broken);
    const { scan, ranges } = allRanges(path, 10);
    const range = ranges.find((r) => r.first === 30)!;
    const parse = (r: GroupRange, firstLine: number | null) =>
      groupedColumnsFromBytes(path, scan.headerLine, r.bytes, options, firstLine);
    expect(() => parse(range, range.firstLine)).toThrow(
      `${path}:${at + 1}:3: column "y": expected a number, got "1.5e"`,
    );
    expect(parse(range, null)).toBeNull(); // without a line number: handed back, as a file read
    expect(parse(ranges[0]!, ranges[0]!.firstLine)).not.toBeNull();
    const empty = write(
      "empty-number.csv",
      lines.map((l, k) => (k === at ? "g33,1," : l)),
    );
    const again = allRanges(empty, 10);
    const r = again.ranges.find((x) => x.first === 30)!;
    expect(
      groupedColumnsFromBytes(empty, again.scan.headerLine, r.bytes, options, r.firstLine),
    ).toBeNull();
  });

  it("drops rows whose group value is an na token, as the whole-file reader does", () => {
    const lines = ["g,x,y", "a,1,1", "NA,2,2", "a,3,3", "b,4,4", "NA,5,5", "c,6,6"];
    const path = write("na.csv", lines);
    const scan = openGroupRanges(path, { ...options, na: ["NA"], groupsPerRange: 2 })!;
    const first = scan.next() as GroupRange;
    const second = scan.next() as GroupRange;
    expect(scan.next()).toBeNull();
    // The dropped row before "c" stays in the first range: the second starts at line 7.
    expect([first.count, second.count, second.firstLine]).toEqual([2, 1, 7]);
    const part = groupedColumnsFromBytes(path, scan.headerLine, first.bytes, {
      ...options,
      na: ["NA"],
    })!;
    expect(part.keys).toEqual([["a"], ["b"]]);
    expect([...part.columns[0]!]).toEqual([1, 3, 4]);
  });
  it("reads a group column that is not the first field, and two group columns as one key", () => {
    // Groups (plate, g): the same g on two plates is two groups; a pair that comes back is not.
    const lines = ["x,plate,g,y"];
    for (let k = 0; k < 60; k++) {
      for (let r = 0; r <= k % 3; r++) lines.push(`${r},P${k % 2},g${k >> 1},${k + r / 10}`);
    }
    const path = write("two-keys.csv", lines);
    const two = { groupColumns: ["plate", "g"], numeric: ["x", "y"] };
    const whole = streamGroupedColumns(path, two)!;
    const scan = openGroupRanges(path, { ...two, groupsPerRange: 7, readBytes: 50 })!;
    const keys: string[][] = [];
    for (let r = scan.next(); r !== null; r = scan.next()) {
      expect(r).not.toBe("ungrouped");
      const part = groupedColumnsFromBytes(path, scan.headerLine, (r as GroupRange).bytes, two)!;
      keys.push(...part.keys);
    }
    expect(keys).toEqual(whole.keys);
    expect(scan.groups()).toBe(60);
    // One column (g), not first: the P0 and P1 rows of g0 are one group, then g1.
    const byG = openGroupRanges(path, { ...options, groupColumns: ["g"], groupsPerRange: 4 })!;
    let groups = 0;
    for (let r = byG.next(); r !== null; r = byG.next()) {
      expect(r).not.toBe("ungrouped");
      groups += (r as GroupRange).count;
    }
    expect(groups).toBe(30);
    const back = write("two-keys-back.csv", [...lines, "9,P1,g0,9"]);
    const again = openGroupRanges(back, { ...two, groupsPerRange: 7 })!;
    let r = again.next();
    while (r !== null && r !== "ungrouped") r = again.next();
    expect(r).toBe("ungrouped");
  });
});
