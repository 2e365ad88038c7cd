import { BiogradError } from "../core/errors.js";
import { describeIndex } from "../core/layout.js";
import { firstNonFinite, l2Norm } from "../core/norms.js";
import type { StepContext } from "./types.js";

/**
 * What a clip does when the gradient holds NaN or ±Infinity — shared by every clip:
 * - `error` (default): throw, naming the parameter, the value and the step;
 * - `skip`: drop the whole step (nothing is applied, optimizer state is untouched), counted;
 * - `zero`: replace the non-finite entries by 0, counted, and clip the rest.
 * Never silently passed on: a NaN norm would turn every clipped entry into NaN.
 */
export type NonFinitePolicy = "error" | "skip" | "zero";
export const NON_FINITE_POLICIES = ["error", "skip", "zero"] as const;

/** Counters and last readings every clip keeps in its state. */
export interface ClipState {
  /** Steps seen. */
  steps: number;
  /** Steps in which the clip changed the gradient. */
  clippedSteps: number;
  /** Norm (in the clip's own measure) seen before clipping in the last step. */
  lastNorm: number;
  /** Steps dropped by the `skip` policy. */
  skippedSteps: number;
  /** Entries replaced by 0 by the `zero` policy. */
  zeroedEntries: number;
}

/** The counters the non-finite policy keeps (a clip's state, or the guard's). */
export type NonFiniteCounters = Pick<ClipState, "skippedSteps" | "zeroedEntries">;

export function initClipState(): ClipState {
  return { steps: 0, clippedSteps: 0, lastNorm: Number.NaN, skippedSteps: 0, zeroedEntries: 0 };
}

/**
 * Whether the gradient holds a NaN or ±Infinity entry, given its L2 norm (already computed
 * by the clip). A finite norm proves every entry finite; an infinite one may still come from
 * finite entries whose norm overflows (entries near the largest double), so look.
 */
export function hasNonFinite(norm: number, grad: Float64Array): boolean {
  return !Number.isFinite(norm) && firstNonFinite(grad) !== -1;
}

/**
 * Applies `policy` to a gradient known to hold a non-finite entry. Returns true when the
 * clip should go on (entries zeroed), false when the step is skipped; throws for `error`.
 */
export function handleNonFinite(
  owner: string,
  policy: NonFinitePolicy,
  grad: Float64Array,
  state: NonFiniteCounters,
  ctx: StepContext,
): boolean {
  if (policy === "error") {
    const i = firstNonFinite(grad);
    throw new BiogradError(
      "non_finite_gradient",
      `${owner}: gradient of "${describeIndex(ctx.layout, i)}" is ${grad[i]} at step ${ctx.step} ` +
        `(onNonFinite: "error"; use "skip" to drop such steps or "zero" to zero the entries)`,
    );
  }
  if (policy === "skip") {
    state.skippedSteps++;
    ctx.skip = true;
    return false;
  }
  zeroNonFinite(grad, state, ctx);
  return true;
}

/** Replaces every NaN/±Infinity entry by 0, counted in `state` and the step context. */
export function zeroNonFinite(
  grad: Float64Array,
  state: NonFiniteCounters,
  ctx: StepContext,
): void {
  let zeroed = 0;
  for (let i = 0; i < grad.length; i++) {
    if (!Number.isFinite(grad[i]!)) {
      grad[i] = 0;
      zeroed++;
    }
  }
  state.zeroedEntries += zeroed;
  ctx.nonFiniteZeroed += zeroed;
}

/**
 * Records a clip's reading in its state and in the step context, and the per-tensor norms
 * after the clip when the trainer asks for them (`ctx.tensorNormsAfter`), measured in one
 * more pass over the gradient. A clip that measures them in its own pass writes them itself
 * and calls `recordClipReading` instead.
 */
export function recordClip(
  state: ClipState,
  ctx: StepContext,
  measured: number,
  normBefore: number,
  normAfter: number,
  clipped: boolean,
  threshold?: number,
): void {
  recordClipReading(state, ctx, measured, normBefore, normAfter, clipped, threshold);
  const out = ctx.tensorNormsAfter;
  if (out !== null && ctx.grad !== null) {
    const entries = ctx.layout.entries;
    for (let k = 0; k < entries.length; k++) {
      const e = entries[k]!;
      out[k] = l2Norm(ctx.grad, e.offset, e.offset + e.size);
    }
  }
}

/** `recordClip` without the per-tensor norms (the clip has written them). */
export function recordClipReading(
  state: ClipState,
  ctx: StepContext,
  measured: number,
  normBefore: number,
  normAfter: number,
  clipped: boolean,
  threshold?: number,
): void {
  state.steps++;
  state.lastNorm = measured;
  if (clipped) state.clippedSteps++;
  ctx.normBefore = normBefore;
  ctx.normAfter = normAfter;
  ctx.clipped = ctx.clipped || clipped;
  // The threshold in effect, in the clip's own measure (adaptive clips keep it in their state).
  ctx.threshold = threshold ?? (state as { lastThreshold?: number }).lastThreshold ?? Number.NaN;
}
