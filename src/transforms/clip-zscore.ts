import { l2Norm } from "../core/norms.js";
import {
  boolean,
  type Checker,
  checkOptions,
  nonNegative,
  oneOf,
  positive,
  positiveInteger,
  unitInterval,
} from "../core/options.js";
import { scaleGlobalTo } from "./adaptive-math.js";
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

/** How ZClip picks the threshold on a spike (ZClip's `mode` + `clip_option`). */
export type ZClipMode = "adaptive-scaling" | "mean" | "percentile";

export interface ZClipOptions {
  /** EMA smoothing α in [0, 1): μ ← α·μ + (1 − α)·v (default 0.97). */
  alpha?: number;
  /** z threshold z* > 0: a step is a spike when z = (N − μ)/(σ + ε) > z* (default 2.5). */
  zThreshold?: number;
  /** Hard cap on the norm, in every step, warm-up included (default 1.0); Infinity for none. */
  maxNorm?: number;
  /** ε >= 0 added to σ in the z-score (default 1e-6). */
  eps?: number;
  /** Steps whose norms initialise μ and σ² (default 25); only the cap applies meanwhile. */
  warmupSteps?: number;
  /** "adaptive-scaling" (default): τ = μ + z*²·σ/z; "mean": τ = μ; "percentile": τ = μ + z*·σ whenever N exceeds it. */
  mode?: ZClipMode;
  /** Multiplies τ in "adaptive-scaling" mode (default 1). */
  clipFactor?: number;
  /** Leave μ and σ² unchanged on spike steps (ZClip's `skip_update_on_spike`; default false). */
  freezeStatsOnSpike?: boolean;
  onNonFinite?: NonFinitePolicy;
}

export interface ZClipState extends ClipState {
  /** The threshold in effect in the last completed step: min(τ, maxNorm) on a spike, else maxNorm. NaN before any step. */
  lastThreshold: number;
  /** z-score of the last completed step after warm-up (NaN during warm-up). */
  lastZ: number;
  /** Finite norms collected during warm-up (first `warmupCount` slots). */
  warmup: Float64Array;
  warmupCount: number;
  /** EMA mean μ and variance σ² of the norm; NaN until warm-up ends. */
  mean: number;
  variance: number;
  /** Steps after warm-up that were spikes (threshold τ in effect). */
  spikes: number;
}

const capChecker: Checker = (v) =>
  typeof v === "number" && v > 0 ? null : "a number > 0 (Infinity for no cap)";

/**
 * ZClip (Kumar, Owen, Roy Chowdhury & Güra 2025, arXiv 2504.02507; reference code
 * `bluorion-com/ZClip`): a global L2 clip whose threshold tracks an exponential moving
 * average of the gradient norm and clips only spikes.
 *
 *   warm-up (first W finite norms): clip at maxNorm; then μ = mean, σ² = population variance.
 *   after:  z = (N − μ)/(σ + ε);   spike when z > z*;
 *           τ = (μ + z*·σ/(z/z*))·clipFactor = μ + z*²σ/z   ("adaptive-scaling"), μ ("mean");
 *           c = min(τ, maxNorm) on a spike, else maxNorm;   g ← g·c/N  if N > c;
 *           v = τ on a spike, else N;   μ ← αμ + (1−α)v;   σ² ← ασ² + (1−α)(v − μ)²  (new μ).
 *   "percentile" mode: τ = μ + z*·σ, a spike whenever N > τ.
 * As the reference code, the EMA is fed the clipped value τ (not the cap) and the cap
 * applies in every step. Differences: the clip is biograd's (strict N > c, factor c/N; the
 * reference uses c/(N + 1e-6)), and statistics are never poisoned: a step whose gradient held
 * NaN/±Infinity ("zero" policy: clipped with the current statistics) or whose norm overflowed
 * changes neither the warm-up buffer nor μ, σ²; a skipped step changes nothing.
 */
export function zClip(options: ZClipOptions = {}): Transform<ZClipState> {
  const owner = "zClip";
  checkOptions(owner, options, {
    alpha: unitInterval,
    zThreshold: positive,
    maxNorm: capChecker,
    eps: nonNegative,
    warmupSteps: positiveInteger,
    mode: oneOf("adaptive-scaling", "mean", "percentile"),
    clipFactor: positive,
    freezeStatsOnSpike: boolean,
    onNonFinite: oneOf(...NON_FINITE_POLICIES),
  });
  const alpha = options.alpha ?? 0.97;
  const zT = options.zThreshold ?? 2.5;
  const cap = options.maxNorm ?? 1;
  const eps = options.eps ?? 1e-6;
  const warmupSteps = options.warmupSteps ?? 25;
  const mode = options.mode ?? "adaptive-scaling";
  const clipFactor = options.clipFactor ?? 1;
  const freeze = options.freezeStatsOnSpike ?? false;
  const policy = options.onNonFinite ?? "error";
  return {
    name: `zClip(${mode}, z ${zT}, alpha ${alpha}, cap ${cap})`,
    init: (): ZClipState => ({
      ...initClipState(),
      lastThreshold: Number.NaN,
      lastZ: Number.NaN,
      warmup: new Float64Array(warmupSteps),
      warmupCount: 0,
      mean: Number.NaN,
      variance: Number.NaN,
      spikes: 0,
    }),
    update(grad, state, ctx) {
      let before = l2Norm(grad);
      // A gradient a guard zeroed earlier in this step is no sample of the norm distribution.
      let record = Number.isFinite(before) && ctx.nonFiniteZeroed === 0;
      if (!record && hasNonFinite(before, grad)) {
        if (!handleNonFinite(owner, policy, grad, state, ctx)) return;
        before = l2Norm(grad);
        record = false; // a zeroed gradient is not a sample of the norm distribution
      }
      let c = cap;
      if (state.warmupCount < warmupSteps) {
        state.lastZ = Number.NaN;
        if (record) {
          state.warmup[state.warmupCount++] = before;
          if (state.warmupCount === warmupSteps) initialise(state);
        }
      } else {
        const mu = state.mean;
        const std = Math.sqrt(state.variance);
        const z = (before - mu) / (std + eps);
        state.lastZ = z;
        let spike: boolean;
        let tau = Number.NaN;
        if (mode === "percentile") {
          tau = mu + zT * std;
          spike = before > tau;
        } else {
          spike = z > zT;
          if (spike) tau = mode === "mean" ? mu : (mu + (zT * std) / (z / zT)) * clipFactor;
        }
        if (spike) {
          state.spikes++;
          if (tau < c) c = tau;
        }
        if (record && !(spike && freeze)) {
          const v = spike ? tau : before;
          const m = alpha * mu + (1 - alpha) * v;
          state.mean = m;
          const d = v - m;
          state.variance = alpha * state.variance + (1 - alpha) * (d * d);
        }
      }
      const clipped = before > c;
      const after = clipped ? scaleGlobalTo(grad, before, c) : before;
      state.lastThreshold = c;
      recordClip(state, ctx, before, before, after, clipped);
    },
  };
}

/** μ and σ² of the warm-up norms, summed in order (as the reference's `sum(buffer)/len`). */
function initialise(state: ZClipState): void {
  const w = state.warmup;
  const n = state.warmupCount;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += w[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = w[i]! - mean;
    ss += d * d;
  }
  state.mean = mean;
  state.variance = ss / n;
}
