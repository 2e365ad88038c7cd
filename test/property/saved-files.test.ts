import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BiogradError } from "../../src/core/errors.js";
import { openSweepJournal } from "../../src/sweep/journal.js";
import { cli } from "../helpers/cli.js";

/**
 * Every file biograd reads back goes through a schema: arbitrary content never gives an
 * uncaught exception or an internal error. Through `predict` (saved fits, linear run files,
 * networks) a bad file is exit 2 with one line naming the file; a damaged sweep journal is
 * read with its bad lines counted and ignored, never trusted.
 */
const dir = mkdtempSync(join(tmpdir(), "biograd-saved-files-"));
const data = join(dir, "new.csv");
writeFileSync(data, "x,conc,x1,x2,x3,id\n1,0.1,0.5,0.2,0.1,a\n2,0.2,0.1,0.3,0.4,b\n");

/** A run file of `biograd train --out` for a linear model, as the predict schema expects it. */
function linearRun(): Record<string, unknown> {
  const path = join(dir, "run.json");
  return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
}

/** Replaces the value at a random path of `doc` by `value` (a structural mutation). */
function mutate(doc: unknown, path: number[], value: unknown): unknown {
  if (path.length === 0 || doc === null || typeof doc !== "object") return value;
  const keys = Object.keys(doc as object);
  if (keys.length === 0) return value;
  const key = keys[path[0]! % keys.length]!;
  const copy: Record<string, unknown> = Array.isArray(doc)
    ? ([...doc] as unknown as Record<string, unknown>)
    : { ...(doc as Record<string, unknown>) };
  copy[key] = mutate((doc as Record<string, unknown>)[key], path.slice(1), value);
  return copy;
}

async function predictOn(text: string) {
  const file = join(dir, "model.json");
  writeFileSync(file, text);
  return cli("predict", file, data);
}

function expectCleanRefusal(r: { code: number; out: string[]; err: string[] }) {
  const errors = r.err.filter((l) => l !== "");
  expect(r.err.join("\n")).not.toMatch(/internal error|at .*\.(ts|js):\d+/);
  if (r.code === 0) {
    // An accepted file predicts numbers: a field that slipped past the schema would show here.
    expect(r.out.join("\n")).not.toMatch(/NaN|undefined|null/);
  } else {
    expect(r.code).toBe(2);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^biograd: /);
  }
}

describe("files read back never crash biograd", () => {
  it("predict on arbitrary JSON: exit 2 with one line, never an internal error", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        expectCleanRefusal(await predictOn(JSON.stringify(value)));
      }),
      { numRuns: 150 },
    );
  });

  it("predict on a real linear run file with one field replaced by arbitrary JSON", async () => {
    const trained = await cli(
      "train",
      "examples/linear3.csv",
      "--x",
      "x1,x2,x3",
      "--y",
      "y",
      "--epochs",
      "50",
      "--out",
      join(dir, "run.json"),
    );
    expect(trained.code).toBe(0);
    const run = linearRun();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.jsonValue({ maxDepth: 2 }),
        async (path, value) => {
          expectCleanRefusal(await predictOn(JSON.stringify(mutate(run, path, value))));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("a sweep journal of arbitrary lines is read with every bad line counted, never trusted", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
            fc.string(),
          ),
        ),
        (lines) => {
          const path = join(dir, `journal-${Math.random().toString(36).slice(2)}.jsonl`);
          writeFileSync(path, lines.map((l) => l.replace(/\n/g, " ")).join("\n"));
          try {
            const journal = openSweepJournal(path);
            // Arbitrary lines are never valid run records with matching keys.
            expect(journal.entries.size).toBe(0);
            journal.close();
          } catch (error) {
            expect(error).toBeInstanceOf(BiogradError);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
