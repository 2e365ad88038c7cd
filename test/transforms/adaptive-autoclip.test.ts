import { describe, expect, it } from "vitest";
import { BiogradError } from "../../src/core/errors.js";
import { l2Norm } from "../../src/core/norms.js";
import { autoClip, percentileOfSorted } from "../../src/transforms/clip-auto.js";
import type { NonFinitePolicy } from "../../src/transforms/index.js";
import { lcg } from "../helpers/float.js";
import { vectorLayout } from "../helpers/transforms.js";
import {
  expectSameBits,
  expectUlps,
  runTrace,
  type TraceStep,
  without,
} from "./adaptive-helpers.js";

const layout = vectorLayout(2);

describe("percentileOfSorted: numpy's default percentile (linear interpolation)", () => {
  const at = (values: number[], p: number) =>
    percentileOfSorted(Float64Array.from(values).sort(), values.length, p);

  it("hand-computed: h = (n − 1)·p/100, lerp between the neighbouring order statistics", () => {
    expect(at([5], 10)).toBe(5); // n = 1: the only value, whatever p
    expect(at([5, 10], 50)).toBe(7.5); // h = 0.5: 10 − 5·0.5
    expect(at([5, 10], 10)).toBe(5.5); // h = 0.1: 5 + 5·0.1
    expect(at([2.5, 5, 10], 10)).toBe(3); // h = 0.2: 2.5 + 2.5·0.2
    expect(at([2.5, 5, 10, 20], 50)).toBe(7.5); // h = 1.5: 10 − 5·0.5
    expect(at([2.5, 5, 10, 20], 0)).toBe(2.5); // the minimum
    expect(at([2.5, 5, 10, 20], 100)).toBe(20); // the maximum
    expect(at([1, 2, 3, 4, 5], 25)).toBe(2); // h = 1 exactly: x_1, no interpolation
  });

  it("bit for bit what numpy 1.24.2 np.percentile(a, p) returns (values printed by numpy)", () => {
    // /usr/bin/python3 -c "import numpy as np; print(repr(np.percentile(a, p)))" for each row.
    const cases: [number[], number, number][] = [
      [[2.5, 5, 10, 24], 10, 3.25],
      [[0.1, 0.2, 0.3, 0.7, 1.1, 1.9, 2.9], 10, 0.16000000000000003],
      [[0.1, 0.2, 0.3, 0.7, 1.1, 1.9, 2.9], 90, 2.3000000000000003],
      [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 33, 4.300000000000001],
      [[3.3, 1.1, 7.7, 2.2, 9.9], 37.5, 2.75],
      [[1e-3, 1, 1e3], 99.9, 998.0020000000002],
      [[0.3, 0.6], 70, 0.51],
    ];
    for (const [values, p, numpy] of cases) expect(at(values, p)).toBe(numpy);
  });

  it("is exact at the ends of each interval (numpy's two-sided lerp) and monotone in p", () => {
    const next = lcg(7);
    for (let trial = 0; trial < 200; trial++) {
      const values = Array.from({ length: 1 + Math.floor(next() * 30) }, () => next() * 100);
      const sorted = Float64Array.from(values).sort();
      let previous = -Infinity;
      for (let p = 0; p <= 100; p += 0.5) {
        const v = percentileOfSorted(sorted, sorted.length, p);
        expect(v).toBeGreaterThanOrEqual(previous);
        expect(v).toBeGreaterThanOrEqual(sorted[0]!);
        expect(v).toBeLessThanOrEqual(sorted[sorted.length - 1]!);
        previous = v;
      }
    }
  });
});

describe("autoClip: hand-computed trace (p = 50, historySize 4, current norm included)", () => {
  // Gradients along (3, 4)/5, so N = ‖g‖ is exact. History h_t includes N_t (the paper).
  //  t  g            N     h_t (sorted)         c_t = median (h = (n−1)/2)     out
  //  0  [3, 4]       5     [5]                  5                              unchanged (5 > 5 is false)
  //  1  [6, 8]       10    [5, 10]              10 − 5·0.5 = 7.5               ×0.75  → [4.5, 6]
  //  2  [1.5, 2]     2.5   [2.5, 5, 10]         5                              unchanged
  //  3  [NaN, 9]     —     (see the NaN tests below)
  //  4  [12, 16]     20    [2.5, 5, 10, 20]     10 − 5·0.5 = 7.5               ×0.375 → [4.5, 6]
  //  5  [3, 4]       5     full: evict 5  → [2.5, 5, 10, 20]   7.5             unchanged
  //  6  [24, 32]     40    evict 10 → [2.5, 5, 20, 40]   20 − 15·0.5 = 12.5     ×0.3125 → [7.5, 10]
  //  7  [0.75, 1]    1.25  evict 2.5 → [1.25, 5, 20, 40]  12.5                  unchanged
  const NAN_STEP = 3;
  const steps: TraceStep[] = [
    { grad: [3, 4] },
    { grad: [6, 8] },
    { grad: [1.5, 2] },
    { grad: [Number.NaN, 9] },
    { grad: [12, 16] },
    { grad: [3, 4] },
    { grad: [24, 32] },
    { grad: [0.75, 1] },
  ];
  const clean = without(steps, NAN_STEP);
  const options = { percentile: 50, historySize: 4 };
  const expectedThresholds = [5, 7.5, 5, 7.5, 7.5, 12.5, 12.5];
  const expectedOut = [
    [3, 4],
    [4.5, 6],
    [1.5, 2],
    [4.5, 6],
    [3, 4],
    [7.5, 10],
    [0.75, 1],
  ];

  it("without the NaN step: thresholds, outputs and readings", () => {
    const { records, state } = runTrace(autoClip(options), layout, clean);
    expect(records.map((r) => r.threshold)).toEqual(expectedThresholds);
    for (const [i, r] of records.entries()) expectSameBits(r.out, expectedOut[i]!);
    expect(records.map((r) => r.clipped)).toEqual([false, true, false, true, false, true, false]);
    expect(records.map((r) => r.normBefore)).toEqual([5, 10, 2.5, 20, 5, 40, 1.25]);
    expect(records.map((r) => r.normAfter)).toEqual([5, 7.5, 2.5, 7.5, 5, 12.5, 1.25]);
    // Slots written 5, 10, 2.5, 20, then 5, 40, 1.25 over the oldest; `next` = 3 is the
    // oldest now, so in arrival order the window is 20, 5, 40, 1.25.
    expect(Array.from(state.history)).toEqual([5, 40, 1.25, 20]);
    expect(state.next).toBe(3);
    expect(Array.from(state.sorted)).toEqual([1.25, 5, 20, 40]);
    expect(state).toMatchObject({ steps: 7, clippedSteps: 3, lastNorm: 1.25, count: 4 });
  });

  it.each(["skip", "zero"] as NonFinitePolicy[])(
    "a NaN gradient under %s never enters the history: later thresholds equal the clean trace's",
    (onNonFinite) => {
      const withNan = runTrace(autoClip({ ...options, onNonFinite }), layout, steps);
      const reference = runTrace(autoClip(options), layout, clean);
      const nan = withNan.records[NAN_STEP]!;
      if (onNonFinite === "skip") {
        // Dropped: ctx.skip, the gradient left as it was, the threshold still step 2's.
        expect(nan.skipped).toBe(true);
        expectSameBits(nan.out, [Number.NaN, 9]);
        expect(nan.threshold).toBe(5);
        expect(withNan.state.skippedSteps).toBe(1);
      } else {
        // Zeroed to [0, 9] (N = 9) and clipped against the median of the existing history
        // [2.5, 5, 10] = 5: ×5/9 → [0, 5]; 9 is not recorded.
        expect(nan.skipped).toBe(false);
        expect(nan.threshold).toBe(5);
        expect(nan.normBefore).toBe(9);
        expectUlps(nan.out, [0, 5], 1);
        expect(withNan.state.zeroedEntries).toBe(1);
      }
      const later = without(withNan.records, NAN_STEP);
      expect(later.map((r) => r.threshold)).toEqual(expectedThresholds);
      for (const [i, r] of later.entries()) expectSameBits(r.out, reference.records[i]!.out);
      expect(withNan.state.history).toEqual(reference.state.history);
      expect(withNan.state.sorted).toEqual(reference.state.sorted);
      expect(withNan.state.count).toBe(reference.state.count);
    },
  );

  it('"error" (the default) throws naming the entry and the step, and changes nothing', () => {
    const t = autoClip(options);
    expect(() => runTrace(t, layout, steps)).toThrowError(BiogradError);
    expect(() => runTrace(t, layout, steps)).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: autoClip: gradient of "w[0]" is NaN at step 3 (onNonFinite: "error"; use "skip" to drop such steps or "zero" to zero the entries)]`,
    );
  });

  it("an overflowing norm of finite entries is clipped but not recorded", () => {
    // [1.5e308, 1.5e308]: ‖g‖₂ overflows to +Infinity although both entries are finite.
    const { records, state } = runTrace(autoClip({ percentile: 50 }), layout, [
      { grad: [3, 4] },
      { grad: [1.5e308, 1.5e308] },
      { grad: [6, 8] },
    ]);
    expect(records[1]!.normBefore).toBe(Number.POSITIVE_INFINITY);
    expect(records[1]!.threshold).toBe(5);
    expectUlps(records[1]!.out, [5 * Math.SQRT1_2, 5 * Math.SQRT1_2], 2);
    expect(records[2]!.threshold).toBe(7.5); // median of [5, 10]: the Infinity never entered
    expect(state.count).toBe(2);
  });
});

describe("autoClip: the paper's p = 10 with previous norms only (the pip package's order)", () => {
  // includeCurrent: false, so c_t comes from h_{t−1}; the first step has no threshold.
  //  t  g          N     history before        c_t                               out
  //  0  [0, 5]     5     []                    +Infinity                         unchanged
  //  1  [0, 10]    10    [5]                   5                                 ×0.5   → [0, 5]
  //  2  [0, 2.5]   2.5   [5, 10]               5 + 5·0.1 = 5.5                   unchanged
  //  3  [0, 24]    24    [2.5, 5, 10]          2.5 + 2.5·0.2 = 3                 ×0.125 → [0, 3]
  //  4  [0, 40]    40    [2.5, 5, 10, 24]      h = 3·0.1: 2.5 + 2.5·0.3 = 3.25   ×3.25/40 → [0, 3.25]
  // The history holds pre-clip norms (10 and 24, not 5 and 3).
  it("matches the hand-computed thresholds and outputs", () => {
    const { records, state } = runTrace(autoClip({ includeCurrent: false }), layout, [
      { grad: [0, 5] },
      { grad: [0, 10] },
      { grad: [0, 2.5] },
      { grad: [0, 24] },
      { grad: [0, 40] },
    ]);
    expect(records.map((r) => r.threshold)).toEqual([Number.POSITIVE_INFINITY, 5, 5.5, 3, 3.25]);
    expectSameBits(records[1]!.out, [0, 5]);
    expectSameBits(records[2]!.out, [0, 2.5]);
    expectSameBits(records[3]!.out, [0, 3]);
    expectUlps(records[4]!.out, [0, 3.25], 1);
    expect(Array.from(state.sorted.subarray(0, state.count))).toEqual([2.5, 5, 10, 24, 40]);
  });

  it("defaults: p = 10, historySize 1000, current norm included", () => {
    const t = autoClip();
    expect(t.name).toBe("autoClip(p10, 1000)");
    const state = t.init(layout);
    expect(state.history).toHaveLength(1000);
    expect(state.lastThreshold).toBeNaN();
    // With the current norm included, the first step's threshold is its own norm: no clip.
    const { records } = runTrace(t, layout, [{ grad: [3, 4] }]);
    expect(records[0]).toMatchObject({ threshold: 5, clipped: false });
  });
});

describe("autoClip: bounded history", () => {
  it("keeps the sorted copy equal to the sorted ring buffer over many evictions (with ties)", () => {
    const next = lcg(11);
    const t = autoClip({ historySize: 7, percentile: 30 });
    const values = Array.from({ length: 300 }, () => Math.round(next() * 20) / 4);
    const { records, state } = runTrace(
      t,
      vectorLayout(1),
      values.map((v) => ({ grad: [v] })),
    );
    expect(Array.from(state.sorted)).toEqual(Array.from(state.history).sort((a, b) => a - b));
    // Every threshold is numpy's percentile of the last (up to) 7 norms, the current one included.
    records.forEach((r, i) => {
      const window = Float64Array.from(values.slice(Math.max(0, i - 6), i + 1)).sort();
      expect(r.threshold).toBe(percentileOfSorted(window, window.length, 30));
    });
  });

  it("a threshold of 0 (a history of zero gradients) zeroes a later gradient, without 0/0", () => {
    const { records } = runTrace(autoClip({ percentile: 0 }), layout, [
      { grad: [0, 0] },
      { grad: [3, 4] },
    ]);
    expect(records[1]!.threshold).toBe(0);
    expectSameBits(records[1]!.out, [0, 0]);
    expect(records[1]!.normAfter).toBe(0);
  });

  it("a factor c/N below the normal range (c = 1e-150, N = 1e200) keeps full precision", () => {
    // c/N = 1e-350 is not a double; it is applied as (c·2^600/N)·2^-600.
    const { records } = runTrace(autoClip({ percentile: 0 }), layout, [
      { grad: [0, 1e-150] },
      { grad: [0, 1e200] },
    ]);
    expect(records[1]!.threshold).toBe(1e-150);
    expectUlps(records[1]!.out, [0, 1e-150], 2);
    expectUlps(
      [records[1]!.normAfter, l2Norm(Float64Array.from(records[1]!.out))],
      [1e-150, 1e-150],
      2,
    );
  });
});
