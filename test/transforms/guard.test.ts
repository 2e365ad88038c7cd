import { describe, expect, it } from "vitest";
import { BiogradError } from "../../src/core/errors.js";
import { createLayout } from "../../src/core/layout.js";
import { buildTransform } from "../../src/transforms/build.js";
import { guardNonFinite } from "../../src/transforms/guard.js";
import {
  type AdamState,
  adam,
  type ClipState,
  chain,
  clipByGlobalNorm,
  zClip,
} from "../../src/transforms/index.js";
import { applyOnce, stepper, vectorLayout } from "../helpers/transforms.js";

const layout = createLayout([
  { name: "dense1.W", shape: [2, 2] },
  { name: "dense1.b", shape: [2] },
]);
const finite = [0.5, -1, 2, 0.25, 3, -4];
const poisoned = [0.5, Number.NaN, 2, Number.POSITIVE_INFINITY, 3, -4];

describe("guardNonFinite", () => {
  it("passes a finite gradient unchanged under every policy", () => {
    for (const policy of ["error", "skip", "zero"] as const) {
      const r = applyOnce(guardNonFinite({ policy }), finite, { layout });
      expect([...r.grad]).toEqual(finite);
      expect(r.ctx.skip).toBe(false);
      expect(r.ctx.nonFiniteZeroed).toBe(0);
      expect(r.state).toEqual({ steps: 1, skippedSteps: 0, zeroedEntries: 0 });
    }
  });

  it('"error" (the default) throws naming the entry, the value and the step, without internal names', () => {
    const s = stepper(guardNonFinite(), layout);
    s.step(finite);
    let error: unknown;
    try {
      s.step(poisoned);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BiogradError);
    expect((error as BiogradError).code).toBe("non_finite_gradient");
    expect((error as Error).message).toMatch(
      /^training diverged: the gradient of "dense1\.W\[0,1\]" is NaN at step 1 \(/,
    );
    expect((error as Error).message).not.toMatch(/guardNonFinite/);
  });

  it('"zero" replaces exactly the non-finite entries and counts them in the state and the context', () => {
    const r = applyOnce(guardNonFinite({ policy: "zero" }), poisoned, { layout });
    expect([...r.grad]).toEqual([0.5, 0, 2, 0, 3, -4]);
    expect(r.ctx.nonFiniteZeroed).toBe(2);
    expect(r.ctx.skip).toBe(false);
    expect(r.state.zeroedEntries).toBe(2);
  });

  it('"skip" drops the step: the chain stops, so the optimizer never sees the gradient', () => {
    const guarded = chain(guardNonFinite({ policy: "skip" }), adam({ lr: 0.1 }));
    const plain = chain(guardNonFinite({ policy: "skip" }), adam({ lr: 0.1 }));
    const a = stepper(guarded, layout);
    const b = stepper(plain, layout);
    a.step(finite);
    const skipped = a.step(poisoned);
    expect(a.ctx.skip).toBe(true);
    expect([...skipped].some(Number.isNaN)).toBe(true); // untouched: nothing is applied
    a.step(finite.map((g) => 2 * g));
    b.step(finite);
    const update = b.step(finite.map((g) => 2 * g));
    // The run with the skipped step ends in exactly the state of the run without it.
    const [guardA, adamA] = a.state as [{ skippedSteps: number }, AdamState];
    const [, adamB] = b.state as [unknown, AdamState];
    expect(guardA.skippedSteps).toBe(1);
    expect(adamA.count).toBe(2);
    expect([...adamA.m]).toEqual([...adamB.m]);
    expect([...adamA.v]).toEqual([...adamB.v]);
    expect([...a.step(finite)]).toEqual([...b.step(finite)]);
    expect(update.every(Number.isFinite)).toBe(true);
  });

  describe("with a clip after it", () => {
    it('"zero": the clip sees the zeroed gradient and clips it; its own policy never fires', () => {
      const t = chain(
        guardNonFinite({ policy: "zero" }),
        clipByGlobalNorm({ maxNorm: 1, onNonFinite: "error" }),
      );
      const r = applyOnce(t, poisoned, { layout });
      const norm = Math.hypot(0.5, 2, 3, -4);
      expect(r.ctx.normBefore).toBeCloseTo(norm, 14);
      expect(r.ctx.normAfter).toBeCloseTo(1, 14);
      expect(r.ctx.nonFiniteZeroed).toBe(2);
      const [, clip] = r.state as [unknown, ClipState];
      expect(clip.zeroedEntries).toBe(0);
      expect(clip.clippedSteps).toBe(1);
    });

    it('"skip": neither the clip nor the optimizer runs', () => {
      const t = chain(
        guardNonFinite({ policy: "skip" }),
        clipByGlobalNorm({ maxNorm: 1 }),
        adam({ lr: 0.1 }),
      );
      const r = applyOnce(t, poisoned, { layout });
      const [, clip, opt] = r.state as [unknown, ClipState, AdamState];
      expect(r.ctx.skip).toBe(true);
      expect(clip.steps).toBe(0);
      expect(opt.count).toBe(0);
      expect(Number.isNaN(r.ctx.normBefore)).toBe(true);
    });

    it('"error" throws before the clip, whose own policy is "skip"', () => {
      const t = chain(guardNonFinite(), clipByGlobalNorm({ maxNorm: 1, onNonFinite: "skip" }));
      expect(() => applyOnce(t, poisoned, { layout })).toThrow(/training diverged/);
    });

    it("ZClip keeps a gradient the guard zeroed out of its statistics, as with its own zero policy", () => {
      const viaGuard = stepper(
        chain(guardNonFinite({ policy: "zero" }), zClip({ warmupSteps: 2 })),
        vectorLayout(2),
      );
      const viaClip = stepper(zClip({ warmupSteps: 2, onNonFinite: "zero" }), vectorLayout(2));
      for (const g of [
        [0.3, 0.4],
        [Number.NaN, 0.1],
        [0.6, 0.8],
        [0.1, 0.2],
        [3, 4],
      ]) {
        expect([...viaGuard.step(g)]).toEqual([...viaClip.step(g)]);
      }
      const z = (viaGuard.state as unknown[])[1] as { mean: number; variance: number };
      expect(z.mean).toBe((viaClip.state as { mean: number }).mean);
      expect(z.variance).toBe((viaClip.state as { variance: number }).variance);
    });
  });

  it("buildTransform puts the guard first in every chain, also without a clip", () => {
    const none = buildTransform({ optimizer: { name: "sgd", lr: 0.1 } }, { totalSteps: 10 });
    expect(none.name).toBe("chain(guardNonFinite(error), sgd(0.1))");
    const clipped = buildTransform(
      { guard: "skip", clip: { kind: "value", threshold: 1 }, optimizer: { name: "sgd", lr: 0.1 } },
      { totalSteps: 10 },
    );
    expect(clipped.name).toBe("chain(guardNonFinite(skip), clipByValue(-1, 1), sgd(0.1))");
    expect(() => applyOnce(none, [Number.NaN, 1], { layout: vectorLayout(2) })).toThrow(
      /training diverged: the gradient of "w\[0\]" is NaN/,
    );
  });
});
