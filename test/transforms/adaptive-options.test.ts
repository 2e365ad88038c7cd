import { describe, expect, it } from "vitest";
import { OptionError } from "../../src/core/errors.js";
import {
  type AdaptiveClipOptions,
  adaptiveClip,
} from "../../src/transforms/clip-adaptive-unitwise.js";
import { type AutoClipOptions, autoClip } from "../../src/transforms/clip-auto.js";
import {
  type ClipByBlockRmsOptions,
  clipByBlockRms,
} from "../../src/transforms/clip-by-block-rms.js";
import { type ZClipOptions, zClip } from "../../src/transforms/clip-zscore.js";

/** Options that the types forbid, passed on purpose. */
function bad<T>(value: unknown): T {
  return value as T;
}

describe("adaptiveClip options", () => {
  it("rejects unknown keys by name (a misspelling before a missing required key)", () => {
    expect(() =>
      adaptiveClip(bad<AdaptiveClipOptions>({ lambda: 0.01 })),
    ).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: adaptiveClip: unknown option "lambda" (known options: clipping, eps, axis, onNonFinite)]`,
    );
  });

  it("rejects invalid values with the option, the value and the expectation", () => {
    expect(() => adaptiveClip(bad<AdaptiveClipOptions>({}))).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: adaptiveClip: clipping must be a finite number > 0, got undefined]`,
    );
    expect(() => adaptiveClip({ clipping: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: adaptiveClip: clipping must be a finite number > 0, got 0]`,
    );
    expect(() => adaptiveClip({ clipping: 0.01, eps: -1e-3 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: adaptiveClip: eps must be a finite number > 0, got -0.001]`,
    );
    expect(() =>
      adaptiveClip(bad<AdaptiveClipOptions>({ clipping: 0.01, axis: "cols" })),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: adaptiveClip: axis must be one of "columns", "rows", "all", "elements", "none" or a function (name, shape) => axis, got "cols"]`,
    );
    expect(() =>
      adaptiveClip(bad<AdaptiveClipOptions>({ clipping: 0.01, onNonFinite: "ignore" })),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: adaptiveClip: onNonFinite must be one of "error", "skip", "zero", got "ignore"]`,
    );
  });

  it("carries the data on the error", () => {
    let caught: unknown;
    try {
      adaptiveClip({ clipping: Number.NaN });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(OptionError);
    expect(caught).toMatchObject({
      code: "invalid_option",
      owner: "adaptiveClip",
      option: "clipping",
      expected: "a finite number > 0",
    });
  });
});

describe("autoClip options", () => {
  it("rejects unknown keys by name", () => {
    expect(() =>
      autoClip(bad<AutoClipOptions>({ quantile: 0.9 })),
    ).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: autoClip: unknown option "quantile" (known options: percentile, historySize, includeCurrent, onNonFinite)]`,
    );
  });

  it("rejects invalid values", () => {
    expect(() => autoClip({ percentile: 101 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: autoClip: percentile must be a number in [0, 100], got 101]`,
    );
    expect(() => autoClip({ percentile: Number.NaN })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: autoClip: percentile must be a number in [0, 100], got NaN]`,
    );
    expect(() => autoClip({ historySize: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: autoClip: historySize must be an integer >= 1, got 0]`,
    );
    expect(() => autoClip({ historySize: 2.5 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: autoClip: historySize must be an integer >= 1, got 2.5]`,
    );
    expect(() =>
      autoClip(bad<AutoClipOptions>({ includeCurrent: "yes" })),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: autoClip: includeCurrent must be a boolean, got "yes"]`,
    );
    expect(() => autoClip(bad<AutoClipOptions>(0.9))).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: autoClip: options must be an object, got 0.9]`,
    );
  });
});

describe("zClip options", () => {
  it("rejects unknown keys by name", () => {
    expect(() => zClip(bad<ZClipOptions>({ z_thresh: 2.5 }))).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: zClip: unknown option "z_thresh" (known options: alpha, zThreshold, maxNorm, eps, warmupSteps, mode, clipFactor, freezeStatsOnSpike, onNonFinite)]`,
    );
  });

  it("rejects invalid values", () => {
    expect(() => zClip({ alpha: 1 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: zClip: alpha must be a number in [0, 1), got 1]`,
    );
    expect(() => zClip({ zThreshold: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: zClip: zThreshold must be a finite number > 0, got 0]`,
    );
    expect(() => zClip({ maxNorm: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: zClip: maxNorm must be a number > 0 (Infinity for no cap), got 0]`,
    );
    expect(() => zClip({ eps: -1 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: zClip: eps must be a finite number >= 0, got -1]`,
    );
    expect(() => zClip({ warmupSteps: 0 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: zClip: warmupSteps must be an integer >= 1, got 0]`,
    );
    expect(() => zClip(bad<ZClipOptions>({ mode: "zscore" }))).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: zClip: mode must be one of "adaptive-scaling", "mean", "percentile", got "zscore"]`,
    );
    expect(() => zClip({ clipFactor: -0.5 })).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: zClip: clipFactor must be a finite number > 0, got -0.5]`,
    );
  });
});

describe("clipByBlockRms options", () => {
  it("rejects unknown keys by name and invalid thresholds", () => {
    expect(() =>
      clipByBlockRms(bad<ClipByBlockRmsOptions>({ threshold: 1, maxNorm: 1 })),
    ).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: clipByBlockRms: unknown option "maxNorm" (known options: threshold, onNonFinite)]`,
    );
    expect(() => clipByBlockRms(bad<ClipByBlockRmsOptions>({}))).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: clipByBlockRms: threshold must be a finite number > 0, got undefined]`,
    );
    expect(() =>
      clipByBlockRms({ threshold: Number.POSITIVE_INFINITY }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: clipByBlockRms: threshold must be a finite number > 0, got Infinity]`,
    );
  });
});
