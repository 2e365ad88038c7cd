import type { Schedule } from "./schedules.js";
import type { AnyTransform } from "./types.js";

/**
 * What `chain` needs to know to run a clip and an optimizer as one pass (fused-clip-adam.ts,
 * fused-clip-sgd.ts):
 * the factories of the transforms that can be fused describe them here, keyed by the
 * transform object itself. A transform that is not described (user-written, or wrapped) is
 * never fused, so fusion can only replace a chain whose parts are exactly these.
 */

/** An L2 global-norm clip: g ← g · c/‖g‖₂ when ‖g‖₂ > c. */
export interface GlobalNormClipShape {
  readonly maxNorm: number;
}

/** Adam or AdamW with its constants (wd = 0 for Adam). */
export interface AdamShape {
  readonly schedule: Schedule;
  readonly b1: number;
  readonly b2: number;
  readonly eps: number;
  readonly wd: number;
}

/** An element-wise value clip g_i ← max(min(g_i, max), min). */
export interface ValueClipShape {
  readonly min: number;
  readonly max: number;
}

/** Plain SGD (no momentum): u = −lr·g. */
export interface SgdShape {
  readonly schedule: Schedule;
}

const clips = new WeakMap<object, GlobalNormClipShape>();
const adams = new WeakMap<object, AdamShape>();
const valueClips = new WeakMap<object, ValueClipShape>();
const sgds = new WeakMap<object, SgdShape>();

/** Describes `transform` as a value clip to [min, max]; returns it. */
export function describeValueClip<T extends object>(transform: T, shape: ValueClipShape): T {
  valueClips.set(transform, shape);
  return transform;
}

/** Describes `transform` as plain SGD with this learning-rate schedule; returns it. */
export function describeSgd<T extends object>(transform: T, shape: SgdShape): T {
  sgds.set(transform, shape);
  return transform;
}

export function valueClipShape(t: AnyTransform): ValueClipShape | undefined {
  return valueClips.get(t);
}

export function sgdShape(t: AnyTransform): SgdShape | undefined {
  return sgds.get(t);
}

/** Describes `transform` as an L2 global-norm clip at `maxNorm`; returns it. */
export function describeGlobalNormClip<T extends object>(transform: T, maxNorm: number): T {
  clips.set(transform, { maxNorm });
  return transform;
}

/** Describes `transform` as Adam/AdamW with these constants; returns it. */
export function describeAdam<T extends object>(transform: T, shape: AdamShape): T {
  adams.set(transform, shape);
  return transform;
}

export function globalNormClipShape(t: AnyTransform): GlobalNormClipShape | undefined {
  return clips.get(t);
}

export function adamShape(t: AnyTransform): AdamShape | undefined {
  return adams.get(t);
}
