import { OptionError } from "../core/errors.js";
import type { Entry } from "../core/layout.js";
import { l2Norm } from "../core/norms.js";
import { checkOptions, finite, oneOf, positive } from "../core/options.js";
import { describeValueClip } from "./fused-registry.js";
import {
  type ClipState,
  handleNonFinite,
  hasNonFinite,
  initClipState,
  NON_FINITE_POLICIES,
  type NonFinitePolicy,
  recordClipReading,
} from "./non-finite.js";
import { inputNorm, type Transform } from "./types.js";

export interface ClipByValueOptions {
  /** Upper bound b; with no `min`, the range is symmetric [−max, max] (the seed's ±α). */
  max: number;
  /** Lower bound a (default −max). */
  min?: number;
  onNonFinite?: NonFinitePolicy;
}

/**
 * The seed's element-wise clip: g_i ← clip(g_i, a, b) = max(min(g_i, b), a).
 * Changes the gradient's direction. Idempotent. Non-finite entries go to the shared
 * policy first, so ±Infinity is never turned into a plausible ±b.
 * Records the global L2 norm before and after, and whether any entry moved.
 */
export function clipByValue(options: ClipByValueOptions): Transform<ClipState> {
  const owner = "clipByValue";
  checkOptions(
    owner,
    options,
    { max: finite, min: finite, onNonFinite: oneOf(...NON_FINITE_POLICIES) },
    ["max"],
  );
  if (options.min === undefined && positive(options.max) !== null) {
    throw new OptionError(owner, "max", options.max, "a finite number > 0");
  }
  const b = options.max;
  const a = options.min ?? -b;
  if (!(a < b)) throw new OptionError(owner, "min", a, `a finite number < max (${b})`);
  const policy = options.onNonFinite ?? "error";
  const clip: Transform<ClipState> = {
    name: `clipByValue(${a}, ${b})`,
    init: initClipState,
    update(grad, state, ctx) {
      let before = inputNorm(grad, ctx, clip);
      if (hasNonFinite(before, grad)) {
        if (!handleNonFinite(owner, policy, grad, state, ctx)) return;
        before = l2Norm(grad);
      }
      const tensors = ctx.tensorNormsAfter;
      const moved =
        tensors === null
          ? clipElements(grad, a, b, sums)
          : clipByTensor(grad, a, b, ctx.layout.entries, tensors, sums);
      recordClipReading(state, ctx, sums[1]!, before, Math.sqrt(sums[0]!), moved, b);
    },
  };
  return describeValueClip(clip, { min: a, max: b });
}

/** [Σ clipped², max |g|] handed back by the element loops, allocated once. */
const sums = new Float64Array(2);

/**
 * g_i ← max(min(g_i, b), a) in place; returns whether any entry moved. A module-level
 * function, not a loop inside `update`: V8 deoptimised that closure's loop on every call
 * (bench/CLIP-OVERHEAD.md: ~4,600 GCs per 300 steps, 5–8× slower than the global clip).
 */
function clipElements(grad: Float64Array, a: number, b: number, out: Float64Array): boolean {
  let ss = 0;
  let moved = false;
  let maxAbs = 0;
  for (let i = 0; i < grad.length; i++) {
    const v = grad[i]!;
    const av = Math.abs(v);
    if (av > maxAbs) maxAbs = av;
    const c = Math.max(Math.min(v, b), a); // the seed's clip(x, a, b)
    if (c !== v) {
      grad[i] = c;
      moved = true;
    }
    ss += c * c;
  }
  out[0] = ss;
  out[1] = maxAbs;
  return moved;
}

/**
 * The same clip, also writing each tensor's L2 norm after the clip into `tensors` (the
 * diagnostics) from the squares the clip sums anyway: no second pass. The global sum takes
 * the same terms in the same order as `clipElements`, each tensor's sum starts from 0 as
 * `l2Norm` of its range does (and is rescaled, as there, if it overflows): bit-identical.
 */
function clipByTensor(
  grad: Float64Array,
  a: number,
  b: number,
  entries: readonly Entry[],
  tensors: Float64Array,
  out: Float64Array,
): boolean {
  let ss = 0;
  let moved = false;
  let maxAbs = 0;
  for (let k = 0; k < entries.length; k++) {
    const e = entries[k]!;
    const end = e.offset + e.size;
    let own = 0;
    for (let i = e.offset; i < end; i++) {
      const v = grad[i]!;
      const av = Math.abs(v);
      if (av > maxAbs) maxAbs = av;
      const c = Math.max(Math.min(v, b), a);
      if (c !== v) {
        grad[i] = c;
        moved = true;
      }
      ss += c * c;
      own += c * c;
    }
    tensors[k] = own === Number.POSITIVE_INFINITY ? l2Norm(grad, e.offset, end) : Math.sqrt(own);
  }
  out[0] = ss;
  out[1] = maxAbs;
  return moved;
}
