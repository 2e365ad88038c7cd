import { describe, expect, it } from "vitest";
import { train } from "../../src/train/trainer.js";
import {
  type AnyTransform,
  adam,
  adamw,
  chain,
  clipByGlobalNorm,
  clipByNorm,
  clipByValue,
  cosineDecay,
  identity,
  sgd,
} from "../../src/transforms/index.js";
import { maxAbsDiff, rosenbrock, type ToyProblem, toyProblems } from "../helpers/toy-problems.js";

/**
 * Every optimizer × every clip solves every toy problem.
 *
 * "Solves" means, with `lossThreshold: LOSS_TARGET`:
 * - the epoch loss reaches LOSS_TARGET within the problem's epoch budget (stopReason
 *   "loss-threshold", not "max-epochs" or "diverged");
 * - the returned parameters are within PARAM_TOL (max-abs) of the minimiser;
 * - the final full-data loss is <= FINAL_LOSS (momentum may overshoot a little on the
 *   step after the threshold epoch, so this is looser than LOSS_TARGET).
 */
const LOSS_TARGET = 1e-12;
const PARAM_TOL = 1e-4;
const FINAL_LOSS = 1e-8;

/** Learning rates and budget per problem, found by experiment: every case stops within 45% of it. */
interface Settings {
  epochs: number;
  sgd: number;
  momentum: number;
  nesterov: number;
  /** Peak lr of Adam/AdamW, cosine-decayed to 0 over the budget. */
  adam: number;
}

const SETTINGS: Record<string, Settings> = {
  // Hessian 2·I: plain SGD is stable for η < 1.
  "quadratic-bowl": { epochs: 1000, sgd: 0.1, momentum: 0.05, nesterov: 0.05, adam: 0.1 },
  // Curvatures 1 and 100: SGD needs η < 2/100; the flat direction then takes ~1000 steps.
  "ill-conditioned-quadratic": {
    epochs: 3000,
    sgd: 0.019,
    momentum: 0.01,
    nesterov: 0.01,
    adam: 0.1,
  },
  // Largest Hessian eigenvalue at (1, 1) is ≈ 1001.6: η < 0.002 for SGD, less for Nesterov.
  rosenbrock: { epochs: 40000, sgd: 0.0019, momentum: 0.0015, nesterov: 0.001, adam: 0.01 },
};

const MOMENTUM = 0.9;

const OPTIMIZERS: Record<string, (s: Settings) => AnyTransform> = {
  sgd: (s) => sgd({ lr: s.sgd }),
  "sgd+momentum": (s) => sgd({ lr: s.momentum, momentum: MOMENTUM }),
  "sgd+nesterov": (s) => sgd({ lr: s.nesterov, momentum: MOMENTUM, nesterov: true }),
  adam: (s) => adam({ lr: cosineDecay({ lr: s.adam, steps: s.epochs }) }),
  "adamw (weightDecay 0)": (s) =>
    adamw({ lr: cosineDecay({ lr: s.adam, steps: s.epochs }), weightDecay: 0 }),
};

// Thresholds of 1 are active at the start of every problem (starting gradient norms ≈ 14–300).
const CLIPS: Record<string, () => AnyTransform> = {
  none: () => identity(),
  "value ±1": () => clipByValue({ max: 1 }),
  "per-tensor L2 1": () => clipByNorm({ maxNorm: 1 }),
  "global L2 1": () => clipByGlobalNorm({ maxNorm: 1 }),
  "global L∞ 1": () => clipByGlobalNorm({ maxNorm: 1, norm: "linf" }),
};

const cases = toyProblems().flatMap((problem) =>
  Object.keys(OPTIMIZERS).flatMap((optimizer) =>
    Object.keys(CLIPS).map((clip) => ({ problem, optimizer, clip })),
  ),
);

describe("every optimizer × every clip solves every toy problem", () => {
  it("covers 3 problems × 5 optimizers × 5 clips", () => {
    expect(cases).toHaveLength(75);
  });

  it.each(cases)("$problem.name: $optimizer, clip $clip", ({ problem, optimizer, clip }) => {
    const settings = SETTINGS[problem.model.kind]!;
    const result = train(problem.model, {
      transform: chain(CLIPS[clip]!(), OPTIMIZERS[optimizer]!(settings)),
      epochs: settings.epochs,
      start: problem.start,
      lossThreshold: LOSS_TARGET,
    });
    expect(result.stopReason).toBe("loss-threshold");
    expect(result.epochs).toBeLessThanOrEqual(settings.epochs);
    expect(maxAbsDiff(result.params, problem.solution)).toBeLessThanOrEqual(PARAM_TOL);
    expect(result.finalLoss).toBeLessThanOrEqual(FINAL_LOSS);
    if (clip !== "none") {
      // The clip really acted (so the case tests clipping, not a no-op).
      expect(result.history[0]!.clipFraction).toBe(1);
    }
  });
});

describe("clipping rescues SGD from a bad start", () => {
  // Rosenbrock from (−3, 4): f = 16 + 100·25 = 2516 and ∇f = (−6008, −1000), ‖∇f‖ ≈ 6091.
  // η = 0.001 is stable near the minimum (η·λ_max ≈ 1.0 < 2; the classic start converges),
  // but the first unclipped step jumps x by ≈ 6 to the far side of the valley where the
  // quartic term explodes; clipping the gradient to norm 10 caps each step at 0.01.
  const problem: ToyProblem = rosenbrock();
  const start = Float64Array.of(-3, 4);
  const lr = 0.001;

  it("unclipped SGD diverges: the loss explodes and the trainer stops with 'diverged'", () => {
    const result = train(problem.model, { transform: sgd({ lr }), epochs: 1000, start });
    expect(result.stopReason).toBe("diverged");
    expect(result.epochs).toBeLessThan(20);
    const losses = result.history.map((r) => r.loss);
    expect(losses[0]).toBe(2516);
    expect(Number.isFinite(losses.at(-1)!)).toBe(false);
    // Before turning non-finite, the loss passed 1e100: an explosion, not a slow drift.
    expect(Math.max(...losses.filter(Number.isFinite))).toBeGreaterThan(1e100);
  });

  it("the same SGD with clipByGlobalNorm(10) converges to (1, 1)", () => {
    const result = train(problem.model, {
      transform: chain(clipByGlobalNorm({ maxNorm: 10 }), sgd({ lr })),
      epochs: 50000,
      start,
      lossThreshold: LOSS_TARGET,
    });
    expect(result.stopReason).toBe("loss-threshold");
    expect(maxAbsDiff(result.params, problem.solution)).toBeLessThanOrEqual(PARAM_TOL);
    expect(result.history.every((r) => Number.isFinite(r.loss))).toBe(true);
    // Clipping did the rescue at the start and is off near the minimum.
    expect(result.history[0]!.clipFraction).toBe(1);
    expect(result.history[0]!.gradNorm).toBeGreaterThan(6000);
    expect(result.history.at(-1)!.clipFraction).toBe(0);
  });

  it("the learning rate itself is fine: unclipped SGD converges from the classic start", () => {
    const result = train(problem.model, {
      transform: sgd({ lr }),
      epochs: 50000,
      start: problem.start, // (−1.2, 1)
      lossThreshold: LOSS_TARGET,
    });
    expect(result.stopReason).toBe("loss-threshold");
    expect(maxAbsDiff(result.params, problem.solution)).toBeLessThanOrEqual(PARAM_TOL);
  });
});
