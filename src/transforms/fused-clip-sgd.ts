import type { Entry } from "../core/layout.js";
import { l2Norm } from "../core/norms.js";
import { addUpdate } from "./fused-apply.js";
import type { FusedTail } from "./fused-clip-adam.js";
import { sgdShape, valueClipShape } from "./fused-registry.js";
import { recordClipReading } from "./non-finite.js";
import type { SgdState } from "./optimizers.js";
import type { AnyTransform } from "./types.js";

/**
 * A chain that ends in [clipByValue, sgd without momentum] — the seed's step — run as one
 * pass over the gradient instead of three (the clip, SGD's −lr·g, the trainer's
 * `params += update`), measuring the clipped gradient's norm (and each tensor's, when the
 * diagnostics ask) in the same pass. For a two-parameter model the passes cost more in loop
 * and call overhead than in arithmetic: this is most of a seed step's bookkeeping.
 *
 * Bit for bit the unfused chain: each entry goes through clip-by-value.ts's expression, the
 * value the clip leaves in the buffer (the entry itself unless the clip changed it, so −0
 * stays −0) through SGD's −lr·g, and the result through step.ts's update; the squares are
 * summed in the same order, the readings recorded by the same `recordClipReading`. The pair
 * runs unfused, through the transforms themselves, for a non-finite gradient norm (the clip's
 * non-finite policy) and for bounds so large that a sum of clipped squares could overflow
 * (where the clip rescales from the clipped entries, which the fused pass has overwritten).
 */
export function fusedValueSgdTail(transforms: readonly AnyTransform[]): FusedTail | null {
  const at = transforms.length - 2;
  if (at < 0) return null;
  const clip = transforms[at]!;
  const opt = transforms[at + 1]!;
  const clipShape = valueClipShape(clip);
  const shape = sgdShape(opt);
  if (clipShape === undefined || shape === undefined) return null;
  const { min: a, max: b } = clipShape;
  const bound = Math.max(Math.abs(a), Math.abs(b));
  const { schedule } = shape;
  return {
    at,
    /** `norm`: ‖grad‖₂ if the caller knows it (NaN if not); returns the norm the clip saw. */
    run(grad, clipState, optState, ctx, params, scale, norm) {
      const sgdState = optState as SgdState;
      const n = Number.isNaN(norm) ? l2Norm(grad) : norm;
      if (!Number.isFinite(n) || !(bound * bound * grad.length < Number.MAX_VALUE)) {
        ctx.knownNorm = n;
        ctx.knownNormOf = clip;
        clip.update(grad, clipState, ctx);
        ctx.knownNorm = Number.NaN;
        ctx.knownNormOf = null;
        if (ctx.skip) return n;
        opt.update(grad, sgdState, ctx);
        if (!ctx.skip) addUpdate(params, grad, scale);
        return n;
      }
      const lr = schedule(sgdState.count);
      sgdState.count++;
      const tensors = ctx.tensorNormsAfter;
      const moved =
        tensors === null
          ? valueSgdPass(grad, params, a, b, lr, scale, sums)
          : valueSgdByTensor(grad, params, a, b, lr, scale, ctx.layout.entries, tensors, sums);
      recordClipReading(clipState, ctx, sums[1]!, n, Math.sqrt(sums[0]!), moved, b);
      ctx.lr = lr;
      return n;
    },
  };
}

/** [Σ clipped², max |g|] handed back by the passes, allocated once. */
const sums = new Float64Array(2);

/**
 * c = clip(g_i), u = −lr·(the buffer's value after the clip), g_i ← u, θ_i += scale·u, for
 * every entry; Σ c² and max |g| into `out`. Returns whether the clip changed an entry.
 * Module-level, not a closure (clip-by-value.ts: a closure's loop was deoptimised per call).
 */
function valueSgdPass(
  grad: Float64Array,
  params: Float64Array,
  a: number,
  b: number,
  lr: number,
  scale: number,
  out: Float64Array,
): boolean {
  let ss = 0;
  let maxAbs = 0;
  let moved = false;
  for (let i = 0; i < grad.length; i++) {
    const v = grad[i]!;
    const av = Math.abs(v);
    if (av > maxAbs) maxAbs = av;
    const c = Math.max(Math.min(v, b), a);
    let kept = v;
    if (c !== v) {
      kept = c;
      moved = true;
    }
    ss += c * c;
    const u = -lr * kept;
    grad[i] = u;
    params[i]! += scale === 1 ? u : scale * u;
  }
  out[0] = ss;
  out[1] = maxAbs;
  return moved;
}

/**
 * The same pass, also writing each tensor's L2 norm after the clip into `tensors`: its own
 * sum starts from 0, as `l2Norm` of its range does, over the same squares in the same order
 * (the bound keeps every sum finite, so `l2Norm`'s rescaling never applies).
 */
function valueSgdByTensor(
  grad: Float64Array,
  params: Float64Array,
  a: number,
  b: number,
  lr: number,
  scale: number,
  entries: readonly Entry[],
  tensors: Float64Array,
  out: Float64Array,
): boolean {
  let ss = 0;
  let maxAbs = 0;
  let moved = false;
  for (let k = 0; k < entries.length; k++) {
    const e = entries[k]!;
    const end = e.offset + e.size;
    let own = 0;
    for (let i = e.offset; i < end; i++) {
      const v = grad[i]!;
      const av = Math.abs(v);
      if (av > maxAbs) maxAbs = av;
      const c = Math.max(Math.min(v, b), a);
      let kept = v;
      if (c !== v) {
        kept = c;
        moved = true;
      }
      ss += c * c;
      own += c * c;
      const u = -lr * kept;
      grad[i] = u;
      params[i]! += scale === 1 ? u : scale * u;
    }
    tensors[k] = Math.sqrt(own);
  }
  out[0] = ss;
  out[1] = maxAbs;
  return moved;
}
