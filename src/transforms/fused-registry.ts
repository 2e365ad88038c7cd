import type { Schedule } from "./schedules.js";
import type { AnyTransform } from "./types.js";

/**
 * What `chain` needs to know to run a clip and an optimizer as one pass (fused-clip-adam.ts,
 * fused-clip-sgd.ts):
 * the factories of the transforms that can be fused describe them here. A transform that is
 * not described (user-written, or wrapped) is never fused, so fusion can only replace a chain
 * whose parts are exactly these.
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

/**
 * The description rides on the transform object under a symbol key, with the `update` it
 * describes: a copy with another `update` (`{ ...clip, update }`), or a transform whose
 * `update` was replaced, is not taken for the described one. (Not a WeakMap keyed by the
 * object: an entry costs ~1 µs per transform in set and GC time, and a seed train() call
 * makes its transforms afresh.)
 */
const SHAPE = Symbol("biograd.fusableShape");

interface Described {
  readonly kind: "globalNormClip" | "adam" | "valueClip" | "sgd";
  readonly shape: unknown;
  readonly update: unknown;
}

function describe<T extends object>(transform: T, kind: Described["kind"], shape: unknown): T {
  const update = (transform as { update?: unknown }).update;
  (transform as { [SHAPE]?: Described })[SHAPE] = { kind, shape, update };
  return transform;
}

function shapeOf(t: AnyTransform, kind: Described["kind"]): unknown {
  const d = (t as { [SHAPE]?: Described })[SHAPE];
  return d !== undefined && d.kind === kind && d.update === t.update ? d.shape : undefined;
}

/** Describes `transform` as an L2 global-norm clip at `maxNorm`; returns it. */
export function describeGlobalNormClip<T extends object>(transform: T, maxNorm: number): T {
  return describe(transform, "globalNormClip", { maxNorm });
}

/** Describes `transform` as Adam/AdamW with these constants; returns it. */
export function describeAdam<T extends object>(transform: T, shape: AdamShape): T {
  return describe(transform, "adam", shape);
}

/** Describes `transform` as a value clip to [min, max]; returns it. */
export function describeValueClip<T extends object>(transform: T, shape: ValueClipShape): T {
  return describe(transform, "valueClip", shape);
}

/** Describes `transform` as plain SGD with this learning-rate schedule; returns it. */
export function describeSgd<T extends object>(transform: T, shape: SgdShape): T {
  return describe(transform, "sgd", shape);
}

export function globalNormClipShape(t: AnyTransform): GlobalNormClipShape | undefined {
  return shapeOf(t, "globalNormClip") as GlobalNormClipShape | undefined;
}

export function adamShape(t: AnyTransform): AdamShape | undefined {
  return shapeOf(t, "adam") as AdamShape | undefined;
}

export function valueClipShape(t: AnyTransform): ValueClipShape | undefined {
  return shapeOf(t, "valueClip") as ValueClipShape | undefined;
}

export function sgdShape(t: AnyTransform): SgdShape | undefined {
  return shapeOf(t, "sgd") as SgdShape | undefined;
}
