import { createLayout, type Layout } from "../../src/core/layout.js";
import {
  createContext,
  resetStep,
  type StepContext,
  type Transform,
} from "../../src/transforms/index.js";

/** A layout with one vector entry `w` of length n. */
export function vectorLayout(n: number, name = "w"): Layout {
  return createLayout([{ name, shape: [n] }]);
}

export interface Applied<S> {
  grad: Float64Array;
  state: S;
  ctx: StepContext;
}

/**
 * Runs one `update` of a freshly initialised transform on a copy of `values`, the way the
 * trainer does (context reset to `step` first). `params` defaults to zeros.
 */
export function applyOnce<S>(
  transform: Transform<S>,
  values: readonly number[],
  options: { layout?: Layout; step?: number; params?: readonly number[] } = {},
): Applied<S> {
  const layout = options.layout ?? vectorLayout(values.length);
  const grad = Float64Array.from(values);
  const state = transform.init(layout);
  const params = options.params ? Float64Array.from(options.params) : new Float64Array(layout.size);
  const ctx = createContext(layout, params);
  resetStep(ctx, options.step ?? 0);
  transform.update(grad, state, ctx);
  return { grad, state, ctx };
}

/**
 * A transform with its state and context kept across steps: `step(values)` runs one update
 * on a copy of `values` and returns the rewritten buffer.
 */
export function stepper<S>(transform: Transform<S>, layout: Layout, params?: Float64Array) {
  const state = transform.init(layout);
  const ctx = createContext(layout, params ?? new Float64Array(layout.size));
  let count = 0;
  return {
    state,
    ctx,
    step(values: readonly number[] | Float64Array): Float64Array {
      const grad = Float64Array.from(values);
      resetStep(ctx, count++);
      transform.update(grad, state, ctx);
      return grad;
    },
  };
}
