import { l2Norm } from "../core/norms.js";
import type { Model, RowRange } from "../models/types.js";
import { resetStep, type StepContext, type Transform } from "../transforms/types.js";

/** What one optimisation step measured. Reused across steps (no allocation). */
export interface StepReading {
  loss: number;
  gradNorm: number;
  clippedNorm: number;
  clipped: boolean;
  skipped: boolean;
}

/**
 * One step of the pipeline: loss and gradient at `params`, the transform chain rewrites
 * the gradient into an update in place, and the update is added to `params` unless a
 * transform skipped the step.
 */
export function takeStep<S>(
  model: Model,
  params: Float64Array,
  grad: Float64Array,
  transform: Transform<S>,
  state: S,
  ctx: StepContext,
  rows: RowRange,
  stepIndex: number,
  out: StepReading,
): void {
  out.loss = model.lossAndGrad(params, grad, rows);
  out.gradNorm = l2Norm(grad);
  resetStep(ctx, stepIndex);
  transform.update(grad, state, ctx);
  out.clippedNorm = Number.isNaN(ctx.normAfter) ? out.gradNorm : ctx.normAfter;
  out.clipped = ctx.clipped;
  out.skipped = ctx.skip;
  if (ctx.skip) return;
  for (let i = 0; i < params.length; i++) params[i]! += grad[i]!;
}
