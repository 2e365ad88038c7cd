import { l2Norm, scaleToNorm } from "../core/norms.js";
import { checkOptions, oneOf, positive } from "../core/options.js";
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
      let largest = 0;
      let afterSq = 0;
      let clipped = false;
      for (const e of ctx.layout.entries) {
        const end = e.offset + e.size;
        const n = l2Norm(grad, e.offset, end);
        if (n > largest) largest = n;
        if (n > c) {
          scaleToNorm(grad, n, c, l2Norm, e.offset, end);
          clipped = true;
          afterSq += c * c;
        } else {
          afterSq += n * n;
        }
      }
      recordClip(state, ctx, largest, before, Math.sqrt(afterSq), clipped, c);
    },
  };
}
