import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JSON_LABELS } from "../../src/tasks/fit-curve-request.js";
import {
  fitChunkBatch,
  fitGroupsChunk,
  fitPackedChunk,
  type GroupsChunk,
  type PackedGroupsChunk,
} from "../../src/tasks/fit-groups-chunk.js";
import { readGroupedRows } from "../../src/tasks/fit-groups-data.js";
import { fitGroupsRequestSchema } from "../../src/tasks/fit-groups-request.js";
import { groupsCsvRows } from "../../src/tasks/groups-csv.js";

// A packed chunk (one array per column, what workers get) gives the rows of the plain chunk
// (an object per group, what a queue gets), and formats them as the main thread would.
const dir = mkdtempSync(join(tmpdir(), "biograd-groups-packed-"));
execFileSync("node", ["bench/groups/make-curves.mjs", "--n=60", "--seed=9", `--out=${dir}`]);
const request = fitGroupsRequestSchema.parse({
  task: "fit-groups",
  data: { file: join(dir, "curves-60.csv"), na: ["NA"] },
  model: "4pl",
  x: ["logconc"],
  y: "response",
  group: ["compound"],
  engine: "fast",
});
const read = readGroupedRows(
  request.data as { file: string },
  ["compound"],
  ["logconc", "response"],
);
// A missing response (NaN) in one group: dropped from that group's fit only.
read.columns[1]![read.offsets[3]! + 2] = Number.NaN;
const params = ["bottom", "top", "logEC50", "hill"];

function chunks(first: number, count: number, want: PackedGroupsChunk["want"]) {
  const from = read.offsets[first]!;
  const to = read.offsets[first + count]!;
  const plain: GroupsChunk = {
    request,
    labels: JSON_LABELS,
    groups: Array.from({ length: count }, (_, k) => ({
      key: read.keys[first + k]!,
      columns: read.columns.map((c) =>
        c.slice(read.offsets[first + k]!, read.offsets[first + k + 1]!),
      ),
    })),
  };
  const packed: PackedGroupsChunk = {
    request,
    labels: JSON_LABELS,
    keys: read.keys.slice(first, first + count),
    offsets: Int32Array.from({ length: count + 1 }, (_, k) => read.offsets[first + k]! - from),
    columns: read.columns.map((c) => c.slice(from, to)),
    want,
  };
  return { plain, packed };
}

const decode = (bytes: Uint8Array | null) =>
  bytes === null ? null : new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);

describe("fitPackedChunk", () => {
  it("fits each group as the plain chunk does and returns what was asked for", () => {
    const { plain, packed } = chunks(0, 50, { rows: Infinity, csv: true, json: true });
    const rows = fitGroupsChunk(plain);
    const out = fitPackedChunk(packed);
    expect(out.rows).toEqual(rows);
    expect(rows[3]!.n).toBe(23);
    // The bytes are the UTF-8 of the rows' lines (checked by decoding: the rows' own text).
    expect(decode(out.csv)).toBe(groupsCsvRows(rows, params));
    expect(out.csv).toBeInstanceOf(Uint8Array);
    expect(out.json).toBe(JSON.stringify(rows));
    expect(out.groups).toBe(50);
    expect(out.fitted).toBe(rows.filter((r) => r.converged).length);
    expect(out.flagged).toBe(rows.filter((r) => r.flags.length > 0).length);

    const light = fitPackedChunk(chunks(0, 50, { rows: 3, csv: true, json: false }).packed);
    expect(light.rows).toEqual(rows.slice(0, 3));
    expect(light.csv).toEqual(out.csv);
    expect(light.json).toBeNull();
    expect([light.fitted, light.flagged]).toEqual([out.fitted, out.flagged]);
    // Without CSV text the rows are the chunk's output: all of them.
    const tail = chunks(50, 10, { rows: 0, csv: false, json: false });
    expect(fitPackedChunk(tail.packed).rows).toEqual(fitGroupsChunk(tail.plain));
  });
});

describe("fitPackedChunk's CSV-only lines", () => {
  // Written straight from the fitter's buffers: the same text as the rows', also with a fixed
  // parameter (no uncertainty for it), a flagged curve and a level other than 95 %.
  it("equal the rows' lines", () => {
    const fixed = { ...request, fix: { bottom: 2 }, level: 0.9 };
    const { plain, packed } = chunks(0, 60, { rows: 0, csv: true, json: false });
    // An outlier in group 5 (both copies).
    plain.groups[5]!.columns[1]![4]! += 80;
    packed.columns[1]![packed.offsets[5]! + 4]! += 80;
    for (const req of [request, fixed]) {
      const rows = fitGroupsChunk({ ...plain, request: req });
      const light = fitPackedChunk({ ...packed, request: req });
      expect(light.rows).toEqual([]);
      expect(decode(light.csv)).toBe(groupsCsvRows(rows, params));
      expect(light.fitted).toBe(rows.filter((r) => r.converged).length);
      expect(light.flagged).toBe(rows.filter((r) => r.flags.length > 0).length);
      expect(light.flagged).toBeGreaterThan(0);
    }
  });
});

describe("fitChunkBatch", () => {
  it("gives each chunk of a batch its own outcome: a bad range does not take the others' results", () => {
    const a = chunks(0, 10, { rows: 0, csv: true, json: false }).packed;
    const b = chunks(10, 10, { rows: 0, csv: true, json: false }).packed;
    const want = { rows: 0, csv: true, json: false };
    const range = (text: string) => ({
      request,
      labels: JSON_LABELS,
      headerLine: "compound,logconc,response",
      bytes: new TextEncoder().encode(text),
      firstLine: 40,
      count: 1,
      numeric: ["logconc", "response"],
      want,
    });
    const out = fitChunkBatch([
      a,
      range("Z1,-9,10\nZ1,-8,oops\n"),
      range('Z2,-9,"10"\n'), // a quote: the whole-file reader's (null)
      b,
    ]);
    expect(out.map((o) => o.ok)).toEqual([true, false, true, true]);
    expect(out[0]).toEqual({ ok: true, result: fitPackedChunk(a) });
    expect(out[3]).toEqual({ ok: true, result: fitPackedChunk(b) });
    const error = out[1] as { ok: false; error: { code: string; message: string } };
    expect(error.error.code).toBe("bad_input");
    expect(error.error.message).toContain(
      ':41:3: column "response": expected a number, got "oops"',
    );
    expect(out[2]).toEqual({ ok: true, result: null });
  });
});
