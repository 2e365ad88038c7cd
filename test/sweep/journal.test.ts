import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type SweepJournalEntry as JournalEntry,
  openSweepJournal as openJournal,
} from "../../src/sweep/journal.js";
import type { RunRecord } from "../../src/sweep/record.js";
import { canonicalJson, type RunSpec, runKey } from "../../src/sweep/spec.js";
import { tempDir } from "./helpers.js";

const record: RunRecord = {
  initialLoss: 10,
  finalLoss: 1,
  bestLoss: 1,
  lastLoss: 1,
  epochs: 5,
  stopReason: "max-epochs",
  epochsToThreshold: null,
  clipFraction: 0.5,
  nonFiniteGradient: false,
  timeMs: 1.5,
};
const spec = (seed: number): RunSpec => ({
  task: "sweep-cell",
  run: {
    task: "train-linear",
    data: { file: "/data.csv" },
    x: ["x"],
    y: "y",
    transform: {
      guard: "error",
      clip: { kind: "value", threshold: 0.1 },
      optimizer: { name: "sgd", lr: 0.1 },
    },
    epochs: 5,
    seed,
  },
  dataSha256: "ab".repeat(32),
});
const entry = (seed: number): JournalEntry => ({
  v: 1,
  key: runKey(spec(seed)),
  request: spec(seed),
  result: record,
});

const job = (seed: number) => ({ key: runKey(spec(seed)), request: spec(seed) });

describe("run keys", () => {
  it("hash the canonical spec: key order does not matter, every field does", () => {
    const a = spec(1);
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as RunSpec;
    expect(canonicalJson(reordered)).toBe(canonicalJson(a));
    expect(runKey(reordered)).toBe(runKey(a));
    expect(runKey(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(runKey(spec(2))).not.toBe(runKey(a));
    expect(runKey({ ...a, dataSha256: "cd".repeat(32) })).not.toBe(runKey(a));
    const run = a.run as Extract<RunSpec["run"], { task: "train-linear" }>;
    const momentum = {
      ...run.transform,
      optimizer: { name: "sgd" as const, lr: 0.1, momentum: 0.9 },
    };
    expect(runKey({ ...a, run: { ...run, transform: momentum } })).not.toBe(runKey(a));
  });
});

describe("journal", () => {
  it("appends lines and reads them back by key", () => {
    const path = join(tempDir(), "j.jsonl");
    const j = openJournal(path);
    expect(j.entries.size).toBe(0);
    j.append(job(0), record);
    j.append(job(1), record);
    j.close();
    const again = openJournal(path);
    again.close();
    expect([...again.entries.keys()]).toEqual([entry(0).key, entry(1).key]);
    expect(again.entries.get(entry(1).key)!.result).toEqual(record);
  });

  it("cuts a torn last line, ignores bad and repeated lines, and appends cleanly after", () => {
    const path = join(tempDir(), "j.jsonl");
    const good = (e: JournalEntry) => `${JSON.stringify(e)}\n`;
    const forged = { ...entry(5), key: "0000000000000000" };
    writeFileSync(
      path,
      good(entry(0)) +
        "not json\n" +
        good(entry(0)) + // a repeat: the first is kept
        good(forged) + // key is not the spec's hash
        good(entry(1)) +
        good(entry(2)).slice(0, 40), // torn by a kill
    );
    const j = openJournal(path);
    expect([...j.entries.keys()]).toEqual([entry(0).key, entry(1).key]);
    expect(j.tornBytes).toBe(40);
    expect(j.ignoredLines).toBe(3);
    j.append(job(2), record);
    j.close();
    const lines = readFileSync(path, "utf8").split("\n");
    expect(lines.at(-1)).toBe("");
    expect(JSON.parse(lines.at(-2)!).key).toBe(entry(2).key);
    const reread = openJournal(path);
    reread.close();
    expect(reread.entries.size).toBe(3);
    expect(reread.tornBytes).toBe(0);
  });

  it("a journal whose only line is torn is empty", () => {
    const path = join(tempDir(), "j.jsonl");
    appendFileSync(path, '{"v":1,"key":"ab');
    const j = openJournal(path);
    j.close();
    expect(j.entries.size).toBe(0);
    expect(readFileSync(path, "utf8")).toBe("");
  });
});

describe("journal lines are checked by schema before they reach the aggregation", () => {
  /** A line for seed s with `edit` applied to a copy of its entry (key recomputed from the spec). */
  type Tree = Record<string, unknown>;
  const edited = (seed: number, path: string, value: unknown, rekey = true) => {
    const e = JSON.parse(JSON.stringify(entry(seed))) as Tree;
    const names = path.split(".");
    let at = e;
    for (const name of names.slice(0, -1)) at = at[name] as Tree;
    at[names.at(-1)!] = value;
    if (rekey) e.key = runKey(e.request as RunSpec);
    return `${JSON.stringify(e)}\n`;
  };

  it("ignores and counts wrong types, nulls, non-finite numbers, huge arrays and repeats", () => {
    const path = join(tempDir(), "j.jsonl");
    const bad = [
      edited(10, "result.finalLoss", "1"),
      edited(11, "result.epochs", null),
      edited(12, "result", null),
      `${JSON.stringify(entry(13)).replace('"finalLoss":1', '"finalLoss":1e999')}\n`,
      edited(
        14,
        "request.run.x",
        Array.from({ length: 5000 }, (_, i) => `x${i}`),
      ),
      edited(15, "request.run.transform.clip", { kind: "magic", threshold: 1 }),
      edited(19, "request.run.data", { columns: { x: [1], y: [2] } }),
      edited(20, "request.firstOrder", { steps: 1 }),
      edited(16, "result.clipFraction", 3),
      edited(17, "result.extra", 1),
      edited(18, "v", 2),
      "[1,2,3]\n",
      "null\n",
    ];
    writeFileSync(
      path,
      `${JSON.stringify(entry(0))}\n${bad.join("")}${JSON.stringify(entry(0))}\n`,
    );
    const j = openJournal(path);
    j.close();
    expect([...j.entries.keys()]).toEqual([entry(0).key]);
    expect(j.ignoredLines).toBe(bad.length + 1); // + the repeat of seed 0
    expect(j.firstProblem).toMatch(/^line 2: result\.finalLoss: .*expected number/i);
  });

  it("names the JSON path of each kind of damage", () => {
    const first = (line: string) => {
      const path = join(tempDir(), "j.jsonl");
      writeFileSync(path, line);
      const j = openJournal(path);
      j.close();
      expect(j.entries.size).toBe(0);
      return j.firstProblem;
    };
    expect(first(edited(1, "result.epochs", null))).toMatch(/^line 1: result\.epochs: /);
    expect(first(edited(1, "request.run.x", Array(2000).fill("x")))).toMatch(
      /^line 1: request\.run\.x: .*1000/,
    );
    expect(first(edited(1, "request.run.seed", 7, false))).toBe(
      `line 1: key: ${entry(1).key} is not the hash of the run's spec`,
    );
    // A line that is not JSON beside journal lines is ignored and named...
    const path = join(tempDir(), "j.jsonl");
    writeFileSync(path, `${JSON.stringify(entry(1))}\nnot json\n`);
    const j = openJournal(path);
    j.close();
    expect(j.entries.size).toBe(1);
    expect(j.firstProblem).toBe("line 2: not JSON");
    // ...but a file with no journal line at all (a CSV given by mistake) is refused, unchanged.
    const csv = join(tempDir(), "results.csv");
    writeFileSync(csv, "not json\nx,y");
    expect(() => openJournal(csv)).toThrow(/results\.csv: not a biograd journal/);
    expect(readFileSync(csv, "utf8")).toBe("not json\nx,y");
  });
});
