import type { Layout } from "../core/layout.js";
import { l2Norm } from "../core/norms.js";

/**
 * What a step's transforms may read and report. The trainer owns one context and resets the
 * per-step fields before each step; transforms write into it, never allocate.
 */
export interface StepContext {
  /** The parameters the gradient was computed at (read-only for transforms). */
  params: Float64Array;
  layout: Layout;
  /** Optimizer steps taken before this one (0-based). */
  step: number;
  /** Set by a transform to drop this step: later transforms are not run, nothing is applied. */
  skip: boolean;
  /** Global L2 norm the (last) clip saw before clipping; NaN if no clip ran. */
  normBefore: number;
  /** Global L2 norm after that clip. */
  normAfter: number;
  /** Whether a clip changed the gradient in this step. */
  clipped: boolean;
  /** The (last) clip's threshold in effect, in its own measure; NaN if no clip ran. */
  threshold: number;
  /** The gradient buffer being transformed (set by the step, for diagnostics). */
  grad: Float64Array | null;
  /**
   * When set, a clip writes the L2 norm of each layout entry of the clipped gradient here
   * (the trainer asks once per epoch; per-tensor norms cost one more pass).
   */
  tensorNormsAfter: Float64Array | null;
  /** Non-finite gradient entries replaced by zero in this step. */
  nonFiniteZeroed: number;
  /** Learning rate the optimizer used in this step; NaN if no optimizer ran. */
  lr: number;
  /**
   * The global L2 norm of the gradient as the transform `knownNormOf` receives it, when the
   * caller has measured it (the trainer does, in its raw-gradient pass): that transform may
   * use it instead of measuring again. Keyed by the transform object, so a transform that
   * gets the gradient from a wrapper (which may have changed it) never takes it for its own;
   * a chain hands it to its first transform only.
   */
  knownNorm: number;
  knownNormOf: object | null;
}

export function createContext(layout: Layout, params: Float64Array): StepContext {
  const ctx: StepContext = {
    params,
    layout,
    step: 0,
    skip: false,
    normBefore: Number.NaN,
    normAfter: Number.NaN,
    clipped: false,
    threshold: Number.NaN,
    grad: null,
    tensorNormsAfter: null,
    nonFiniteZeroed: 0,
    lr: Number.NaN,
    knownNorm: Number.NaN,
    knownNormOf: null,
  };
  return ctx;
}

export function resetStep(ctx: StepContext, step: number): void {
  ctx.step = step;
  ctx.skip = false;
  ctx.normBefore = Number.NaN;
  ctx.normAfter = Number.NaN;
  ctx.clipped = false;
  ctx.threshold = Number.NaN;
  ctx.nonFiniteZeroed = 0;
  ctx.lr = Number.NaN;
  ctx.knownNorm = Number.NaN;
  ctx.knownNormOf = null;
}

/** ‖grad‖₂ as `transform` receives it: the caller's measurement if it made one, else measured. */
export function inputNorm(grad: Float64Array, ctx: StepContext, transform: object): number {
  return ctx.knownNormOf === transform ? ctx.knownNorm : l2Norm(grad);
}

/**
 * A gradient transformation (optax-style): `init` makes the state, a plain object the caller
 * owns; `update` rewrites `grad` **in place** into an update and mutates `state`. After the
 * whole chain the trainer adds the buffer to the parameters (optimizers flip the sign).
 */
export interface Transform<S = unknown> {
  readonly name: string;
  init(layout: Layout): S;
  update(grad: Float64Array, state: S, ctx: StepContext): void;
}

/** Any transform, for heterogeneous lists. */
// biome-ignore lint/suspicious/noExplicitAny: a list of transforms mixes state types.
export type AnyTransform = Transform<any>;
