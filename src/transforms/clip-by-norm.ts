import { l2Norm, scaleToNorm } from "../core/norms.js";
import { checkOptions, oneOf, positive } from "../core/options.js";
import {
  type ClipState,
  handleNonFinite,
  hasNonFinite,
  initClipState,
  NON_FINITE_POLICIES,
  type NonFinitePolicy,
  recordClipReading,
} from "./non-finite.js";
import { MIN_NORMAL, scaleAndMeasure } from "./tensor-norms.js";
import type { Transform } from "./types.js";

export interface ClipByNormOptions {
  /** Threshold c > 0, applied to each tensor of the layout on its own. */
  maxNorm: number;
  onNonFinite?: NonFinitePolicy;
}

/**
 * Clips each tensor (layout entry) k on its own, like Keras `clipnorm`:
 *   g_k ← g_k · c/‖g_k‖₂  if ‖g_k‖₂ > c, else unchanged.
 * The whole-model direction changes and the total norm can reach c·sqrt(K).
 * State `lastNorm` is the largest per-tensor norm seen; the context gets global L2 norms.
 */
export function clipByNorm(options: ClipByNormOptions): Transform<ClipState> {
  const owner = "clipByNorm";
  checkOptions(owner, options, { maxNorm: positive, onNonFinite: oneOf(...NON_FINITE_POLICIES) }, [
    "maxNorm",
  ]);
  const c = options.maxNorm;
  const policy = options.onNonFinite ?? "error";
  return {
    name: `clipByNorm(${c})`,
    init: initClipState,
    update(grad, state, ctx) {
      let before = l2Norm(grad);
      if (hasNonFinite(before, grad)) {
        if (!handleNonFinite(owner, policy, grad, state, ctx)) return;
        before = l2Norm(grad);
      }
      // Each tensor's norm is measured here anyway: the diagnostics' norms after the clip
      // are these (unclipped) or measured in the scaling pass (clipped), never a pass more.
      const tensors = ctx.tensorNormsAfter;
      const entries = ctx.layout.entries;
      let largest = 0;
      let afterSq = 0;
      let clipped = false;
      for (let k = 0; k < entries.length; k++) {
        const e = entries[k]!;
        const end = e.offset + e.size;
        const n = l2Norm(grad, e.offset, end);
        if (n > largest) largest = n;
        let nAfter = n;
        if (n > c) {
          const s = c / n;
          if (tensors !== null && s >= MIN_NORMAL) nAfter = scaleAndMeasure(grad, s, e.offset, end);
          else {
            scaleToNorm(grad, n, c, l2Norm, e.offset, end);
            if (tensors !== null) nAfter = l2Norm(grad, e.offset, end);
          }
          clipped = true;
          afterSq += c * c;
        } else {
          afterSq += n * n;
        }
        if (tensors !== null) tensors[k] = nAfter;
      }
      recordClipReading(state, ctx, largest, before, Math.sqrt(afterSq), clipped, c);
    },
  };
}
