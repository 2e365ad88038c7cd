import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.js";
import { createRng } from "../../src/core/rng.js";
import { linearModel } from "../../src/models/linear.js";
import { parseCheckpoint, writeCheckpoint } from "../../src/train/checkpoint-file.js";
import type { TrainCheckpoint } from "../../src/train/train-checkpoint.js";
import { train } from "../../src/train/trainer.js";
import { chain } from "../../src/transforms/chain.js";
import { zClip } from "../../src/transforms/clip-zscore.js";
import { adam } from "../../src/transforms/optimizers.js";

function checkpoint(): TrainCheckpoint {
  const rng = createRng(2);
  const x = Float64Array.from({ length: 10 }, () => rng.uniform());
  const y = Float64Array.from(x, (v) => 1 + v);
  const model = linearModel({ features: ["x"], target: "y", rows: 10, x, y, source: "t" });
  let cp: TrainCheckpoint | undefined;
  const controller = new AbortController();
  train(model, {
    transform: chain(zClip({}), adam({ lr: 0.1 })),
    epochs: 100,
    signal: controller.signal,
    onEpoch: (r) => r.epoch === 30 && controller.abort(),
    checkpoint: { save: (c) => (cp = c) },
  });
  return JSON.parse(JSON.stringify(cp));
}

const refusal = (value: unknown) => {
  try {
    parseCheckpoint(value, "c.json");
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  return "accepted";
};

describe("parseCheckpoint", () => {
  it("accepts what the trainer saves, and writeCheckpoint writes it back readable", () => {
    const cp = checkpoint();
    expect(parseCheckpoint(cp, "c.json")).toEqual(cp);
    const path = join(mkdtempSync(join(tmpdir(), "biograd-cp-")), "c.json");
    writeCheckpoint(path, cp);
    expect(parseCheckpoint(JSON.parse(readFileSync(path, "utf8")), path)).toEqual(cp);
  });

  it("refuses wrong types, nulls, wrong lengths and absurd sizes with the JSON path", () => {
    // biome-ignore lint/suspicious/noExplicitAny: the edits reach into a JSON tree.
    const bad = (edit: (cp: any) => void) => {
      const cp = checkpoint();
      edit(cp);
      return refusal(cp);
    };
    expect(bad((c) => (c.params[1] = "1"))).toBe(
      'c.json: params[1]: expected a number (or "NaN", "Infinity", "-Infinity", "-0")',
    );
    expect(bad((c) => (c.params[0] = null))).toMatch(/^c\.json: params\[0\]: expected a number/);
    expect(bad((c) => c.params.push(1))).toBe(
      "c.json: params: expected 2 numbers (the layout's size), got 3",
    );
    expect(bad((c) => (c.counters.epoch = -1))).toMatch(/^c\.json: counters\.epoch: /);
    expect(bad((c) => (c.stopping = null))).toMatch(/^c\.json: stopping: expected object/);
    expect(bad((c) => (c.layout[0].shape = [100000000, 100000000]))).toMatch(
      /^c\.json: layout(\[0\]\.shape\[0\])?: /,
    );
    expect(bad((c) => c.detector.recent[0].tensors.pop())).toBe(
      "c.json: detector.recent[0].tensors: expected 2 numbers (one per tensor), got 1",
    );
    expect(bad((c) => (c.extra = 1))).toMatch(/^c\.json: .*extra/);
  });

  it("arbitrary JSON is accepted or refused with an InputError, never anything else", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const message = refusal(value);
        expect(message === "accepted" || message.startsWith("c.json: ")).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("a real checkpoint with one field replaced by arbitrary JSON never crashes", () => {
    const cp = checkpoint();
    const paths: string[][] = [];
    const walk = (v: unknown, path: string[]) => {
      paths.push(path);
      if (v && typeof v === "object") {
        for (const [k, item] of Object.entries(v)) walk(item, [...path, k]);
      }
    };
    walk(cp, []);
    fc.assert(
      fc.property(
        fc.constantFrom(...paths.filter((p) => p.length > 0)),
        fc.jsonValue(),
        (path, value) => {
          const copy = JSON.parse(JSON.stringify(cp));
          let target = copy;
          for (const k of path.slice(0, -1)) target = target[k];
          target[path.at(-1)!] = value;
          const message = refusal(copy);
          expect(message === "accepted" || message.startsWith("c.json: ")).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
