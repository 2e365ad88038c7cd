import { describe, expect, it } from "vitest";
import { OptionError } from "../../src/core/errors.js";
import {
  type AdamWOptions,
  adam,
  adamw,
  type ClipByGlobalNormOptions,
  type ClipByNormOptions,
  type ClipByValueOptions,
  clipByGlobalNorm,
  clipByNorm,
  clipByValue,
  constant,
  cosineDecay,
  exponentialDecay,
  type SgdOptions,
  sgd,
  stepDecay,
  warmup,
} from "../../src/transforms/index.js";

/** Options that the types forbid, passed on purpose. */
function bad<T>(value: unknown): T {
  return value as T;
}

describe("clipByNorm / clipByGlobalNorm: maxNorm", () => {
  it("rejects a negative, zero, NaN, infinite or missing maxNorm", () => {
    expect(() => clipByNorm({ maxNorm: -1 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: clipByNorm: maxNorm must be a finite number > 0, got -1]`,
    );
    expect(() => clipByNorm({ maxNorm: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: clipByNorm: maxNorm must be a finite number > 0, got 0]`,
    );
    expect(() => clipByGlobalNorm({ maxNorm: Number.NaN })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: clipByGlobalNorm: maxNorm must be a finite number > 0, got NaN]`,
    );
    expect(() =>
      clipByGlobalNorm({ maxNorm: Number.POSITIVE_INFINITY }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: clipByGlobalNorm: maxNorm must be a finite number > 0, got Infinity]`,
    );
    expect(() =>
      clipByGlobalNorm(bad<ClipByGlobalNormOptions>({})),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: clipByGlobalNorm: maxNorm must be a finite number > 0, got undefined]`,
    );
    expect(() =>
      clipByNorm(bad<ClipByNormOptions>({ maxNorm: "1" })),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: clipByNorm: maxNorm must be a finite number > 0, got "1"]`,
    );
  });

  it("carries the transform, option, received value and expectation as data", () => {
    let caught: unknown;
    try {
      clipByGlobalNorm({ maxNorm: -2 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(OptionError);
    expect(caught).toMatchObject({
      code: "invalid_option",
      owner: "clipByGlobalNorm",
      option: "maxNorm",
      received: -2,
      expected: "a finite number > 0",
    });
  });

  it("rejects a missing options object", () => {
    expect(() => clipByNorm(bad<ClipByNormOptions>(undefined))).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: clipByNorm: options must be an object, got undefined]`,
    );
  });

  it("rejects unknown option keys, listing the known ones", () => {
    expect(() =>
      clipByGlobalNorm(bad<ClipByGlobalNormOptions>({ maxNorm: 1, maxnorm: 2 })),
    ).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: clipByGlobalNorm: unknown option "maxnorm" (known options: maxNorm, norm, onNonFinite)]`,
    );
    expect(() =>
      clipByNorm(bad<ClipByNormOptions>({ maxNorm: 1, norm: "linf" })),
    ).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: clipByNorm: unknown option "norm" (known options: maxNorm, onNonFinite)]`,
    );
    expect(() =>
      clipByValue(bad<ClipByValueOptions>({ max: 1, clip: 2 })),
    ).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: clipByValue: unknown option "clip" (known options: max, min, onNonFinite)]`,
    );
  });

  it("rejects a bad norm or onNonFinite", () => {
    expect(() =>
      clipByGlobalNorm(bad<ClipByGlobalNormOptions>({ maxNorm: 1, norm: "l1" })),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: clipByGlobalNorm: norm must be one of "l2", "linf", got "l1"]`,
    );
    expect(() =>
      clipByGlobalNorm(bad<ClipByGlobalNormOptions>({ maxNorm: 1, onNonFinite: "ignore" })),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: clipByGlobalNorm: onNonFinite must be one of "error", "skip", "zero", got "ignore"]`,
    );
    expect(() =>
      clipByNorm(bad<ClipByNormOptions>({ maxNorm: 1, onNonFinite: true })),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: clipByNorm: onNonFinite must be one of "error", "skip", "zero", got true]`,
    );
    expect(() =>
      clipByValue(bad<ClipByValueOptions>({ max: 1, onNonFinite: "Zero" })),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: clipByValue: onNonFinite must be one of "error", "skip", "zero", got "Zero"]`,
    );
  });
});

describe("clipByValue: max and min", () => {
  it("rejects max <= 0 when there is no min (the range would be empty)", () => {
    expect(() => clipByValue({ max: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: clipByValue: max must be a finite number > 0, got 0]`,
    );
    expect(() => clipByValue({ max: -1 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: clipByValue: max must be a finite number > 0, got -1]`,
    );
  });

  it("rejects a missing or non-finite max", () => {
    expect(() =>
      clipByValue(bad<ClipByValueOptions>({ min: -1 })),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: clipByValue: max must be a finite number, got undefined]`,
    );
    expect(() => clipByValue({ max: Number.POSITIVE_INFINITY })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: clipByValue: max must be a finite number, got Infinity]`,
    );
  });

  it("rejects min >= max", () => {
    expect(() => clipByValue({ min: 1, max: 1 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: clipByValue: min must be a finite number < max (1), got 1]`,
    );
    expect(() => clipByValue({ min: 2, max: 1 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: clipByValue: min must be a finite number < max (1), got 2]`,
    );
    expect(() => clipByValue({ min: Number.NaN, max: 1 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: clipByValue: min must be a finite number, got NaN]`,
    );
  });

  it("accepts an explicit range that does not contain 0", () => {
    expect(clipByValue({ min: -3, max: -1 }).name).toBe("clipByValue(-3, -1)");
    expect(clipByValue({ min: 0.5, max: 2 }).name).toBe("clipByValue(0.5, 2)");
  });
});

describe("optimizers", () => {
  it("sgd rejects lr <= 0, NaN or missing", () => {
    expect(() => sgd({ lr: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: sgd: lr must be a finite number > 0 or a schedule, got 0]`,
    );
    expect(() => sgd({ lr: -0.1 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: sgd: lr must be a finite number > 0 or a schedule, got -0.1]`,
    );
    expect(() => sgd({ lr: Number.NaN })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: sgd: lr must be a finite number > 0 or a schedule, got NaN]`,
    );
    expect(() => sgd(bad<SgdOptions>({}))).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: sgd: lr must be a finite number > 0 or a schedule, got undefined]`,
    );
  });

  it("sgd rejects momentum outside [0, 1) and nesterov without momentum", () => {
    expect(() => sgd({ lr: 0.1, momentum: 1 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: sgd: momentum must be a number in [0, 1), got 1]`,
    );
    expect(() => sgd({ lr: 0.1, momentum: -0.5 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: sgd: momentum must be a number in [0, 1), got -0.5]`,
    );
    expect(() => sgd({ lr: 0.1, nesterov: true })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: sgd: momentum must be > 0 when nesterov is true, got 0]`,
    );
    expect(() => sgd({ lr: 0.1, momentum: 0, nesterov: true })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: sgd: momentum must be > 0 when nesterov is true, got 0]`,
    );
    expect(() =>
      sgd(bad<SgdOptions>({ lr: 0.1, momentum: 0.9, nesterov: "yes" })),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: sgd: nesterov must be a boolean, got "yes"]`,
    );
    expect(() => sgd(bad<SgdOptions>({ lr: 0.1, mu: 0.9 }))).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: sgd: unknown option "mu" (known options: lr, momentum, nesterov)]`,
    );
  });

  it("adam rejects b1 = 1, b2 outside [0, 1), eps <= 0 and lr <= 0", () => {
    expect(() => adam({ lr: 0.1, b1: 1 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: adam: b1 must be a number in [0, 1), got 1]`,
    );
    expect(() => adam({ lr: 0.1, b2: 1.5 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: adam: b2 must be a number in [0, 1), got 1.5]`,
    );
    expect(() => adam({ lr: 0.1, eps: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: adam: eps must be a finite number > 0, got 0]`,
    );
    expect(() => adam({ lr: -1 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: adam: lr must be a finite number > 0 or a schedule, got -1]`,
    );
  });

  it("adamw rejects a negative weightDecay and names itself for the Adam options", () => {
    expect(() => adamw({ lr: 0.1, weightDecay: -0.01 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: adamw: weightDecay must be a finite number >= 0, got -0.01]`,
    );
    expect(() => adamw({ lr: 0.1, weightDecay: Number.NaN })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: adamw: weightDecay must be a finite number >= 0, got NaN]`,
    );
    expect(() => adamw({ lr: 0.1, b1: 1 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: adamw: b1 must be a number in [0, 1), got 1]`,
    );
  });

  it("adamw lists weightDecay among its known options and rejects a missing options object", () => {
    expect(() => adamw(bad<AdamWOptions>({ lr: 0.1, wd: 0.1 }))).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: adamw: unknown option "wd" (known options: lr, b1, b2, eps, weightDecay)]`,
    );
    expect(() => adamw(bad<AdamWOptions>(undefined))).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: adamw: options must be an object, got undefined]`,
    );
  });

  it("accepts a schedule as lr", () => {
    expect(sgd({ lr: constant(0.1) }).name).toBe("sgd(schedule)");
    expect(adamw({ lr: (t) => 0.1 / (t + 1), weightDecay: 0 }).name).toBe("adamw(schedule)");
  });
});

describe("schedules", () => {
  it("constant rejects lr <= 0", () => {
    expect(() => constant(0)).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: constant: lr must be a finite number > 0, got 0]`,
    );
  });

  it("stepDecay rejects a non-integer or zero period and gamma <= 0", () => {
    expect(() => stepDecay({ lr: 0.1, every: 0, gamma: 0.5 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: stepDecay: every must be an integer >= 1, got 0]`,
    );
    expect(() => stepDecay({ lr: 0.1, every: 2.5, gamma: 0.5 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: stepDecay: every must be an integer >= 1, got 2.5]`,
    );
    expect(() => stepDecay({ lr: 0.1, every: 10, gamma: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: stepDecay: gamma must be a finite number > 0, got 0]`,
    );
    expect(() =>
      stepDecay(bad<{ lr: number; every: number; gamma: number }>({ lr: 0.1, every: 10 })),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: stepDecay: gamma must be a finite number > 0, got undefined]`,
    );
  });

  it("exponentialDecay rejects gamma <= 0 and lr <= 0", () => {
    expect(() => exponentialDecay({ lr: 0.1, gamma: -0.9 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: exponentialDecay: gamma must be a finite number > 0, got -0.9]`,
    );
    expect(() => exponentialDecay({ lr: 0, gamma: 0.9 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: exponentialDecay: lr must be a finite number > 0, got 0]`,
    );
  });

  it("cosineDecay rejects steps < 1, a negative minLr and minLr > lr", () => {
    expect(() => cosineDecay({ lr: 0.1, steps: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: cosineDecay: steps must be an integer >= 1, got 0]`,
    );
    expect(() => cosineDecay({ lr: 0.1, steps: 10, minLr: -1 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: cosineDecay: minLr must be a finite number >= 0, got -1]`,
    );
    expect(() =>
      cosineDecay({ lr: 0.1, steps: 10, minLr: 0.2 }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: cosineDecay: minLr must be a number <= lr (0.1), got 0.2]`,
    );
  });

  it("warmup rejects steps < 1, startFactor outside [0, 1) and a bad `after`, by name", () => {
    expect(() => warmup({ steps: 0, after: 0.1 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: warmup: steps must be an integer >= 1, got 0]`,
    );
    expect(() =>
      warmup({ steps: 5, after: 0.1, startFactor: 1 }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: warmup: startFactor must be a number in [0, 1), got 1]`,
    );
    expect(() => warmup({ steps: 5, after: -0.1 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: warmup: after must be a finite number > 0 or a schedule, got -0.1]`,
    );
    expect(() =>
      warmup(bad<{ steps: number; after: number }>({ steps: 5 })),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: warmup: after must be a finite number > 0 or a schedule, got undefined]`,
    );
  });

  it("warmup rejects unknown keys and a missing options object", () => {
    expect(() =>
      warmup(bad<{ steps: number; after: number }>({ steps: 5, after: 0.1, startfactor: 0.5 })),
    ).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: warmup: unknown option "startfactor" (known options: steps, after, startFactor)]`,
    );
    expect(() =>
      warmup(bad<{ steps: number; after: number }>(undefined)),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: warmup: options must be an object, got undefined]`,
    );
  });

  it("schedule options reject unknown keys", () => {
    expect(() =>
      cosineDecay(bad<{ lr: number; steps: number }>({ lr: 0.1, steps: 10, min: 0 })),
    ).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: cosineDecay: unknown option "min" (known options: lr, steps, minLr)]`,
    );
  });
});
