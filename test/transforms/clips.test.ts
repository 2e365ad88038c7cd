import { describe, expect, it } from "vitest";
import { BiogradError } from "../../src/core/errors.js";
import { createLayout } from "../../src/core/layout.js";
import { l2Norm, lInfNorm } from "../../src/core/norms.js";
import {
  type ClipState,
  chain,
  clipByGlobalNorm,
  clipByNorm,
  clipByValue,
  createContext,
  type NonFinitePolicy,
  resetStep,
  type Transform,
} from "../../src/transforms/index.js";
import { lcg, maxUlpDistance, ulpDistance } from "../helpers/float.js";
import { applyOnce, stepper, vectorLayout } from "../helpers/transforms.js";

const EPS = Number.EPSILON; // 2^-52

/** Every clip, built with a threshold of `c` and the given non-finite policy. */
function everyClip(c: number, onNonFinite?: NonFinitePolicy): Transform<ClipState>[] {
  return [
    clipByValue({ max: c, onNonFinite }),
    clipByNorm({ maxNorm: c, onNonFinite }),
    clipByGlobalNorm({ maxNorm: c, onNonFinite }),
    clipByGlobalNorm({ maxNorm: c, norm: "linf", onNonFinite }),
  ];
}

/** Same entries, bit for bit (NaN equals NaN, +0 and −0 differ). */
function expectSameBits(actual: Float64Array, expected: readonly number[] | Float64Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      expect.fail(`entry ${i}: ${actual[i]} is not ${expected[i]} (all: [${Array.from(actual)}])`);
    }
  }
}

/** Each entry within `ulps` representable doubles of the hand-computed value. */
function expectUlps(actual: Float64Array, expected: readonly number[], ulps: number): void {
  expect(Array.from(actual)).toHaveLength(expected.length);
  const distance = maxUlpDistance(actual, expected);
  if (!(distance <= ulps)) {
    expect.fail(`[${Array.from(actual)}] is ${distance} ulp from [${expected}] (allowed ${ulps})`);
  }
}

describe("clipByGlobalNorm (L2) matches hand-computed values", () => {
  it("g = [3, 4], c = 1: N = sqrt(9 + 16) = 5 > 1, s = 1/5 → [0.6, 0.8]", () => {
    const { grad, ctx, state } = applyOnce(clipByGlobalNorm({ maxNorm: 1 }), [3, 4]);
    // 3 · fl(1/5) = 0.6000000000000001: one rounding of the factor, one of the product.
    expectUlps(grad, [0.6, 0.8], 1);
    expect(ctx.clipped).toBe(true);
    expect(ctx.normBefore).toBe(5);
    expect(ctx.normAfter).toBe(1); // 5 · fl(1/5) rounds back to 1
    expect(state).toEqual({
      steps: 1,
      clippedSteps: 1,
      lastNorm: 5,
      skippedSteps: 0,
      zeroedEntries: 0,
    });
  });

  it("g = [6, 8], c = 5: N = 10, s = 5/10 = 0.5 (a power of two) → exactly [3, 4]", () => {
    const { grad, ctx } = applyOnce(clipByGlobalNorm({ maxNorm: 5 }), [6, 8]);
    expectSameBits(grad, [3, 4]);
    expect(ctx.normBefore).toBe(10);
    expect(ctx.normAfter).toBe(5);
    expect(l2Norm(grad)).toBe(5); // the clipped norm is exactly the threshold
  });

  it("g = [1, 2, 2], c = 1: N = sqrt(1 + 4 + 4) = 3 → [1/3, 2/3, 2/3]", () => {
    const { grad } = applyOnce(clipByGlobalNorm({ maxNorm: 1 }), [1, 2, 2]);
    expectUlps(grad, [1 / 3, 2 / 3, 2 / 3], 1);
  });

  it("is a single vector over the whole layout: direction kept across tensors", () => {
    // a = [6, 8], b = −2, m = [1, 1, 1, 1]: N = sqrt(36 + 64 + 4 + 4) = sqrt(108), c = 5.
    const layout = createLayout([
      { name: "a", shape: [2] },
      { name: "b", shape: [] },
      { name: "m", shape: [2, 2] },
    ]);
    const g = [6, 8, -2, 1, 1, 1, 1];
    const { grad, ctx } = applyOnce(clipByGlobalNorm({ maxNorm: 5 }), g, { layout });
    const s = 5 / Math.sqrt(108);
    expectUlps(
      grad,
      g.map((v) => v * s),
      1,
    );
    expect(ctx.normBefore).toBe(Math.sqrt(108));
    expect(Math.abs(ctx.normAfter - 5)).toBeLessThanOrEqual(4 * EPS * 5);
  });
});

describe("clipByGlobalNorm (L∞) matches hand-computed values", () => {
  it("g = [−4, 2, 1], c = 2: N∞ = 4, s = 0.5 → exactly [−2, 1, 0.5]", () => {
    const t = clipByGlobalNorm({ maxNorm: 2, norm: "linf" });
    const { grad, ctx, state } = applyOnce(t, [-4, 2, 1]);
    expectSameBits(grad, [-2, 1, 0.5]);
    expect(lInfNorm(grad)).toBe(2);
    // The context always reports L2 norms: sqrt(16 + 4 + 1) = sqrt(21) before, half after.
    expect(ctx.normBefore).toBe(Math.sqrt(21));
    expect(ctx.normAfter).toBe(Math.sqrt(21) * 0.5);
    expect(ctx.clipped).toBe(true);
    expect(state.lastNorm).toBe(4); // the clip's own measure: max |g_i|
  });

  it("g = [3, 4], c = 4: N∞ = 4 = c → unchanged, although the L2 norm 5 exceeds 4", () => {
    const { grad, ctx, state } = applyOnce(clipByGlobalNorm({ maxNorm: 4, norm: "linf" }), [3, 4]);
    expectSameBits(grad, [3, 4]);
    expect(ctx.clipped).toBe(false);
    expect(state.clippedSteps).toBe(0);
    expect(ctx.normBefore).toBe(5);
    expect(ctx.normAfter).toBe(5);
  });

  it("g = [3, −4], c just below 4 → clipped, largest entry becomes −c", () => {
    const c = 4 - 2 ** -51; // the largest double below 4 (the ulp in [2, 4) is 2^-51)
    const { grad, ctx } = applyOnce(clipByGlobalNorm({ maxNorm: c, norm: "linf" }), [3, -4]);
    expect(ctx.clipped).toBe(true);
    expect(ulpDistance(grad[1]!, -c)).toBeLessThanOrEqual(1);
    expect(grad[0]!).toBeLessThan(3);
  });
});

describe("clipByNorm (per tensor) matches hand-computed values", () => {
  const layout = createLayout([
    { name: "a", shape: [2] },
    { name: "b", shape: [] },
    { name: "m", shape: [2, 2] },
  ]);

  it("clips one tensor and leaves the others: a = [6, 8] → [3, 4]; b, m untouched", () => {
    // c = 5.  ‖a‖ = sqrt(36 + 64) = 10 > 5 → a · 5/10 = [3, 4] (exact);
    //         ‖b‖ = 2 ≤ 5 and ‖m‖ = sqrt(4 · 1) = 2 ≤ 5 → unchanged.
    // Context: before sqrt(36 + 64 + 4 + 4) = sqrt(108); after sqrt(25 + 4 + 4) = sqrt(33).
    const { grad, ctx, state } = applyOnce(clipByNorm({ maxNorm: 5 }), [6, 8, -2, 1, 1, 1, 1], {
      layout,
    });
    expectSameBits(grad, [3, 4, -2, 1, 1, 1, 1]);
    expect(ctx.clipped).toBe(true);
    expect(ctx.normBefore).toBe(Math.sqrt(108));
    expect(ctx.normAfter).toBe(Math.sqrt(33));
    expect(state.lastNorm).toBe(10); // the largest per-tensor norm
    expect(state.clippedSteps).toBe(1);
  });

  it("clips every tensor on its own, so the total norm reaches c·sqrt(K)", () => {
    // c = 1. a = [3, 4] → [0.6, 0.8]; b = −12 → −1; m = [0, 0, 0, 2] → [0, 0, 0, 1].
    // After: sqrt(1 + 1 + 1) = sqrt(3) = c·sqrt(K) with K = 3 tensors.
    const { grad, ctx, state } = applyOnce(clipByNorm({ maxNorm: 1 }), [3, 4, -12, 0, 0, 0, 2], {
      layout,
    });
    expectUlps(grad, [0.6, 0.8, -1, 0, 0, 0, 1], 1);
    expect(ctx.normAfter).toBe(Math.sqrt(3));
    expect(state.lastNorm).toBe(12);
  });

  it("single tensor: g = [3, 4], c = 1 → [0.6, 0.8], the same as the global clip", () => {
    const { grad } = applyOnce(clipByNorm({ maxNorm: 1 }), [3, 4]);
    const global = applyOnce(clipByGlobalNorm({ maxNorm: 1 }), [3, 4]).grad;
    expectUlps(grad, [0.6, 0.8], 1);
    expectSameBits(grad, global);
  });

  it("a tensor exactly at the threshold is unchanged, one just above is clipped", () => {
    // a = [3, 4] (‖a‖ = 5 = c, unchanged); b = 5 + 2^-50 (just above c = 5, clipped to 5).
    const two = createLayout([
      { name: "a", shape: [2] },
      { name: "b", shape: [] },
    ]);
    const { grad, ctx } = applyOnce(clipByNorm({ maxNorm: 5 }), [3, 4, 5 + 2 ** -50], {
      layout: two,
    });
    expectSameBits(grad, [3, 4, 5]);
    expect(ctx.clipped).toBe(true);
  });
});

describe("clipByValue matches hand-computed values", () => {
  it("g = [−3, 0.5, 2], max = 1 → [−1, 0.5, 1]", () => {
    // before sqrt(9 + 0.25 + 4) = sqrt(13.25); after sqrt(1 + 0.25 + 1) = 1.5; lastNorm max|g| = 3.
    const { grad, ctx, state } = applyOnce(clipByValue({ max: 1 }), [-3, 0.5, 2]);
    expectSameBits(grad, [-1, 0.5, 1]);
    expect(ctx.normBefore).toBe(Math.sqrt(13.25));
    expect(ctx.normAfter).toBe(1.5);
    expect(ctx.clipped).toBe(true);
    expect(state.lastNorm).toBe(3);
  });

  it("asymmetric [min, max] = [−0.5, 2]: g = [−3, −0.25, 1, 5] → [−0.5, −0.25, 1, 2]", () => {
    const { grad, ctx } = applyOnce(clipByValue({ min: -0.5, max: 2 }), [-3, -0.25, 1, 5]);
    expectSameBits(grad, [-0.5, -0.25, 1, 2]);
    expect(ctx.normAfter).toBe(Math.sqrt(0.25 + 0.0625 + 1 + 4));
  });

  it("asymmetric: only the side that is exceeded moves", () => {
    // [min, max] = [−0.5, 2]: −0.5 and 2 are at the bounds (unchanged), 2.5 is clipped to 2.
    const t = clipByValue({ min: -0.5, max: 2 });
    const atBounds = applyOnce(t, [-0.5, 2, 1.5]);
    expectSameBits(atBounds.grad, [-0.5, 2, 1.5]);
    expect(atBounds.ctx.clipped).toBe(false);
    const above = applyOnce(t, [-0.5, 2.5]);
    expectSameBits(above.grad, [-0.5, 2]);
    expect(above.ctx.clipped).toBe(true);
    // −1 would be inside a symmetric ±2 range, but is below min = −0.5.
    expectSameBits(applyOnce(t, [-1]).grad, [-0.5]);
  });

  it("entries exactly at ±max are unchanged (clipped = false); one ulp above is clipped", () => {
    const at = applyOnce(clipByValue({ max: 1 }), [1, -1, 0.25]);
    expectSameBits(at.grad, [1, -1, 0.25]);
    expect(at.ctx.clipped).toBe(false);
    expect(at.state.clippedSteps).toBe(0);
    const above = applyOnce(clipByValue({ max: 1 }), [1 + EPS, -1]);
    expectSameBits(above.grad, [1, -1]);
    expect(above.ctx.clipped).toBe(true);
    expect(above.state.clippedSteps).toBe(1);
  });
});

describe("norm exactly at the threshold and just above", () => {
  it("clipByGlobalNorm: N = c leaves g unchanged with clipped = false", () => {
    const { grad, ctx, state } = applyOnce(clipByGlobalNorm({ maxNorm: 5 }), [3, 4]);
    expectSameBits(grad, [3, 4]);
    expect(ctx.clipped).toBe(false);
    expect(ctx.normBefore).toBe(5);
    expect(ctx.normAfter).toBe(5);
    expect(state).toMatchObject({ steps: 1, clippedSteps: 0, lastNorm: 5 });
  });

  it("clipByNorm: ‖g_k‖ = c leaves g unchanged with clipped = false", () => {
    const { grad, ctx } = applyOnce(clipByNorm({ maxNorm: 5 }), [3, 4]);
    expectSameBits(grad, [3, 4]);
    expect(ctx.clipped).toBe(false);
  });

  it("c one double below N = 5 clips (L2 global and per tensor)", () => {
    const c = 5 - 2 ** -50; // ulp in [4, 8) is 2^-50: the largest double below 5
    for (const t of [clipByGlobalNorm({ maxNorm: c }), clipByNorm({ maxNorm: c })]) {
      const { grad, ctx, state } = applyOnce(t, [3, 4]);
      expect(ctx.clipped).toBe(true);
      expect(state.clippedSteps).toBe(1);
      // s = c/5 = 1 − 2^-50/5 rounds to 1 − 2^-52: both entries move down by an ulp or two.
      expect(grad[0]!).toBeLessThan(3);
      expect(grad[1]!).toBeLessThan(4);
      expectUlps(grad, [3, 4], 2);
    }
  });
});

describe("zero gradient", () => {
  it.each(everyClip(1).map((t) => [t.name, t] as const))(
    "%s passes zeros through (no 0/0, no NaN)",
    (_name, t) => {
      const { grad, ctx, state } = applyOnce(t, [0, 0, 0]);
      expectSameBits(grad, [0, 0, 0]);
      expect(ctx.clipped).toBe(false);
      expect(ctx.normBefore).toBe(0);
      expect(ctx.normAfter).toBe(0);
      expect(state).toEqual({
        steps: 1,
        clippedSteps: 0,
        lastNorm: 0,
        skippedSteps: 0,
        zeroedEntries: 0,
      });
    },
  );
});

describe("non-finite gradient entries", () => {
  // w = [0.5, BAD, 3] and b = −4.
  const layout = createLayout([
    { name: "w", shape: [3] },
    { name: "b", shape: [] },
  ]);
  const BAD = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  const clipNames = everyClip(1).map((t) => t.name);

  describe('onNonFinite: "error" (the default)', () => {
    it("names the transform, the parameter, the value and the step", () => {
      const g = [0.5, Number.NaN, 3, -4];
      expect(() =>
        applyOnce(clipByGlobalNorm({ maxNorm: 1 }), g, { layout, step: 7 }),
      ).toThrowErrorMatchingInlineSnapshot(
        `[BiogradError: clipByGlobalNorm: gradient of "w[1]" is NaN at step 7 (onNonFinite: "error"; use "skip" to drop such steps or "zero" to zero the entries)]`,
      );
      expect(() =>
        applyOnce(clipByNorm({ maxNorm: 1 }), g, { layout, step: 7 }),
      ).toThrowErrorMatchingInlineSnapshot(
        `[BiogradError: clipByNorm: gradient of "w[1]" is NaN at step 7 (onNonFinite: "error"; use "skip" to drop such steps or "zero" to zero the entries)]`,
      );
      expect(() =>
        applyOnce(clipByValue({ max: 1 }), g, { layout, step: 7 }),
      ).toThrowErrorMatchingInlineSnapshot(
        `[BiogradError: clipByValue: gradient of "w[1]" is NaN at step 7 (onNonFinite: "error"; use "skip" to drop such steps or "zero" to zero the entries)]`,
      );
      expect(() =>
        applyOnce(clipByGlobalNorm({ maxNorm: 1, norm: "linf" }), g, { layout, step: 7 }),
      ).toThrowErrorMatchingInlineSnapshot(
        `[BiogradError: clipByGlobalNorm: gradient of "w[1]" is NaN at step 7 (onNonFinite: "error"; use "skip" to drop such steps or "zero" to zero the entries)]`,
      );
    });

    it("prints ±Infinity and names scalars and matrix entries", () => {
      const matrix = createLayout([
        { name: "m", shape: [2, 3] },
        { name: "bias", shape: [] },
      ]);
      const t = clipByGlobalNorm({ maxNorm: 1 });
      const g = [0, 0, 0, 0, 0, 0, 0];
      g[4] = Number.POSITIVE_INFINITY; // row 1, column 1
      expect(() => applyOnce(t, g, { layout: matrix, step: 0 })).toThrowErrorMatchingInlineSnapshot(
        `[BiogradError: clipByGlobalNorm: gradient of "m[1,1]" is Infinity at step 0 (onNonFinite: "error"; use "skip" to drop such steps or "zero" to zero the entries)]`,
      );
      g[4] = 0;
      g[6] = Number.NEGATIVE_INFINITY;
      expect(() =>
        applyOnce(t, g, { layout: matrix, step: 12 }),
      ).toThrowErrorMatchingInlineSnapshot(
        `[BiogradError: clipByGlobalNorm: gradient of "bias" is -Infinity at step 12 (onNonFinite: "error"; use "skip" to drop such steps or "zero" to zero the entries)]`,
      );
    });

    it("names the first bad entry when there are several", () => {
      const g = [0.5, 2, Number.NEGATIVE_INFINITY, Number.NaN];
      expect(() => applyOnce(clipByValue({ max: 1 }), g, { layout, step: 3 })).toThrow(
        'clipByValue: gradient of "w[2]" is -Infinity at step 3',
      );
    });

    it.each(clipNames.flatMap((name, k) => BAD.map((bad) => [name, String(bad), k, bad] as const)))(
      "%s throws for %s with code non_finite_gradient, grad and state untouched",
      (_n, _b, k, bad) => {
        const t = everyClip(1)[k]!;
        const grad = Float64Array.of(0.5, bad, 3, -4);
        const state = t.init(layout);
        const ctx = createContext(layout, new Float64Array(layout.size));
        resetStep(ctx, 5);
        const run = () => t.update(grad, state, ctx);
        expect(run).toThrow(`gradient of "w[1]" is ${bad} at step 5`);
        expect(run).toThrow(expect.objectContaining({ code: "non_finite_gradient" }));
        expect(run).toThrow(BiogradError);
        expectSameBits(grad, [0.5, bad, 3, -4]);
        expect(state).toEqual({
          steps: 0,
          clippedSteps: 0,
          lastNorm: Number.NaN,
          skippedSteps: 0,
          zeroedEntries: 0,
        });
        expect(ctx.skip).toBe(false);
      },
    );
  });

  describe('onNonFinite: "skip"', () => {
    it.each(clipNames.flatMap((name, k) => BAD.map((bad) => [name, String(bad), k, bad] as const)))(
      "%s with %s sets ctx.skip, leaves grad as is and counts the step",
      (_n, _b, k, bad) => {
        const t = everyClip(1, "skip")[k]!;
        const run = stepper(t, layout);
        const out = run.step([0.5, bad, 3, -4]);
        expectSameBits(out, [0.5, bad, 3, -4]);
        expect(run.ctx.skip).toBe(true);
        expect(run.ctx.clipped).toBe(false);
        expect(run.ctx.normBefore).toBeNaN();
        expect(run.ctx.nonFiniteZeroed).toBe(0);
        // A skipped step is counted in skippedSteps only: `steps` counts the steps clipped or
        // passed, and lastNorm keeps the last finite reading.
        expect(run.state).toEqual({
          steps: 0,
          clippedSteps: 0,
          lastNorm: Number.NaN,
          skippedSteps: 1,
          zeroedEntries: 0,
        });
        // A finite step afterwards is clipped normally and the skip flag is reset.
        const next = run.step([0, 0, 6, 8]);
        expect(run.ctx.skip).toBe(false);
        expect(run.state.steps).toBe(1);
        expect(run.state.skippedSteps).toBe(1);
        expect(next.every(Number.isFinite)).toBe(true);
        run.step([bad, 0, 0, 0]);
        expect(run.state.skippedSteps).toBe(2);
      },
    );

    it("stops a chain: the transform after the clip never runs", () => {
      let ran = 0;
      const spy: Transform<null> = { name: "spy", init: () => null, update: () => void ran++ };
      const t = chain(clipByGlobalNorm({ maxNorm: 1, onNonFinite: "skip" }), spy);
      const run = stepper(t, layout);
      run.step([0.5, Number.NaN, 3, -4]);
      expect(run.ctx.skip).toBe(true);
      expect(ran).toBe(0);
      run.step([0.5, 0, 3, -4]);
      expect(ran).toBe(1);
    });
  });

  describe('onNonFinite: "zero"', () => {
    // g = [3, BAD, 4, −Infinity] → zero the two bad entries → [3, 0, 4, 0], then clip:
    //   global L2, c = 1:  N = 5 → [0.6, 0, 0.8, 0]
    //   global L∞, c = 2:  N∞ = 4, s = 0.5 → [1.5, 0, 2, 0]   (L2 after: 2.5)
    //   per tensor, c = 1: ‖w‖ = 5 → [0.6, 0, 0.8]; b = 0 stays 0
    //   value, max = 1:    [1, 0, 1, 0]
    const cases = [
      [
        "clipByGlobalNorm(1)",
        () => clipByGlobalNorm({ maxNorm: 1, onNonFinite: "zero" }),
        [0.6, 0, 0.8, 0],
        1,
      ],
      [
        "clipByGlobalNorm(linf, 2)",
        () => clipByGlobalNorm({ maxNorm: 2, norm: "linf", onNonFinite: "zero" }),
        [1.5, 0, 2, 0],
        2.5,
      ],
      ["clipByNorm(1)", () => clipByNorm({ maxNorm: 1, onNonFinite: "zero" }), [0.6, 0, 0.8, 0], 1],
      [
        "clipByValue(-1, 1)",
        () => clipByValue({ max: 1, onNonFinite: "zero" }),
        [1, 0, 1, 0],
        Math.SQRT2,
      ],
    ] as const;

    it.each(cases.flatMap((c) => BAD.map((bad) => [c[0], String(bad), c, bad] as const)))(
      "%s with %s zeroes the bad entries, counts them, then clips the rest",
      (_n, _b, [, make, expected, after], bad) => {
        const run = stepper(make() as Transform<ClipState>, layout);
        const out = run.step([3, bad, 4, Number.NEGATIVE_INFINITY]);
        expectUlps(out, expected, 1);
        expect(run.ctx.skip).toBe(false);
        expect(run.ctx.clipped).toBe(true);
        expect(run.ctx.nonFiniteZeroed).toBe(2);
        expect(run.ctx.normBefore).toBe(5); // measured after zeroing: sqrt(9 + 16)
        expect(Math.abs(run.ctx.normAfter - after)).toBeLessThanOrEqual(2 * EPS * after);
        expect(run.state).toMatchObject({ steps: 1, clippedSteps: 1, zeroedEntries: 2 });
        run.step([bad, 0, 0, 0]);
        expect(run.state.zeroedEntries).toBe(3);
        expect(run.ctx.nonFiniteZeroed).toBe(1); // per step, reset by resetStep
      },
    );
  });
});

describe("clipping twice equals clipping once", () => {
  it("clipByValue is exactly idempotent (random vectors, asymmetric range too)", () => {
    const rnd = lcg(11);
    for (const t of [clipByValue({ max: 0.7 }), clipByValue({ min: -0.2, max: 1.3 })]) {
      for (let trial = 0; trial < 500; trial++) {
        const g = Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => (rnd() - 0.5) * 6);
        const once = applyOnce(t, g).grad;
        const twice = applyOnce(t, Array.from(once));
        expectSameBits(twice.grad, once);
        expect(twice.ctx.clipped).toBe(false);
      }
    }
  });

  it("hand examples with exact arithmetic are exactly idempotent", () => {
    // [6, 8] → [3, 4] with norm exactly 5 = c; [−4, 2, 1] → [−2, 1, 0.5] with max exactly 2.
    for (const [t, g] of [
      [clipByGlobalNorm({ maxNorm: 5 }), [6, 8]],
      [clipByNorm({ maxNorm: 5 }), [6, 8]],
      [clipByGlobalNorm({ maxNorm: 2, norm: "linf" }), [-4, 2, 1]],
    ] as const) {
      const once = applyOnce(t, g).grad;
      const twice = applyOnce(t, Array.from(once));
      expectSameBits(twice.grad, once);
      expect(twice.ctx.clipped).toBe(false);
    }
  });

  it("is NOT always exact for norm clips: [7, 10], c = 1 rounds to a norm 1 ulp above c", () => {
    // N = sqrt(149); s = fl(1/N); the rounded entries have l2Norm = 1 + 2^-52 > c, so a
    // second clip rescales again (reporting clipped) and moves entries by an ulp or two.
    const t = clipByGlobalNorm({ maxNorm: 1 });
    const once = applyOnce(t, [7, 10]).grad;
    expect(l2Norm(once)).toBe(1 + EPS);
    const twice = applyOnce(t, Array.from(once));
    expect(twice.ctx.clipped).toBe(true);
    expect(maxUlpDistance(twice.grad, once)).toBeGreaterThan(0);
    expect(maxUlpDistance(twice.grad, once)).toBeLessThanOrEqual(2);
  });

  // The strongest statement that holds (checked on 3 × 3000 seeded random vectors of
  // length 1..16 over six orders of magnitude, thresholds over two):
  // - the clipped norm is c within 4·ε relative (L2, global and per tensor) or 1·ε (L∞);
  // - when it is ≤ c, a second clip is an exact no-op that reports clipped = false;
  // - when rounding left it above c, a second clip moves no entry by more than 1e-15 relative.
  it.each([
    ["clipByGlobalNorm L2", (c: number) => clipByGlobalNorm({ maxNorm: c }), l2Norm, 4],
    ["clipByNorm", (c: number) => clipByNorm({ maxNorm: c }), l2Norm, 4],
    [
      "clipByGlobalNorm L∞",
      (c: number) => clipByGlobalNorm({ maxNorm: c, norm: "linf" }),
      lInfNorm,
      1,
    ],
  ] as const)(
    "%s: idempotent to rounding, exact when the clipped norm is <= c",
    (_n, make, measure, normEps) => {
      const rnd = lcg(2024);
      let exactCases = 0;
      let roundedAbove = 0;
      for (let trial = 0; trial < 3000; trial++) {
        const n = 1 + Math.floor(rnd() * 16);
        const g = Array.from({ length: n }, () => (rnd() - 0.5) * 10 ** (rnd() * 6 - 2));
        const c = 10 ** (rnd() * 2 - 2);
        const t = make(c);
        const once = applyOnce(t, g);
        if (!once.ctx.clipped) continue;
        const norm = measure(once.grad);
        expect(Math.abs(norm - c)).toBeLessThanOrEqual(normEps * EPS * c);
        const twice = applyOnce(t, Array.from(once.grad));
        if (norm <= c) {
          exactCases++;
          expectSameBits(twice.grad, once.grad);
          expect(twice.ctx.clipped).toBe(false);
        } else {
          roundedAbove++;
          for (let i = 0; i < n; i++) {
            const a = once.grad[i]!;
            expect(Math.abs(twice.grad[i]! - a)).toBeLessThanOrEqual(1e-15 * Math.abs(a));
          }
        }
      }
      // Both branches were exercised, so the statement above is tested, not vacuous.
      expect(exactCases).toBeGreaterThan(100);
      expect(roundedAbove).toBeGreaterThan(10);
    },
  );
});

describe("readings in the context and the state", () => {
  it("state counts steps and clipped steps and keeps the last norm", () => {
    const run = stepper(clipByGlobalNorm({ maxNorm: 5 }), vectorLayout(2));
    run.step([6, 8]); // N = 10: clipped
    expect(run.ctx).toMatchObject({ normBefore: 10, normAfter: 5, clipped: true, step: 0 });
    expect(run.state).toMatchObject({ steps: 1, clippedSteps: 1, lastNorm: 10 });
    run.step([3, 4]); // N = 5 = c: not clipped, and ctx.clipped is reset per step
    expect(run.ctx).toMatchObject({ normBefore: 5, normAfter: 5, clipped: false, step: 1 });
    expect(run.state).toMatchObject({ steps: 2, clippedSteps: 1, lastNorm: 5 });
    run.step([0, -30]); // N = 30: clipped to [0, −5]
    expect(run.state).toMatchObject({ steps: 3, clippedSteps: 2, lastNorm: 30 });
    run.step([0, 0]);
    expect(run.state).toEqual({
      steps: 4,
      clippedSteps: 2,
      lastNorm: 0,
      skippedSteps: 0,
      zeroedEntries: 0,
    });
  });

  it("lastNorm is each clip's own measure; the context always gets global L2 norms", () => {
    // g = [3, 4, 12] as a = [3, 4], b = 12: L2 13, L∞ 12, largest tensor norm 12, max|g| 12.
    const layout = createLayout([
      { name: "a", shape: [2] },
      { name: "b", shape: [] },
    ]);
    const g = [3, 4, 12];
    const big = 100; // nothing is clipped
    expect(applyOnce(clipByGlobalNorm({ maxNorm: big }), g, { layout }).state.lastNorm).toBe(13);
    expect(
      applyOnce(clipByGlobalNorm({ maxNorm: big, norm: "linf" }), g, { layout }).state.lastNorm,
    ).toBe(12);
    expect(applyOnce(clipByNorm({ maxNorm: big }), g, { layout }).state.lastNorm).toBe(12);
    expect(applyOnce(clipByValue({ max: big }), g, { layout }).state.lastNorm).toBe(12);
    for (const t of everyClip(big)) {
      const { ctx } = applyOnce(t, g, { layout });
      expect(ctx.normBefore).toBe(13);
      expect(ctx.normAfter).toBe(13);
      expect(ctx.clipped).toBe(false);
    }
  });

  it("two clips in a chain: clipped is sticky, the norms are the last clip's", () => {
    // value clip: [12, 0] → [10, 0] (clipped); global clip c = 20: 10 ≤ 20, unchanged.
    const t = chain(clipByValue({ max: 10 }), clipByGlobalNorm({ maxNorm: 20 }));
    const run = stepper(t, vectorLayout(2));
    const out = run.step([12, 0]);
    expectSameBits(out, [10, 0]);
    expect(run.ctx.clipped).toBe(true);
    expect(run.ctx.normBefore).toBe(10);
    expect(run.ctx.normAfter).toBe(10);
    const [valueState, globalState] = run.state as [ClipState, ClipState];
    expect(valueState.clippedSteps).toBe(1);
    expect(globalState.clippedSteps).toBe(0);
  });
});

describe("overflow-safe norms", () => {
  it("entries of 1e200 (sum of squares overflows) give a finite norm and the right clip", () => {
    // ‖[3e200, 4e200]‖ = 5e200, though 9e400 overflows; c = 1 → [0.6, 0.8].
    for (const t of [clipByGlobalNorm({ maxNorm: 1 }), clipByNorm({ maxNorm: 1 })]) {
      const { grad, ctx, state } = applyOnce(t, [3e200, 4e200]);
      expect(ulpDistance(ctx.normBefore, 5e200)).toBeLessThanOrEqual(1);
      expect(ulpDistance(state.lastNorm, 5e200)).toBeLessThanOrEqual(1);
      expectUlps(grad, [0.6, 0.8], 2);
      expect(Math.abs(ctx.normAfter - 1)).toBeLessThanOrEqual(2 * EPS);
    }
    // L∞, c = 2: N∞ = 4e200 → [1.5, −2].
    const linf = applyOnce(clipByGlobalNorm({ maxNorm: 2, norm: "linf" }), [3e200, -4e200]);
    expectUlps(linf.grad, [1.5, -2], 1);
    // Value clip: finite norm reading, entries clipped.
    const value = applyOnce(clipByValue({ max: 1 }), [3e200, -4e200]);
    expectSameBits(value.grad, [1, -1]);
    expect(ulpDistance(value.ctx.normBefore, 5e200)).toBeLessThanOrEqual(1);
  });

  it("finite entries whose L2 norm exceeds the largest double are clipped, not treated as non-finite", () => {
    // ‖[1.5e308, 1.5e308]‖ = 2.1e308 > Number.MAX_VALUE: the norm reads +Infinity, but every
    // entry is finite, so the "error" policy must not fire; c = 1 → [√½, √½].
    const g = [1.5e308, 1.5e308];
    for (const t of [clipByGlobalNorm({ maxNorm: 1 }), clipByNorm({ maxNorm: 1 })]) {
      const { grad, ctx, state } = applyOnce(t, g);
      expectUlps(grad, [Math.SQRT1_2, Math.SQRT1_2], 2);
      expect(ctx.clipped).toBe(true);
      expect(ctx.normBefore).toBe(Number.POSITIVE_INFINITY);
      expect(Math.abs(ctx.normAfter - 1)).toBeLessThanOrEqual(2 * EPS);
      expect(state.skippedSteps + state.zeroedEntries).toBe(0);
    }
    const linf = applyOnce(clipByGlobalNorm({ maxNorm: 1, norm: "linf" }), g);
    expectUlps(linf.grad, [1, 1], 1);
    expect(Math.abs(linf.ctx.normAfter - Math.SQRT2)).toBeLessThanOrEqual(2 * EPS * Math.SQRT2);
    const value = applyOnce(clipByValue({ max: 1 }), g);
    expectSameBits(value.grad, [1, 1]);
    // "skip" and "zero" leave such a gradient to be clipped, too.
    for (const onNonFinite of ["skip", "zero"] as const) {
      const { grad, ctx } = applyOnce(clipByGlobalNorm({ maxNorm: 1, onNonFinite }), g);
      expect(ctx.skip).toBe(false);
      expectUlps(grad, [Math.SQRT1_2, Math.SQRT1_2], 2);
    }
  });

  it("a real NaN next to huge finite entries is still reported by name", () => {
    const t = clipByGlobalNorm({ maxNorm: 1 });
    expect(() => applyOnce(t, [1.5e308, 1.5e308, Number.NaN])).toThrow(
      'clipByGlobalNorm: gradient of "w[2]" is NaN at step 0',
    );
  });

  it("a clip factor below the normal range keeps full precision", () => {
    // g = [1e300, 0], c = 1e-10: c/N = 1e-310 is subnormal; the plain product would give
    // 9.999999999999969e-11 (140 ulp low). Expected: [1e-10, 0].
    for (const t of [
      clipByGlobalNorm({ maxNorm: 1e-10 }),
      clipByNorm({ maxNorm: 1e-10 }),
      clipByGlobalNorm({ maxNorm: 1e-10, norm: "linf" }),
    ]) {
      const { grad, ctx } = applyOnce(t, [1e300, 0]);
      expectUlps(grad, [1e-10, 0], 1);
      expect(ulpDistance(ctx.normAfter, 1e-10)).toBeLessThanOrEqual(1);
    }
  });
});
