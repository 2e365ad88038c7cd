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
  recordClipReading,
} from "./non-finite.js";
import { MIN_NORMAL, normsByTensor, scaleAndMeasure, tensorScratch } from "./tensor-norms.js";
import { inputNorm, type Transform } from "./types.js";

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
      const tensors = ctx.tensorNormsAfter;
      const entries = ctx.layout.entries;
      // With diagnostics, the pass that measures the norm also measures each tensor's (kept
      // aside until the step is known not to be skipped).
      const seen = tensors === null ? null : tensorScratch(entries.length);
      let before =
        seen === null ? inputNorm(grad, ctx, transform) : normsByTensor(grad, entries, seen);
      if (hasNonFinite(before, grad)) {
        if (!handleNonFinite(owner, policy, grad, state, ctx)) return;
        before = seen === null ? l2Norm(grad) : normsByTensor(grad, entries, seen);
      }
      const measured = linf ? lInfNorm(grad) : before;
      const clipped = measured > c;
      let after = before;
      if (clipped) {
        const s = c / measured;
        if (tensors !== null && s >= MIN_NORMAL) {
          // The scaling `scaleToNorm` does for a normal factor (the plain product), with
          // each tensor's norm after it measured in the same pass.
          for (let k = 0; k < entries.length; k++) {
            const e = entries[k]!;
            tensors[k] = scaleAndMeasure(grad, s, e.offset, e.offset + e.size);
          }
        } else {
          scaleToNorm(grad, measured, c, linf ? lInfNorm : l2Norm);
          if (tensors !== null) normsByTensor(grad, entries, tensors);
        }
        // The norm after is before · c/N, unless that is out of range or imprecise (an L2
        // norm that overflowed although every entry is finite, or a subnormal c/N): then
        // measure it.
        after = Number.isFinite(before) && s >= MIN_NORMAL ? before * s : l2Norm(grad);
      } else if (tensors !== null && seen !== null) {
        for (let k = 0; k < entries.length; k++) tensors[k] = seen[k]!; // unchanged by the clip
      }
      recordClipReading(state, ctx, measured, before, after, clipped, c);
    },
  };
  // The L2 form can run fused with a following adam (chain.ts, fused-clip-adam.ts).
  return linf ? transform : describeGlobalNormClip(transform, c);
}
