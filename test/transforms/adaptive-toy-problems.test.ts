import { describe, expect, it } from "vitest";
import type { Model } from "../../src/core/model.js";
import { train } from "../../src/train/trainer.js";
import { adaptiveClip } from "../../src/transforms/clip-adaptive-unitwise.js";
import { autoClip } from "../../src/transforms/clip-auto.js";
import { clipByBlockRms } from "../../src/transforms/clip-by-block-rms.js";
import { zClip } from "../../src/transforms/clip-zscore.js";
import { type AnyTransform, adam, chain, cosineDecay } from "../../src/transforms/index.js";
import {
  maxAbsDiff,
  quadraticBowl,
  type ToyProblem,
  toyProblems,
} from "../helpers/toy-problems.js";

/**
 * Every adaptive clip + Adam solves every shared toy problem, with the same targets, learning
 * rates and epoch budgets as the fixed clips (test/fit/toy-problems.test.ts): the loss reaches
 * 1e-12, the parameters are within 1e-4 of the minimiser, the final loss is <= 1e-8.
 */
const LOSS_TARGET = 1e-12;
const PARAM_TOL = 1e-4;
const FINAL_LOSS = 1e-8;

const SETTINGS: Record<string, { epochs: number; adam: number }> = {
  "quadratic-bowl": { epochs: 1000, adam: 0.1 },
  "ill-conditioned-quadratic": { epochs: 3000, adam: 0.1 },
  rosenbrock: { epochs: 40000, adam: 0.01 },
};

// `acts`: the clip changes the gradient on every problem (starting norms ≈ 14–300, parameters
// of order 1). The spike detectors (AutoClip at p = 90 on previous norms, ZClip without its cap)
// may stay quiet on a smooth descent, where the norm only falls: they must then do no harm.
const CLIPS: Record<string, { make: () => AnyTransform; acts: boolean }> = {
  "AGC λ 0.1 (scalars and vectors: whole entries)": {
    make: () => adaptiveClip({ clipping: 0.1 }),
    acts: true,
  },
  "AGC λ 0.1 per element": {
    make: () => adaptiveClip({ clipping: 0.1, axis: "elements" }),
    acts: true,
  },
  "AutoClip p 10 (paper)": { make: () => autoClip(), acts: true },
  "AutoClip p 90, previous norms (pip package)": {
    make: () => autoClip({ percentile: 90, includeCurrent: false }),
    acts: false,
  },
  "ZClip defaults (cap 1)": { make: () => zClip(), acts: true },
  "ZClip without cap": { make: () => zClip({ maxNorm: Infinity }), acts: false },
  "block RMS 1": { make: () => clipByBlockRms({ threshold: 1 }), acts: true },
};

const cases = toyProblems().flatMap((problem) =>
  Object.keys(CLIPS).map((clip) => ({ problem, clip })),
);

describe("every adaptive clip + adam solves every toy problem", () => {
  it.each(cases)("$problem.name: $clip", ({ problem, clip }) => {
    const settings = SETTINGS[problem.model.kind]!;
    const result = train(problem.model, {
      transform: chain(
        CLIPS[clip]!.make(),
        adam({ lr: cosineDecay({ lr: settings.adam, steps: settings.epochs }) }),
      ),
      epochs: settings.epochs,
      start: problem.start,
      lossThreshold: LOSS_TARGET,
    });
    expect(result.stopReason).toBe("loss-threshold");
    expect(maxAbsDiff(result.params, problem.solution)).toBeLessThanOrEqual(PARAM_TOL);
    expect(result.finalLoss).toBeLessThanOrEqual(FINAL_LOSS);
    if (CLIPS[clip]!.acts) {
      // The clip really acted (so the case tests clipping, not a no-op).
      expect(result.history.reduce((n, r) => n + r.clipFraction, 0)).toBeGreaterThan(0);
    }
    expect(result.history.every((r) => Number.isFinite(r.loss))).toBe(true);
  });
});

describe("the spike detectors clip injected spikes, and only those", () => {
  /** The quadratic bowl with its gradient multiplied by 1000 every 40th evaluation. */
  function spikyBowl(): { problem: ToyProblem; spikes: Set<number> } {
    const problem = quadraticBowl();
    const spikes = new Set<number>();
    let calls = 0;
    const model: Model = {
      ...problem.model,
      lossAndGrad(params, grad, rows) {
        const loss = problem.model.lossAndGrad(params, grad, rows);
        if (calls % 40 === 39) {
          spikes.add(calls);
          for (let i = 0; i < grad.length; i++) grad[i]! *= 1000;
        }
        calls++;
        return loss;
      },
    };
    return { problem: { ...problem, model }, spikes };
  }

  it.each([
    ["ZClip without cap", () => zClip({ maxNorm: Infinity })],
    // A short window: with the default 1000 the 90th percentile still remembers the first,
    // large norms when the gradient has fallen a million-fold, and lets a late spike through.
    [
      "AutoClip p 90, previous 20 norms",
      () => autoClip({ percentile: 90, includeCurrent: false, historySize: 20 }),
    ],
  ] as const)("%s", (_name, make) => {
    const { problem, spikes } = spikyBowl();
    const clippedAt: number[] = [];
    const result = train(problem.model, {
      transform: chain(make(), adam({ lr: cosineDecay({ lr: 0.1, steps: 1000 }) })),
      epochs: 1000,
      start: problem.start,
      lossThreshold: LOSS_TARGET,
      onEpoch: (r) => {
        if (r.clipFraction > 0) clippedAt.push(r.epoch);
      },
    });
    expect(result.stopReason).toBe("loss-threshold");
    expect(maxAbsDiff(result.params, problem.solution)).toBeLessThanOrEqual(PARAM_TOL);
    // Every spike after ZClip's 25-step warm-up is clipped, and nothing else (the trainer's
    // last evaluation, for finalLoss, is not a step).
    expect(clippedAt).toEqual([...spikes].filter((s) => s >= 25 && s < result.steps));
    expect(clippedAt.length).toBeGreaterThan(5);
  });
});
