import { l2Norm } from "../core/norms.js";
import { addUpdate } from "./fused-apply.js";
import { type AdamShape, adamShape, globalNormClipShape } from "./fused-registry.js";
import { type ClipState, recordClip } from "./non-finite.js";
import type { AdamState } from "./optimizers.js";
import type { AnyTransform, StepContext } from "./types.js";

/**
 * A chain that ends in [clipByGlobalNorm (L2), adam or adamw], run as two passes over the
 * gradient instead of five. Unfused, a step reads and writes the whole buffer in: the
 * trainer's raw-norm pass, the clip's norm, the clip's scaling, Adam, and the trainer's
 * `params += update`. Fused: the clip's norm pass (which is the raw norm when nothing runs
 * before the clip), then one pass that scales each entry, folds it into Adam's moments, and
 * adds the update to the parameters.
 *
 * Bit for bit the unfused chain: each entry goes through the same expressions in the same
 * order (g·s from core/norms.ts's scaleInPlace, then adamFamily's loop in optimizers.ts, then
 * step.ts's update), and the clip's readings (counters, norms before and after, threshold) are
 * recorded by the same `recordClip`. Whenever the clip would do something other than one plain
 * scaling — a non-finite norm (its non-finite policy), a factor c/N below the smallest normal
 * double, or a step whose per-tensor norms after the clip are asked for — the pair runs
 * unfused, through the transforms themselves.
 */
export interface FusedTail {
  /** Index of the clip in the chain; the optimizer follows it and ends the chain. */
  readonly at: number;
  run(
    grad: Float64Array,
    clipState: ClipState,
    /** The optimizer's state (`AdamState` here, `SgdState` in fused-clip-sgd.ts). */
    optState: unknown,
    ctx: StepContext,
    params: Float64Array,
    scale: number,
    norm: number,
  ): number;
}

const MIN_NORMAL = 2 ** -1022;

/** The fused runner of a chain's last two transforms when they are such a pair, else null. */
export function fusedTail(transforms: readonly AnyTransform[]): FusedTail | null {
  const at = transforms.length - 2;
  if (at < 0) return null;
  const clip = transforms[at]!;
  const opt = transforms[at + 1]!;
  const clipShape = globalNormClipShape(clip);
  const shape = adamShape(opt);
  if (clipShape === undefined || shape === undefined) return null;
  const c = clipShape.maxNorm;
  return {
    at,
    /** `norm`: ‖grad‖₂ if the caller knows it (NaN if not); returns the norm the clip saw. */
    run(grad, clipState, optState, ctx, params, scale, norm) {
      const adamState = optState as AdamState;
      const n = Number.isNaN(norm) ? l2Norm(grad) : norm;
      const clipped = n > c;
      const s = c / n;
      if (!Number.isFinite(n) || ctx.tensorNormsAfter !== null || (clipped && s < MIN_NORMAL)) {
        clip.update(grad, clipState, ctx);
        if (ctx.skip) return n;
        opt.update(grad, adamState, ctx);
        if (!ctx.skip) addUpdate(params, grad, scale);
        return n;
      }
      // The clip's own reading for a finite norm and a normal factor: after = before · c/N.
      recordClip(clipState, ctx, n, n, clipped ? n * s : n, clipped, c);
      // g·1 is g for every finite g, so one loop serves both cases.
      adamPass(grad, adamState, ctx, params, scale, clipped ? s : 1, shape);
      return n;
    },
  };
}

/** g ← factor·g, Adam's update u from it (written into grad), params += scale·u. */
function adamPass(
  grad: Float64Array,
  state: AdamState,
  ctx: StepContext,
  params: Float64Array,
  scale: number,
  factor: number,
  shape: AdamShape,
): void {
  const { schedule, b1, b2, eps, wd } = shape;
  const lr = schedule(state.count);
  state.count++;
  ctx.lr = lr;
  const t = state.count;
  const c1 = 1 - b1 ** t;
  const c2 = 1 - b2 ** t;
  const { m, v } = state;
  const at = ctx.params; // where adamw's decay reads θ (the same array as params in a step)
  for (let i = 0; i < grad.length; i++) {
    const g = grad[i]! * factor;
    const mi = b1 * m[i]! + (1 - b1) * g;
    const vi = b2 * v[i]! + (1 - b2) * g * g;
    m[i] = mi;
    v[i] = vi;
    const u = -lr * (mi / c1 / (Math.sqrt(vi / c2) + eps) + wd * at[i]!);
    grad[i] = u;
    params[i]! += scale === 1 ? u : scale * u;
  }
}
