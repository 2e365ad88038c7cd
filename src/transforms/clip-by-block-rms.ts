import type { Layout } from "../core/layout.js";
import { l2Norm, lInfNorm, scaleInPlace } from "../core/norms.js";
import { checkOptions, oneOf, positive } from "../core/options.js";
import { scaleUnitTo, sumSquares } from "./adaptive-math.js";
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

export interface ClipByBlockRmsOptions {
  /** Threshold c > 0 on each tensor's root mean square. */
  threshold: number;
  onNonFinite?: NonFinitePolicy;
}

export interface BlockRmsState extends ClipState {
  /** The threshold in effect: c (fixed), in RMS units. */
  lastThreshold: number;
  /** RMS_k of each layout entry seen in the last completed step (0 for empty entries). */
  rms: Float64Array;
}

/** RMS of x[start, end) as m·sqrt(mean((x/m)²)), m = max |x_i|: finite whenever the RMS is. */
function scaledRms(x: Float64Array, start: number, end: number): number {
  const m = lInfNorm(x, start, end);
  let ss = 0;
  for (let i = start; i < end; i++) {
    const v = x[i]! / m;
    ss += v * v;
  }
  return m * Math.sqrt(ss / (end - start));
}

/**
 * Clips each tensor (layout entry) k by its root mean square, as optax `clip_by_block_rms`
 * (and Adafactor's update clipping):
 *   RMS_k = sqrt(Σ_j g_kj² / n_k);   g_k ← g_k · c/RMS_k  if RMS_k > c, else unchanged
 * i.e. g_k / max(1, RMS_k/c). The threshold is per entry *value*, so it does not depend on
 * the tensor's size: a tensor of n equal entries v has RMS |v| for every n. Unlike optax the
 * test is strict (RMS_k = c leaves g_k bit for bit) and the factor is c/RMS_k (optax divides by
 * RMS_k/c; the two agree to an ulp). `lastNorm` is max_k RMS_k; the context gets global L2 norms.
 */
export function clipByBlockRms(options: ClipByBlockRmsOptions): Transform<BlockRmsState> {
  const owner = "clipByBlockRms";
  checkOptions(
    owner,
    options,
    { threshold: positive, onNonFinite: oneOf(...NON_FINITE_POLICIES) },
    ["threshold"],
  );
  const c = options.threshold;
  const policy = options.onNonFinite ?? "error";
  return {
    name: `clipByBlockRms(${c})`,
    init: (layout: Layout): BlockRmsState => ({
      ...initClipState(),
      lastThreshold: c,
      rms: new Float64Array(layout.entries.length),
    }),
    update(grad, state, ctx) {
      let before = l2Norm(grad);
      if (hasNonFinite(before, grad)) {
        if (!handleNonFinite(owner, policy, grad, state, ctx)) return;
        before = l2Norm(grad);
      }
      const entries = ctx.layout.entries;
      const rms = state.rms;
      let largest = 0;
      let afterSq = 0;
      let clipped = false;
      for (let k = 0; k < entries.length; k++) {
        const e = entries[k]!;
        const n = e.size;
        if (n === 0) {
          rms[k] = 0;
          continue;
        }
        const end = e.offset + n;
        const ss = sumSquares(grad, e.offset, end);
        // sqrt(mean(g²)) as optax computes it; scaled by max |g| when the sum overflows.
        const r = Number.isFinite(ss) ? Math.sqrt(ss / n) : scaledRms(grad, e.offset, end);
        rms[k] = r;
        if (r > largest) largest = r;
        if (r > c) {
          // c/RMS_k = (c·sqrt(n))/‖g_k‖: scale the entry's L2 norm to c·sqrt(n_k).
          const s = c / r;
          if (s >= 2 ** -1022) {
            scaleInPlace(grad, s, e.offset, end);
          } else {
            // A tiny c or a huge RMS: the same ratio, as L2 norms, on the careful path.
            scaleUnitTo(grad, e.offset, n, 1, l2Norm(grad, e.offset, end), c * Math.sqrt(n));
          }
          clipped = true;
          afterSq += c * c * n;
        } else {
          afterSq += ss;
        }
      }
      state.lastThreshold = c;
      recordClip(state, ctx, largest, before, Math.sqrt(afterSq), clipped);
    },
  };
}
