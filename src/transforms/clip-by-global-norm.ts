import { l2Norm, lInfNorm, scaleToNorm } from "../core/norms.js";
import { checkOptions, oneOf, positive } from "../core/options.js";
import { describeGlobalNormClip } from "./fused-registry.js";
import {
  type ClipState,
  handleNonFinite,
  hasNonFinite,
  initClipState,
  NON_FINITE_POLICIES,
  type NonFinitePolicy,
  recordClip,
} from "./non-finite.js";
import type { Transform } from "./types.js";

export interface ClipByGlobalNormOptions {
  /** Threshold c > 0. */
  maxNorm: number;
  /** Which norm of the whole gradient (all parameters as one vector): "l2" (default) or "linf". */
  norm?: "l2" | "linf";
  onNonFinite?: NonFinitePolicy;
}

/**
 * Clips the whole gradient as one vector (Pascanu et al. 2013):
 *   N = ‖g‖ (L2: sqrt(Σ g_i²); L∞: max |g_i|);   g ← g · c/N  if N > c, else unchanged.
 * At N = c exactly nothing changes; after clipping ‖g‖ = c up to rounding; a zero
 * gradient passes through (no 0/0). No ε in the denominator (unlike PyTorch's c/(N+1e-6)),
 * so the clipped norm is c, not slightly below it. See docs/CLIPPING.md.
 */
export function clipByGlobalNorm(options: ClipByGlobalNormOptions): Transform<ClipState> {
  const owner = "clipByGlobalNorm";
  checkOptions(
    owner,
    options,
    { maxNorm: positive, norm: oneOf("l2", "linf"), onNonFinite: oneOf(...NON_FINITE_POLICIES) },
    ["maxNorm"],
  );
  const c = options.maxNorm;
  const linf = options.norm === "linf";
  const policy = options.onNonFinite ?? "error";
  const transform: Transform<ClipState> = {
    name: `clipByGlobalNorm(${linf ? "linf, " : ""}${c})`,
    init: initClipState,
    update(grad, state, ctx) {
      let before = l2Norm(grad);
      if (hasNonFinite(before, grad)) {
        if (!handleNonFinite(owner, policy, grad, state, ctx)) return;
        before = l2Norm(grad);
      }
      const measured = linf ? lInfNorm(grad) : before;
      const clipped = measured > c;
      let after = before;
      if (clipped) {
        scaleToNorm(grad, measured, c, linf ? lInfNorm : l2Norm);
        // The norm after is before · c/N, unless that is out of range or imprecise (an L2
        // norm that overflowed although every entry is finite, or a subnormal c/N): then
        // measure it.
        const s = c / measured;
        after = Number.isFinite(before) && s >= 2 ** -1022 ? before * s : l2Norm(grad);
      }
      recordClip(state, ctx, measured, before, after, clipped, c);
    },
  };
  // The L2 form can run fused with a following adam (chain.ts, fused-clip-adam.ts).
  return linf ? transform : describeGlobalNormClip(transform, c);
}
