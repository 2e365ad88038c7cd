import { describe, expect, it } from "vitest";
import { createLayout } from "../../src/core/layout.js";
import type { Model } from "../../src/core/model.js";
import { createRng } from "../../src/core/rng.js";
import type { Dataset } from "../../src/data/dataset.js";
import { linearModel } from "../../src/models/linear.js";
import type { EpochRecord } from "../../src/train/history.js";
import { train } from "../../src/train/trainer.js";
import { chain } from "../../src/transforms/chain.js";
import { clipByGlobalNorm } from "../../src/transforms/clip-by-global-norm.js";
import { clipByValue } from "../../src/transforms/clip-by-value.js";
import { adam, sgd } from "../../src/transforms/optimizers.js";

function lineData(n: number, seed = 1): Dataset {
  const rng = createRng(seed);
  const x = Float64Array.from({ length: n }, () => 2 * rng.uniform());
  const y = Float64Array.from(x, (v) => 4 + 3 * v + 0.1 * rng.normal());
  return { features: ["x"], target: "y", rows: n, x, y, source: "test" };
}

describe("train", () => {
  it("stops at the epoch budget and keeps one history record per epoch", () => {
    const r = train(linearModel(lineData(50)), { transform: sgd({ lr: 0.01 }), epochs: 7 });
    expect(r.stopReason).toBe("max-epochs");
    expect(r.history.map((h) => h.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(r.steps).toBe(7);
    expect(r.history[0]!.lr).toBe(0.01);
  });

  it("stops when the loss reaches the threshold, and says so", () => {
    const r = train(linearModel(lineData(50)), {
      transform: adam({ lr: 0.1 }),
      epochs: 10_000,
      lossThreshold: 0.05,
    });
    expect(r.stopReason).toBe("loss-threshold");
    expect(r.history.at(-1)!.loss).toBeLessThanOrEqual(0.05);
    expect(r.history.at(-2)!.loss).toBeGreaterThan(0.05);
  });

  it("stops after `patience` epochs without improvement", () => {
    // A constant objective never improves after its first epoch.
    const flat: Model = {
      kind: "flat",
      layout: createLayout([{ name: "a", shape: [] }]),
      rows: 1,
      init: (p) => p.fill(0),
      lossAndGrad: (_p, g) => {
        g.fill(0);
        return 1;
      },
    };
    const r = train(flat, { transform: sgd({ lr: 1 }), epochs: 100, patience: 5 });
    expect(r.stopReason).toBe("patience");
    expect(r.epochs).toBe(6);
  });

  it("reports divergence when the loss becomes non-finite", () => {
    const r = train(linearModel(lineData(50)), { transform: sgd({ lr: 5 }), epochs: 5000 });
    expect(r.stopReason).toBe("diverged");
    expect(Number.isFinite(r.history.at(-1)!.loss)).toBe(false);
  });

  it("records gradient norms before and after clipping and the clip fraction", () => {
    const data = lineData(40);
    const r = train(linearModel(data), {
      transform: chain(clipByGlobalNorm({ maxNorm: 1 }), sgd({ lr: 0.01 })),
      epochs: 3,
      start: Float64Array.of(0, 0),
    });
    // At w = b = 0 the raw gradient is large (~2·mean(y)), so the clip binds.
    const first = r.history[0]!;
    expect(first.gradNorm).toBeGreaterThan(1);
    expect(first.clippedNorm).toBeCloseTo(1, 12);
    expect(first.clipFraction).toBe(1);
  });

  it("mini-batches: steps per epoch, seeded shuffling reproducible, another seed differs", () => {
    const data = lineData(103);
    const run = (seed: number) =>
      train(linearModel(data), {
        transform: chain(clipByValue({ max: 1 }), sgd({ lr: 0.05 })),
        epochs: 4,
        batchSize: 10,
        seed,
      });
    const a = run(3);
    expect(a.steps).toBe(4 * 11);
    expect(Array.from(run(3).params)).toEqual(Array.from(a.params));
    expect(Array.from(run(4).params)).not.toEqual(Array.from(a.params));
  });

  it("calls onLog every logEvery epochs and onEpoch every epoch", () => {
    const logged: number[] = [];
    const seen: EpochRecord[] = [];
    train(linearModel(lineData(20)), {
      transform: sgd({ lr: 0.01 }),
      epochs: 25,
      logEvery: 10,
      onLog: (r) => logged.push(r.epoch),
      onEpoch: (r) => seen.push(r),
    });
    expect(logged).toEqual([0, 10, 20]);
    expect(seen).toHaveLength(25);
  });

  it("rejects bad options by name", () => {
    const model = linearModel(lineData(5));
    expect(() =>
      train(model, { transform: sgd({ lr: 1 }), epochs: 0 }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: train: epochs must be an integer >= 1, got 0]`,
    );
    expect(() =>
      train(model, { transform: sgd({ lr: 1 }), epochs: 1, lossThreshold: -1 }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: train: lossThreshold must be a finite number >= 0, got -1]`,
    );
    expect(() =>
      train(model, { transform: sgd({ lr: 1 }), epochs: 1, start: new Float64Array(3) }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: train: start must be an array of 2 values (one per parameter), got "3 values"]`,
    );
  });
});
