import { expect } from "vitest";
import type { Layout } from "../../src/core/layout.js";
import { createContext, resetStep, type Transform } from "../../src/transforms/index.js";
import { maxUlpDistance } from "../helpers/float.js";

/** One step of a trace: the gradient, and optionally the parameters it was taken at. */
export interface TraceStep {
  grad: readonly number[];
  params?: readonly number[];
}

/** What one step of a trace produced. */
export interface TraceRecord {
  out: number[];
  /** `state.lastThreshold` after the step. */
  threshold: number;
  skipped: boolean;
  clipped: boolean;
  normBefore: number;
  normAfter: number;
}

/**
 * Runs `steps` through one transform with one state and context, as the trainer does (the
 * context is reset before each step; parameters are copied in when a step gives them).
 */
export function runTrace<S extends { lastThreshold: number }>(
  transform: Transform<S>,
  layout: Layout,
  steps: readonly TraceStep[],
): { records: TraceRecord[]; state: S } {
  const params = new Float64Array(layout.size);
  const state = transform.init(layout);
  const ctx = createContext(layout, params);
  const records = steps.map((s, i) => {
    if (s.params) params.set(s.params);
    const grad = Float64Array.from(s.grad);
    resetStep(ctx, i);
    transform.update(grad, state, ctx);
    return {
      out: Array.from(grad),
      threshold: state.lastThreshold,
      skipped: ctx.skip,
      clipped: ctx.clipped,
      normBefore: ctx.normBefore,
      normAfter: ctx.normAfter,
    };
  });
  return { records, state };
}

/** Same entries, bit for bit (NaN equals NaN, +0 and −0 differ). */
export function expectSameBits(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      expect.fail(`entry ${i}: ${actual[i]} is not ${expected[i]} (all: [${Array.from(actual)}])`);
    }
  }
}

/** Each entry within `ulps` representable doubles of the hand-computed value. */
export function expectUlps(actual: ArrayLike<number>, expected: ArrayLike<number>, ulps: number) {
  const distance = maxUlpDistance(actual, expected);
  if (!(distance <= ulps)) {
    expect.fail(
      `[${Array.from(actual)}] is ${distance} ulp from [${Array.from(expected)}] (allowed ${ulps})`,
    );
  }
}

/** The trace without step `index` (for "a NaN step changes nothing later" comparisons). */
export function without<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}
