import type { RunContext } from "./context.js";
import type { Rodas4 } from "./rodas4.js";

/**
 * Stiffness test (Hairer's DOPRI5): h·ρ ≈ h·‖f(y1) − f(ŷ)‖/‖y1 − ŷ‖ from the last two stages,
 * both at t + h (ρ estimates the dominant eigenvalue's modulus). The real stability boundary of
 * DOPRI5 is ≈ 3.3; Hairer flags h·ρ > 3.25, and only when it happens STIFF_COUNT accepted steps
 * in a row (non-stiff steps in between reset the count after NON_STIFF_RESET of them), so a
 * single large step of a non-stiff problem never switches.
 */
const STIFF_HLAMBDA = 3.25;
/** Consecutive stiff indications before the problem counts as stiff (Hairer: 15). */
const STIFF_COUNT = 15;
/** Non-stiff indications in a row that clear the count (Hairer: 6). */
const NON_STIFF_RESET = 6;
/**
 * At tight tolerances the explicit step of a stiff problem is held back by the stiff
 * components before it reaches the stability boundary (Robertson at rtol 1e-12: h·ρ ≈ 1,
 * 100 000 steps by t = 37), which the test above cannot see. So "auto" also probes the stiff
 * method every PROBE_EVERY accepted steps, but only while h·ρ ≥ PROBE_MIN_HLAMBDA (the step is
 * within a factor ~6 of the stability boundary; an accuracy-limited non-stiff step such as
 * Lotka–Volterra's has h·ρ ≈ 0.05): one trial RODAS step of PROBE_FACTOR·h from the current
 * point (not kept). When RODAS passes its error test on that 20× longer step twice in a row, the
 * problem counts as stiff (a RODAS step costs a few Dormand–Prince steps, so 20× pays).
 */
const PROBE_EVERY = 50;
const PROBE_MIN_HLAMBDA = 0.5;
const PROBE_FACTOR = 20;
const SWITCH_GAIN = 3;
const PROBES_IN_A_ROW = 2;
/** RODAS's safety factor, as in its step-size controller. */
const SAFE = 0.9;
/**
 * Switching back (as LSODA does from BDF to Adams): after an accepted RODAS step of size h,
 * ρ̄ = min(‖J‖₁, ‖J‖∞) in the error weights (jacobianBound) bounds the spectral radius of the Jacobian at the step start, so the
 * explicit method would be stable with steps up to ≈ 3.3/ρ̄. When h·ρ̄ ≤ BACK_HLAMBDA (the
 * stiff method's accuracy-limited step is 5× inside that bound, LSODA's ratio) on BACK_COUNT
 * accepted steps in a row, the problem is no longer stiff there: Dormand–Prince takes over,
 * and its own test hands back if the stiffness returns.
 */
const BACK_HLAMBDA = 3.3 / 5;
const BACK_COUNT = 15;

/** Decides, step by step, whether Dormand–Prince should hand over to RODAS. */
export class StiffnessDetector {
  private readonly ctx: RunContext;
  private readonly rodas: Rodas4 | null;
  private stiffCount = 0;
  private nonStiffCount = 0;
  private probeCount = 0;
  private accepted = 0;
  private lastHLambda = 0;

  /** `rodas` is the stiff method to probe ("auto" mode), or null for Hairer's test alone. */
  constructor(ctx: RunContext, rodas: Rodas4 | null) {
    this.ctx = ctx;
    this.rodas = rodas;
  }

  /**
   * Hairer's test after an accepted step of size h: k6 = f(ŷ) and k7 = f(y1), both at t + h,
   * over the first n (state) components. Also marks the run as stiff-looking for messages.
   */
  afterStep(
    h: number,
    k6: Float64Array,
    k7: Float64Array,
    ysti: Float64Array,
    y1: Float64Array,
    n: number,
  ): boolean {
    this.accepted++;
    let num = 0;
    let den = 0;
    for (let i = 0; i < n; i++) {
      num += (k7[i]! - k6[i]!) ** 2;
      den += (y1[i]! - ysti[i]!) ** 2;
    }
    const hLambda = den > 0 ? h * Math.sqrt(num / den) : 0;
    this.lastHLambda = hLambda;
    if (hLambda > STIFF_HLAMBDA) {
      this.nonStiffCount = 0;
      if (++this.stiffCount >= STIFF_COUNT) {
        this.ctx.stiffSeen = true;
        return true;
      }
    } else if (++this.nonStiffCount >= NON_STIFF_RESET) this.stiffCount = 0;
    return false;
  }

  /** A probe of the stiff method is due: "auto" mode, every PROBE_EVERY steps, near the bound. */
  probeDue(): boolean {
    if (this.rodas === null || this.accepted % PROBE_EVERY !== 0) return false;
    if (this.lastHLambda >= PROBE_MIN_HLAMBDA) return true;
    this.probeCount = 0;
    return false;
  }

  /** One trial RODAS step of 20·h from (t, z) (z unchanged); true when it passes twice in a row. */
  probe(t: number, z: Float64Array, h: number, room: number): boolean {
    const rodas = this.rodas!;
    const H = Math.min(PROBE_FACTOR * h, room);
    rodas.prepare(t, z);
    const e = rodas.attempt(z, t, H, t + H);
    // the step RODAS would take next (its asymptotic controller, unclipped), in units of h
    const gain = e >= 0 ? (SAFE * H) / (e ** 0.25 * h) : 0; // NaN fails too
    if (gain >= SWITCH_GAIN) return ++this.probeCount >= PROBES_IN_A_ROW;
    this.probeCount = 0;
    return false;
  }
}

/** Decides, step by step, whether RODAS should hand back to Dormand–Prince ("auto" mode). */
export class NonStiffnessDetector {
  private count = 0;

  private readonly ctx: RunContext;

  constructor(ctx: RunContext) {
    this.ctx = ctx;
  }

  /** After an accepted RODAS step of size h from y, with the Jacobian J (n×n) at y. */
  afterStep(h: number, J: Float64Array, y: Float64Array, n: number): boolean {
    const { rtol, atol } = this.ctx;
    if (h * jacobianBound(J, n, y, rtol, atol) <= BACK_HLAMBDA) {
      return ++this.count >= BACK_COUNT;
    }
    this.count = 0;
    return false;
  }
}

/**
 * min(‖D⁻¹JD‖₁, ‖D⁻¹JD‖∞) with D = diag(atol + rtol·|y_i|), the error weights (as LSODA's
 * weighted Jacobian norm): a bound on the spectral radius of J (every induced norm of a similar
 * matrix is one), and the weights keep a large entry between states of very different size
 * from hiding a small eigenvalue.
 */
export function jacobianBound(
  J: Float64Array,
  n: number,
  y: Float64Array,
  rtol: number,
  atol: number,
): number {
  let rows = 0;
  let cols = 0;
  for (let i = 0; i < n; i++) {
    const wi = atol + rtol * Math.abs(y[i]!);
    let r = 0;
    let c = 0;
    for (let j = 0; j < n; j++) {
      const wj = atol + rtol * Math.abs(y[j]!);
      r += (Math.abs(J[i * n + j]!) * wj) / wi;
      c += (Math.abs(J[j * n + i]!) * wi) / wj;
    }
    rows = Math.max(rows, r);
    cols = Math.max(cols, c);
  }
  return Math.min(rows, cols);
}
