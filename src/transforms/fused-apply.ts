import type { StepContext, Transform } from "./types.js";

/**
 * A transform that can also add its update to the parameters itself, in the same pass that
 * computes it (a chain ending in a global-norm clip and Adam, see fused-clip-adam.ts). The
 * step (src/train/step.ts) calls `applyUpdate` instead of `update` followed by its own
 * `params += scale · update` loop; the two must give the same bits in params, grad (which
 * ends holding the update), the state and the context.
 */
export interface UpdateApplier<S> {
  /**
   * Runs the transform on `grad` and, unless it sets `ctx.skip`, adds scale·update to
   * `params`. `rawNorm` is the L2 norm of `grad` as given when the caller already has it,
   * else NaN. Returns that raw norm (measured here if it was NaN, reusing the clip's pass
   * where the clip sees the raw gradient).
   */
  applyUpdate(
    grad: Float64Array,
    state: S,
    ctx: StepContext,
    params: Float64Array,
    scale: number,
    rawNorm: number,
  ): number;
}

/** The transform as an `UpdateApplier` when it is one, else null. */
export function updateApplier<S>(t: Transform<S>): (Transform<S> & UpdateApplier<S>) | null {
  return typeof (t as Partial<UpdateApplier<S>>).applyUpdate === "function"
    ? (t as Transform<S> & UpdateApplier<S>)
    : null;
}

/** params += scale · update, the step's own loop (the same expressions, for the fallbacks). */
export function addUpdate(params: Float64Array, update: Float64Array, scale: number): void {
  if (scale === 1) {
    for (let i = 0; i < params.length; i++) params[i]! += update[i]!;
  } else {
    for (let i = 0; i < params.length; i++) params[i]! += scale * update[i]!;
  }
}
