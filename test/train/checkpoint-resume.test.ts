import { describe, expect, it } from "vitest";
import { createRng } from "../../src/core/rng.js";
import type { Dataset } from "../../src/data/dataset.js";
import { linearModel } from "../../src/models/linear.js";
import { parseCheckpoint } from "../../src/train/checkpoint-file.js";
import type { EpochRecord } from "../../src/train/history.js";
import { type TrainCheckpoint, toJsonRecord } from "../../src/train/train-checkpoint.js";
import { type TrainOptions, type TrainResult, train } from "../../src/train/trainer.js";
import { chain } from "../../src/transforms/chain.js";
import { autoClip } from "../../src/transforms/clip-auto.js";
import { clipByGlobalNorm } from "../../src/transforms/clip-by-global-norm.js";
import { clipByValue } from "../../src/transforms/clip-by-value.js";
import { zClip } from "../../src/transforms/clip-zscore.js";
import { adam, sgd } from "../../src/transforms/optimizers.js";

function lineData(n: number): Dataset {
  const rng = createRng(3);
  const x = Float64Array.from({ length: n }, () => 4 * rng.uniform());
  const y = Float64Array.from(x, (v) => 2 - 1.5 * v + 0.3 * rng.normal());
  return { features: ["x"], target: "y", rows: n, x, y, source: "test" };
}

const bits = (a: Float64Array) => Array.from(new Uint32Array(Float64Array.from(a).buffer));
const json = (h: EpochRecord[]) => JSON.stringify(h.map(toJsonRecord));

/** Runs `options` interrupted after epoch `k`, through a JSON round trip, then resumed. */
function interruptAndResume(options: () => TrainOptions<unknown>, k: number) {
  const model = linearModel(lineData(20));
  const controller = new AbortController();
  const saved: TrainCheckpoint[] = [];
  const first = train(model, {
    ...options(),
    signal: controller.signal,
    onEpoch: (r) => {
      if (r.epoch === k) controller.abort();
    },
    checkpoint: { save: (cp) => saved.push(cp) },
  });
  expect(first.stopReason).toBe("interrupted");
  expect(first.epochs).toBe(k + 1);
  expect(saved).toHaveLength(1);
  const text = JSON.stringify(saved[0]);
  const cp = parseCheckpoint(JSON.parse(text), "c.json");
  expect(cp.counters.epoch).toBe(k + 1);
  return train(model, { ...options(), resumeFrom: cp });
}

function expectSameRun(a: TrainResult<unknown>, b: TrainResult<unknown>) {
  expect(b.stopReason).toBe(a.stopReason);
  expect(b.epochs).toBe(a.epochs);
  expect(b.steps).toBe(a.steps);
  expect(bits(b.params)).toEqual(bits(a.params));
  expect(json(b.history)).toBe(json(a.history));
  expect(b.historyStride).toBe(a.historyStride);
  expect(b.warnings).toEqual(a.warnings);
  expect(b.finalLoss).toBe(a.finalLoss);
}

const cases: [string, () => TrainOptions<unknown>, string][] = [
  [
    "sgd + value clip, patience",
    () => ({
      transform: chain(clipByValue({ max: 0.5 }), sgd({ lr: 0.02 })),
      epochs: 3000,
      patience: 20,
      minDelta: 1e-9,
      historyLimit: 64,
      historyTail: 8,
    }),
    "patience",
  ],
  [
    "adam + global-norm clip",
    () => ({
      transform: chain(clipByGlobalNorm({ maxNorm: 0.5 }), adam({ lr: 0.05 })),
      epochs: 700,
      historyLimit: 50,
    }),
    "max-epochs",
  ],
  [
    "zclip + adam (adaptive clip with a norm history)",
    () => ({ transform: chain(zClip({}), adam({ lr: 0.05 })), epochs: 600 }),
    "max-epochs",
  ],
  [
    "autoclip + sgd, with the first-order safeguards",
    () => ({
      transform: chain(autoClip({}), sgd({ lr: 0.05 })),
      epochs: 2000,
      keepBest: true,
      stepBack: true,
      relativeImprovement: { relTol: 1e-7, patience: 50 },
    }),
    "converged",
  ],
];

describe("interrupt, checkpoint, resume: bit-identical to an uninterrupted run", () => {
  for (const [label, options, stop] of cases) {
    for (const k of [0, 137]) {
      it(`${label}, interrupted after epoch ${k}`, () => {
        const whole = train(linearModel(lineData(20)), options());
        expect(whole.stopReason).toBe(stop);
        expect(whole.epochs).toBeGreaterThan(k + 1);
        expectSameRun(whole, interruptAndResume(options, k));
      });
    }
  }

  it("mini-batches: the shuffling stream is replayed, so resuming is bit-identical too", () => {
    const options = () => ({
      transform: chain(clipByGlobalNorm({ maxNorm: 1 }), sgd({ lr: 0.01 })),
      epochs: 300,
      batchSize: 6,
      seed: 11,
    });
    const whole = train(linearModel(lineData(20)), options());
    expectSameRun(whole, interruptAndResume(options, 41));
  });

  it("saves every N epochs; resuming from any of them ends the same", () => {
    const model = linearModel(lineData(20));
    const options = () => ({
      transform: chain(zClip({}), adam({ lr: 0.05 })),
      epochs: 250,
    });
    const saved: TrainCheckpoint[] = [];
    const whole = train(model, {
      ...options(),
      checkpoint: { every: 100, save: (cp) => saved.push(cp) },
    });
    expect(saved.map((c) => c.counters.epoch)).toEqual([100, 200]);
    for (const cp of saved) {
      const resumed = train(model, {
        ...options(),
        resumeFrom: parseCheckpoint(JSON.parse(JSON.stringify(cp)), "c.json"),
      });
      expectSameRun(whole, resumed);
    }
  });

  it("an aborted signal before the first epoch stops at once, with a checkpoint of the start", () => {
    const controller = new AbortController();
    controller.abort();
    const saved: TrainCheckpoint[] = [];
    const r = train(linearModel(lineData(20)), {
      transform: sgd({ lr: 0.01 }),
      epochs: 10,
      signal: controller.signal,
      checkpoint: { save: (cp) => saved.push(cp) },
    });
    expect(r.stopReason).toBe("interrupted");
    expect(r.epochs).toBe(0);
    expect(saved[0]!.counters.epoch).toBe(0);
  });

  it("refuses a checkpoint of another model or another seed", () => {
    const saved: TrainCheckpoint[] = [];
    const controller = new AbortController();
    controller.abort();
    train(linearModel(lineData(20)), {
      transform: sgd({ lr: 0.01 }),
      epochs: 10,
      signal: controller.signal,
      checkpoint: { save: (cp) => saved.push(cp) },
    });
    const cp = saved[0]!;
    const wide: Dataset = { ...lineData(20), features: ["x", "z"], x: new Float64Array(40) };
    expect(() =>
      train(linearModel(wide), { transform: sgd({ lr: 0.01 }), epochs: 10, resumeFrom: cp }),
    ).toThrow(/the checkpoint is for parameters w\[1\], b\[\], not this model's/);
    expect(() =>
      train(linearModel(lineData(20)), {
        transform: sgd({ lr: 0.01 }),
        epochs: 10,
        seed: 5,
        resumeFrom: cp,
      }),
    ).toThrow(/seed must be the checkpoint's seed 0/);
  });
});
