import { describe, expect, it } from "vitest";
import { createLayout } from "../../src/core/layout.js";
import { createRng } from "../../src/core/rng.js";
import { linearModel } from "../../src/models/linear.js";
import { createDetector } from "../../src/train/diagnostics.js";
import type { EpochRecord } from "../../src/train/history.js";
import { HistoryBuffer } from "../../src/train/history-buffer.js";
import { train } from "../../src/train/trainer.js";
import { chain } from "../../src/transforms/chain.js";
import { clipByValue } from "../../src/transforms/clip-by-value.js";
import { sgd } from "../../src/transforms/optimizers.js";

/** The object-per-record history the columns replaced, written out plainly as the reference. */
class NaiveHistory {
  sampled: EpochRecord[] = [];
  tail: EpochRecord[] = [];
  stride = 1;
  constructor(
    readonly limit: number,
    readonly tailSize: number,
  ) {}
  add(r: EpochRecord) {
    if (r.epoch % this.stride === 0) {
      this.sampled.push(r);
      if (this.sampled.length >= this.limit) {
        this.stride *= 2;
        this.sampled = this.sampled.filter((s) => s.epoch % this.stride === 0);
      }
    }
    this.tail.push(r);
    this.tail = this.tail.slice(-this.tailSize);
  }
  records() {
    const first = this.tail[0]?.epoch ?? Number.POSITIVE_INFINITY;
    return [...this.sampled.filter((r) => r.epoch < first), ...this.tail];
  }
}

function randomRecord(epoch: number, rng: ReturnType<typeof createRng>, tensors: boolean) {
  const r: EpochRecord = {
    epoch,
    loss: rng.normal(),
    gradNorm: rng.uniform(),
    clippedNorm: rng.uniform(),
    clipFraction: rng.uniform(),
    lr: rng.uniform(),
    threshold: epoch % 7 === 0 ? Number.NaN : rng.uniform(),
    skippedSteps: epoch % 3,
    zeroedEntries: epoch % 5,
  };
  if (tensors) {
    r.tensorNorms = { w: rng.uniform(), b: rng.uniform() };
    r.tensorNormsAfter = { w: rng.uniform(), b: rng.uniform() };
  }
  if (epoch % 2 === 0) r.validationLoss = rng.uniform();
  if (epoch % 4 === 0) r.metrics = { accuracy: rng.uniform() };
  return r;
}

describe("columnar history (records kept without allocation)", () => {
  for (const [limit, tail, epochs] of [
    [2, 1, 50],
    [8, 3, 333],
    [50, 10, 1000],
    [4096, 100, 700],
    [4, 10, 100], // a tail longer than the limit: the first thinning fills it from the samples
    [3, 7, 5],
  ] as const) {
    it(`keeps exactly the records an object history keeps (limit ${limit}, tail ${tail}, ${epochs} epochs)`, () => {
      const rng = createRng(limit + tail);
      const columns = new HistoryBuffer({ historyLimit: limit, historyTail: tail }, ["w", "b"]);
      const naive = new NaiveHistory(limit, tail);
      for (let e = 0; e < epochs; e++) {
        const r = randomRecord(e, rng, e % 11 !== 0);
        naive.add(structuredClone(r));
        columns.add(r); // the columns copy: mutating r afterwards must not matter
        r.loss = Number.NaN;
        if (e === Math.floor(epochs / 2)) {
          // A checkpoint's contents round-trip into a new buffer that keeps going identically.
          const again = new HistoryBuffer(
            { historyLimit: limit, historyTail: tail },
            ["w", "b"],
            columns.contents(),
          );
          expect(again.records()).toEqual(columns.records());
        }
      }
      expect(columns.records()).toEqual(naive.records());
      expect(columns.length).toBe(naive.records().length);
      expect(columns.stride).toBe(naive.stride);
      expect(columns.contents().sampled).toEqual(naive.sampled);
      expect(columns.contents().tail).toEqual(naive.tail);
    });
  }

  it("train()'s lazily built history equals the records its callback saw, key order included", () => {
    const rng = createRng(3);
    const x = Float64Array.from({ length: 30 }, () => rng.uniform());
    const y = Float64Array.from(x, (v) => 1 + 2 * v + 0.1 * rng.normal());
    const model = linearModel({ features: ["x"], target: "y", rows: 30, x, y, source: "t" });
    const seen: EpochRecord[] = [];
    const r = train(model, {
      transform: chain(clipByValue({ max: 0.1 }), sgd({ lr: 0.01 })),
      epochs: 300,
      start: Float64Array.of(0, 0),
      historyLimit: 64,
      historyTail: 10,
      onEpoch: (rec) => seen.push(rec),
    });
    const kept = new Set(r.history.map((h) => h.epoch));
    const expected = seen.filter((s) => kept.has(s.epoch));
    expect(JSON.stringify(r.history)).toBe(JSON.stringify(expected));
    expect(r.history[0]!.tensorNorms).toEqual({ w: expect.any(Number), b: expect.any(Number) });
    expect(r.epochsRecorded).toBe(r.history.length);
    expect(Object.keys(r)).toContain("history");
    expect(JSON.parse(JSON.stringify(r)).history).toHaveLength(r.history.length);
  });

  it("the detector's ring remembers the last `window` epochs, oldest first, as a saved state", () => {
    const layout = createLayout([
      { name: "w", shape: [2] },
      { name: "b", shape: [1] },
    ]);
    const d = createDetector(layout, { window: 3 });
    // An epoch with loss 1, clip fraction epoch/10 and no clip threshold.
    const see = (det: typeof d, epoch: number, gradNorm: number, tensors: Float64Array) =>
      det.observe(epoch, 1, gradNorm, epoch / 10, Number.NaN, tensors);
    for (let e = 0; e < 5; e++) see(d, e, 1 + e, Float64Array.of(e, 10 + e));
    const s = d.state;
    expect(s.recent.map((r) => r.norm)).toEqual([3, 4, 5]);
    expect(s.recent.map((r) => [...r.tensors])).toEqual([
      [2, 12],
      [3, 13],
      [4, 14],
    ]);
    expect(s.recent.map((r) => r.clipFraction)).toEqual([0.2, 0.3, 0.4]);
    // Restored, it goes on exactly as the original: both see an explosion at the same epoch.
    const copy = createDetector(layout, { window: 3 }, s);
    const a = see(d, 5, 3e4, Float64Array.of(1e4, 1));
    const b = see(copy, 5, 3e4, Float64Array.of(1e4, 1));
    expect(a?.kind).toBe("exploding");
    expect(b).toEqual(a);
    expect(a!.message).toContain("from 3.00");
    expect(a!.parameters[0]).toBe("w");
  });
});
