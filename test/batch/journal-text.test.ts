import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { openJournal } from "../../src/batch/journal.js";
import { tempDir } from "../sweep/helpers.js";

// A result that carries its own JSON text (made on a worker thread) is journaled as that text:
// the line must be exactly what JSON.stringify gives the plain entry, and read back the same.
const request = z.object({ first: z.number(), count: z.number() }).strict();
const rows = z.array(z.object({ id: z.string(), value: z.number().nullable() }).strict());
type Rows = z.infer<typeof rows>;
interface Carried {
  rows: Rows;
  text: string | null;
}

describe("journal: a result given as its text", () => {
  it("writes the same line as the plain result and reads it back through the schema", () => {
    const dir = tempDir();
    const data: Rows = [
      { id: 'a "quoted", name', value: 0.1 + 0.2 },
      { id: "b", value: null },
    ];
    const job = { key: "groups:0-1:abc", request: { first: 0, count: 2 } };
    const plain = openJournal(join(dir, "plain.jsonl"), { request, result: rows });
    plain.append(job, data);
    plain.close();
    const carried = openJournal<{ first: number; count: number }, Carried>(
      join(dir, "text.jsonl"),
      {
        request,
        result: rows.transform((r) => ({ rows: r, text: null })),
        resultText: (r) => r.text ?? JSON.stringify(r.rows),
      },
    );
    carried.append(job, { rows: [], text: JSON.stringify(data) });
    carried.append({ ...job, key: "groups:2-3:def" }, { rows: data, text: null });
    carried.close();
    const [first, second] = readFileSync(join(dir, "text.jsonl"), "utf8").split("\n");
    expect(first).toBe(readFileSync(join(dir, "plain.jsonl"), "utf8").trimEnd());
    expect(JSON.parse(second!)).toEqual({
      v: 1,
      key: "groups:2-3:def",
      request: job.request,
      result: data,
    });
    const reread = openJournal(join(dir, "text.jsonl"), {
      request,
      result: rows.transform((r) => ({ rows: r, text: null })),
    });
    reread.close();
    expect(reread.ignoredLines).toBe(0);
    expect(reread.entries.get(job.key)?.result).toEqual({ rows: data, text: null });
  });
});
