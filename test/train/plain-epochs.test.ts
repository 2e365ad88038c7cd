import { describe, expect, it } from "vitest";
import type { Model } from "../../src/core/model.js";
import { linearModel } from "../../src/models/linear.js";
import { isPlainRun } from "../../src/train/plain-epochs.js";
import type { TrainCheckpoint } from "../../src/train/train-checkpoint.js";
import { type TrainOptions, train } from "../../src/train/trainer.js";
import { chain } from "../../src/transforms/chain.js";
import { clipByGlobalNorm } from "../../src/transforms/clip-by-global-norm.js";
import { clipByValue } from "../../src/transforms/clip-by-value.js";
import { adam, sgd } from "../../src/transforms/optimizers.js";
import type { AnyTransform } from "../../src/transforms/types.js";

// The plain loop (plain-epochs.ts) must give what the general loop gives, bit for bit. An
// `onEpoch` callback that does nothing sends the same run through the general loop.

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** Every number as its bits (NaN payloads, −0 and ±Infinity count), typed arrays as arrays. */
function bits(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (typeof v === "number") {
      f64[0] = v;
      return `${u32[1]!.toString(16)}:${u32[0]!.toString(16)}`;
    }
    if (v instanceof Float64Array) return Array.from(v);
    return v;
  });
}

function data(n: number) {
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = i / n - 0.5;
    y[i] = 3 * x[i]! + 0.5 + 0.1 * Math.sin(7 * i);
  }
  return { features: ["x0"], target: "y", rows: n, x, y, source: "test" };
}

/** The linear model, with the gradient made NaN at the listed calls (0-based). */
function model(nanAt: readonly number[] = []): Model {
  const m = linearModel(data(40));
  let calls = 0;
  return {
    ...m,
    lossAndGrad(params, grad, rows) {
      const loss = m.lossAndGrad(params, grad, rows);
      if (nanAt.includes(calls++)) grad[0] = Number.NaN;
      return loss;
    },
  };
}

type Options = Omit<TrainOptions<unknown[]>, "transform">;

/** Both loops' results for the same model and options, with a fresh transform each. */
function both(make: () => AnyTransform[], options: Options, nanAt: readonly number[] = []) {
  const run = (general: boolean) => {
    const opts: TrainOptions<unknown[]> = {
      ...options,
      transform: chain(...make()),
      start: Float64Array.from([0.2, -0.1]),
    };
    if (general) opts.onEpoch = () => {};
    expect(isPlainRun(opts, true)).toBe(!general);
    const r = train(model(nanAt), opts);
    return bits({
      params: r.params,
      history: r.history,
      warnings: r.warnings,
      stopReason: r.stopReason,
      epochs: r.epochs,
      steps: r.steps,
      stride: r.historyStride,
      recorded: r.epochsRecorded,
      finalLoss: r.finalLoss,
      state: r.state,
    });
  };
  return { plain: run(false), general: run(true) };
}

const valueSgd = () => [clipByValue({ max: 0.1 }), sgd({ lr: 0.05 })];

describe("the plain epoch loop", () => {
  it("matches the general loop with diagnostics on and off (the seed's chain)", () => {
    for (const diagnostics of [true, false]) {
      const { plain, general } = both(valueSgd, { epochs: 300, diagnostics });
      expect(plain).toBe(general);
    }
  });

  // The store is reserved up front only as far as V8's young generation goes (16,000
  // doubles: about 1,066 rows with diagnostics, 1,454 without); later rows grow it.
  it("matches it, and every epoch's own record, past the rows reserved up front", () => {
    for (const diagnostics of [true, false]) {
      const { plain, general } = both(valueSgd, { epochs: 2500, diagnostics });
      expect(plain).toBe(general);
      const seen: unknown[] = [];
      const opts: TrainOptions<unknown[]> = {
        transform: chain(...valueSgd()),
        epochs: 2500,
        diagnostics,
        start: Float64Array.from([0.2, -0.1]),
        onEpoch: (record) => seen.push(record),
      };
      const r = train(model(), opts);
      expect(r.history).toHaveLength(2500);
      expect(bits(r.history)).toBe(bits(seen));
    }
  });

  it("matches it when the history thins and keeps a tail ring (rows not claimed)", () => {
    const make = () => [clipByGlobalNorm({ maxNorm: 0.5 }), adam({ lr: 0.02 })];
    for (const diagnostics of [true, false]) {
      const options = { epochs: 500, diagnostics, historyLimit: 32, historyTail: 7 };
      const { plain, general } = both(make, options);
      expect(plain).toBe(general);
    }
  });

  it("matches it on skipped steps (NaN norms), zeroed entries and a non-finite loss", () => {
    const skip = () => [clipByValue({ max: 0.1, onNonFinite: "skip" }), sgd({ lr: 0.05 })];
    const skipped = both(skip, { epochs: 60 }, [3, 4, 20]);
    expect(skipped.plain).toContain("7ff8"); // (a skipped epoch's NaN norm is in the history)
    expect(skipped.plain).toBe(skipped.general);
    const zero = () => [clipByValue({ max: 0.1, onNonFinite: "zero" }), sgd({ lr: 0.05 })];
    const zeroed = both(zero, { epochs: 60 }, [3, 9]);
    expect(zeroed.plain).toBe(zeroed.general);
    // Without a clip a large learning rate diverges: the warning and the stop are the same.
    const diverging = both(() => [sgd({ lr: 30 })], { epochs: 400 });
    expect(diverging.plain).toContain("diverged");
    expect(diverging.plain).toBe(diverging.general);
  });

  it("matches it on the loss-threshold and patience stops", () => {
    const threshold = both(valueSgd, { epochs: 2000, lossThreshold: 0.05 });
    expect(threshold.plain).toContain("loss-threshold");
    expect(threshold.plain).toBe(threshold.general);
    const patience = both(valueSgd, { epochs: 5000, patience: 3, minDelta: 1e-4 });
    expect(patience.plain).toContain("patience");
    expect(patience.plain).toBe(patience.general);
  });

  it("matches it when resuming a checkpoint (saved history and detector)", () => {
    let saved: TrainCheckpoint | undefined;
    train(model(), {
      transform: chain(...valueSgd()),
      epochs: 150,
      start: Float64Array.from([0.2, -0.1]),
      historyLimit: 16,
      historyTail: 5,
      checkpoint: { every: 90, save: (cp) => (saved = cp) },
    });
    expect(saved).toBeDefined();
    const cp = saved!;
    const resumed = both(valueSgd, {
      epochs: 200,
      resumeFrom: cp,
      historyLimit: 16,
      historyTail: 5,
    });
    expect(resumed.plain).toBe(resumed.general);
  });

  it("is not taken by runs with guards, validation, metrics, callbacks or mini-batches", () => {
    const base: TrainOptions<unknown[]> = { transform: chain(...valueSgd()), epochs: 10 };
    expect(isPlainRun(base, true)).toBe(true);
    expect(isPlainRun(base, false)).toBe(false);
    for (const extra of [
      { keepBest: true },
      { stepBack: true },
      { stopOnSkippedStep: true },
      { relativeImprovement: { relTol: 1e-3, patience: 5 } },
      { validation: { loss: () => 0 } },
      { metrics: () => ({}) },
      { onLog: () => {} },
      { checkpoint: { save: () => {} } },
    ]) {
      expect(isPlainRun({ ...base, ...extra }, true)).toBe(false);
    }
  });
});
