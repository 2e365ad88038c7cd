import { describe, expect, it } from "vitest";
import { createRng } from "../../src/core/rng.js";
import type { Dataset } from "../../src/data/dataset.js";
import { linearModel } from "../../src/models/linear.js";
import type { EpochRecord } from "../../src/train/history.js";
import { train } from "../../src/train/trainer.js";
import { chain } from "../../src/transforms/chain.js";
import { clipByValue } from "../../src/transforms/clip-by-value.js";
import { sgd } from "../../src/transforms/optimizers.js";

function lineData(n: number): Dataset {
  const rng = createRng(3);
  const x = Float64Array.from({ length: n }, () => 2 * rng.uniform());
  const y = Float64Array.from(x, (v) => 4 + 3 * v + 0.1 * rng.normal());
  return { features: ["x"], target: "y", rows: n, x, y, source: "test" };
}

const run = (epochs = 20) =>
  train(linearModel(lineData(30)), {
    transform: chain(clipByValue({ max: 1 }), sgd({ lr: 0.05 })),
    epochs,
  });

/** The keys of a train() result, in the order the trainer has always given them. */
const KEYS = [
  "layout",
  "state",
  "params",
  "named",
  "stopReason",
  "epochs",
  "steps",
  "history",
  "historyStride",
  "epochsRecorded",
  "stepsTakenBack",
  "finalLoss",
  "bestEpoch",
  "warnings",
  "timings",
];

describe("a train() result's lazily built history", () => {
  it("is an own enumerable key, in its place among the others", () => {
    const r = run();
    expect(Object.keys(r)).toEqual(KEYS);
    expect(Object.getOwnPropertyDescriptor(r, "history")?.enumerable).toBe(true);
  });

  it("is built on first read, then stays the same plain array", () => {
    const r = run();
    expect(typeof Object.getOwnPropertyDescriptor(r, "history")?.get).toBe("function");
    const first = r.history;
    expect(first.map((h) => h.epoch)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(Object.getOwnPropertyDescriptor(r, "history")?.value).toBe(first);
    expect(r.history).toBe(first);
    expect(r.epochsRecorded).toBe(first.length);
  });

  it("is in JSON and in copies, without being read first", () => {
    const r = run();
    const again = run();
    const json = JSON.parse(JSON.stringify(r)) as { history: EpochRecord[] };
    expect(json.history.map((h) => h.loss)).toEqual(again.history.map((h) => h.loss));
    const copy = { ...run() };
    expect(Object.getOwnPropertyDescriptor(copy, "history")?.value).toHaveLength(20);
  });

  it("can be replaced, before or after it is read", () => {
    const unread = run();
    const replacement: EpochRecord[] = [];
    unread.history = replacement;
    expect(unread.history).toBe(replacement);
    const read = run();
    expect(read.history).toHaveLength(20);
    read.history = replacement;
    expect(read.history).toBe(replacement);
    expect(Object.keys(read)).toEqual(KEYS);
  });

  // Fresh accessor functions per result gave every result a hidden class of its own, which
  // kept each result and its history alive through minor GCs (lazy-history-result.ts).
  it("uses the same accessor functions for every result", () => {
    const a = Object.getOwnPropertyDescriptor(run(), "history");
    const b = Object.getOwnPropertyDescriptor(run(5), "history");
    expect(a?.get).toBeTypeOf("function");
    expect(b?.get).toBe(a?.get);
    expect(b?.set).toBe(a?.set);
  });
});
