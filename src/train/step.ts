import type { Model, RowRange } from "../core/model.js";
import { l2Norm } from "../core/norms.js";
import { updateApplier } from "../transforms/fused-apply.js";
import { normsByTensor } from "../transforms/tensor-norms.js";
import { resetStep, type StepContext, type Transform } from "../transforms/types.js";

/** What one optimisation step measured. Reused across steps (no allocation). */
export interface StepReading {
  loss: number;
  /** Global L2 norm the clip saw (after any guard zeroed entries), else of the raw gradient. */
  gradNorm: number;
  /** Global L2 norm after clipping (= gradNorm when no clip ran). */
  clippedNorm: number;
  clipped: boolean;
  skipped: boolean;
  /** Non-finite gradient entries a guard replaced by zero. */
  zeroed: number;
  /** Learning rate the optimizer used (NaN when the step was skipped before it). */
  lr: number;
  /** The clip's threshold in effect (NaN without a clip). */
  threshold: number;
  /**
   * Global L2 norm of the raw gradient when `measureStep` computed it alongside the
   * per-tensor norms (same pass), else NaN and `applyStep` computes it.
   */
  rawNorm?: number;
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
  tensorNorms: Float64Array | null = null,
  tensorNormsAfter: Float64Array | null = null,
): void {
  measureStep(model, params, grad, ctx, rows, out, tensorNorms);
  applyStep(params, grad, transform, state, ctx, stepIndex, out, tensorNorms, tensorNormsAfter, 1);
}

/** The first half of a step: loss and gradient at `params` (and per-tensor raw norms if asked). */
export function measureStep(
  model: Model,
  params: Float64Array,
  grad: Float64Array,
  ctx: StepContext,
  rows: RowRange,
  out: StepReading,
  tensorNorms: Float64Array | null,
): void {
  out.loss = model.lossAndGrad(params, grad, rows);
  // The per-tensor norms (diagnostics) come from the pass that measures the global norm.
  out.rawNorm = tensorNorms ? normsByTensor(grad, ctx.layout.entries, tensorNorms) : Number.NaN;
}

/**
 * The second half: the chain turns the measured gradient into an update, which is added to
 * `params` times `scale` (1 except after a trainer's step back) unless the step was skipped.
 */
export function applyStep<S>(
  params: Float64Array,
  grad: Float64Array,
  transform: Transform<S>,
  state: S,
  ctx: StepContext,
  stepIndex: number,
  out: StepReading,
  tensorNorms: Float64Array | null,
  tensorNormsAfter: Float64Array | null,
  scale: number,
): void {
  // A fused chain (fused-apply.ts) measures the raw norm in its own pass and adds the update.
  const applier = updateApplier(transform);
  const known = tensorNorms && !Number.isNaN(out.rawNorm!) ? out.rawNorm! : Number.NaN;
  let rawNorm = applier === null && Number.isNaN(known) ? l2Norm(grad) : known;
  resetStep(ctx, stepIndex);
  ctx.grad = grad;
  ctx.tensorNormsAfter = tensorNormsAfter;
  if (tensorNormsAfter && tensorNorms) {
    // No clip: unchanged. A loop, not `.set`: a builtin call costs more than a few stores.
    for (let k = 0; k < tensorNorms.length; k++) tensorNormsAfter[k] = tensorNorms[k]!;
  }
  if (applier === null) {
    // The clip first in the chain takes this raw norm rather than measuring it again.
    ctx.knownNorm = rawNorm;
    ctx.knownNormOf = transform;
    transform.update(grad, state, ctx);
    ctx.knownNorm = Number.NaN; // valid during the update only
    ctx.knownNormOf = null;
  } else rawNorm = applier.applyUpdate(grad, state, ctx, params, scale, rawNorm);
  const clipRan = !Number.isNaN(ctx.normBefore);
  out.gradNorm = clipRan ? ctx.normBefore : rawNorm;
  out.clippedNorm = clipRan ? ctx.normAfter : rawNorm;
  out.clipped = ctx.clipped;
  out.skipped = ctx.skip;
  out.zeroed = ctx.nonFiniteZeroed;
  out.lr = ctx.lr;
  out.threshold = ctx.threshold;
  if (ctx.skip || applier !== null) return;
  if (scale === 1) {
    for (let i = 0; i < params.length; i++) params[i]! += grad[i]!;
  } else {
    for (let i = 0; i < params.length; i++) params[i]! += scale * grad[i]!;
  }
}
