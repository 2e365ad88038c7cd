import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { streamGroupedColumns } from "../../src/data/grouped-columns.js";
import { readGroupedRows, tableGroupedRows } from "../../src/tasks/fit-groups-data.js";

const dir = mkdtempSync(join(tmpdir(), "biograd-grouped-columns-"));
let count = 0;
function file(text: string | Buffer, ext = "csv"): string {
  const path = join(dir, `f${count++}.${ext}`);
  writeFileSync(path, text);
  return path;
}

/** Both readers on one file: equal results, or the same error message. */
function both(path: string, group: string[], numeric: string[], extra = {}) {
  const data = { file: path, ...extra };
  const run = (f: () => unknown) => {
    try {
      return { ok: f() };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  const streamed = run(() => readGroupedRows(data, group, numeric));
  const table = run(() => tableGroupedRows(data, group, numeric));
  expect(streamed).toEqual(table);
  return streamed;
}

describe("streamGroupedColumns", () => {
  it("reads what the table reader reads: line endings, BOM, blank lines, NA, several keys", () => {
    const body = [
      "plate,compound,x,y,note",
      "P1,A,1,10,ok",
      "",
      "P1,B,2,NA,has space inside",
      "P2,A,3,30,x",
      "NA,A,4,40,dropped",
      "P1,A,5,50,",
      "P2,A,-1.5e-3,.5,z",
    ];
    for (const eol of ["\n", "\r\n", "\r"]) {
      for (const bom of ["", "\uFEFF"]) {
        const path = file(`${bom}${body.join(eol)}${eol}`);
        const r = both(path, ["plate", "compound"], ["x", "y"], { na: ["NA"] });
        expect(
          streamGroupedColumns(path, {
            groupColumns: ["plate", "compound"],
            numeric: ["x", "y"],
            na: ["NA"],
          }),
        ).not.toBeNull();
        const ok = (r as { ok: { keys: string[][]; columns: Float64Array[] } }).ok;
        expect(ok.keys).toEqual([
          ["P1", "A"],
          ["P1", "B"],
          ["P2", "A"],
        ]);
        expect(Array.from(ok.columns[0]!)).toEqual([1, 5, 2, 3, -1.5e-3]);
        expect(Array.from(ok.columns[1]!)).toEqual([10, 50, Number.NaN, 30, 0.5]);
      }
    }
    const tsv = file("g\tx\ty\na b\t1\t2\na b\t3\t4\n", "tsv");
    expect(both(tsv, ["g"], ["x", "y"])).toMatchObject({ ok: { keys: [["a b"]] } });
  });

  it("hands quotes and padded fields to the table reader, with the same result", () => {
    const quoted = file('g,x,y\n"a, b",1,2\n"a, b",3,4\nc, 5 ,6\n');
    expect(streamGroupedColumns(quoted, { groupColumns: ["g"], numeric: ["x", "y"] })).toBeNull();
    expect(both(quoted, ["g"], ["x", "y"])).toMatchObject({ ok: { keys: [["a, b"], ["c"]] } });
  });

  it("gives the table reader's located errors", () => {
    const cases = [
      ["g,x,y\na,1,2\na,zz,3\n", ["g"], ["x", "y"]], // not a number
      ["g,x,y\na,1,2\n,1,3\n", ["g"], ["x", "y"]], // empty group value
      ["g,x,y\na,1,2\na,1\n", ["g"], ["x", "y"]], // a short row
      ["g,x,y\na,1,2\n", ["h"], ["x", "y"]], // unknown column
      ["\n\n", ["g"], ["x"]], // no header
    ] as const;
    const messages = cases.map(([text, g, n]) => {
      const r = both(file(text), [...g], [...n]) as { error?: string };
      expect(r.error).toMatch(/^\/.*\.csv(:\d+)*: /);
      return r.error!.replace(/^.*\.csv/, "FILE");
    });
    expect(messages).toMatchInlineSnapshot(`
      [
        "FILE:3:2: column "x": expected a number, got "zz" (use --na zz to treat it as missing)",
        "FILE:3:1: group column "g": empty value (use --na "" to drop such rows)",
        "FILE:3: row has 2 fields but the header has 3",
        "FILE:1: no column "h" (columns: g, x, y); did you mean "g"?",
        "FILE: file is empty; expected a header row naming the columns",
      ]
    `);
    expect(both(join(dir, "missing.csv"), ["g"], ["x"])).toMatchObject({
      error: expect.stringMatching(/no such file/),
    });
  });

  it("a row after a dropped one joins its own group, not the previous row's", () => {
    // The reader reuses the last row's group when the key fields are equal; a row dropped for
    // an NA key after its first field changed must not leave that shortcut pointing wrong.
    const path = file("p,c,x\nP1,A,1\nP2,NA,2\nP2,A,3\nP1,A,4\nP2,A,5\n");
    const r = both(path, ["p", "c"], ["x"], { na: ["NA"] }) as {
      ok: { keys: string[][]; offsets: Int32Array; columns: Float64Array[] };
    };
    expect(r.ok.keys).toEqual([
      ["P1", "A"],
      ["P2", "A"],
    ]);
    expect(Array.from(r.ok.offsets)).toEqual([0, 2, 4]);
    expect(Array.from(r.ok.columns[0]!)).toEqual([1, 4, 3, 5]);
  });

  it("reads a grouped LF file in place, and hands it back at a quote in a later chunk", () => {
    const lines = ["g,x,y"];
    for (let i = 0; i < 80_000; i++) lines.push(`G${Math.floor(i / 24)},${i},${i % 7}`);
    const options = { groupColumns: ["g"], numeric: ["x", "y"] };
    const r = streamGroupedColumns(file(`${lines.join("\n")}\n`), options)!;
    expect(r.keys).toHaveLength(3334);
    expect(r.offsets[1]).toBe(24);
    expect(Array.from(r.columns[0]!.subarray(79_990))).toEqual(
      Array.from({ length: 10 }, (_, k) => 79_990 + k),
    );
    lines[79_000] = `"G3291",78999,4`; // past the first 1 MiB read
    const quoted = file(`${lines.join("\n")}\n`);
    expect(streamGroupedColumns(quoted, options)).toBeNull();
    expect(tableGroupedRows({ file: quoted }, ["g"], ["x", "y"]).keys).toEqual(r.keys);
  });

  it("keeps reading across chunk boundaries (a CRLF split between two reads)", () => {
    const lines = ["g,x,y"];
    for (let i = 0; i < 120_000; i++) lines.push(`G${i % 997},${i},${(i * 7) % 13}`);
    const path = file(`${lines.join("\r\n")}\r\n`);
    const r = both(path, ["g"], ["x", "y"]) as { ok: { keys: unknown[]; offsets: Int32Array } };
    expect(r.ok.keys).toHaveLength(997);
    expect(r.ok.offsets.at(-1)).toBe(120_000);
  });
});
