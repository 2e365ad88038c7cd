import type { RunContext } from "./context.js";
import { Rodas4 } from "./rodas4.js";

/**
 * Stiffness test (Hairer): h·λ ≈ h·‖f(y1) − f(ŷ)‖/‖y1 − ŷ‖ from the last two stages, both at
 * t + h. The real stability boundary of DOPRI5 is ≈ 3.3; Hairer flags h·λ > 3.25. On stiff
 * problems the PI controller settles the step a little inside the boundary (h·λ ≈ 2.5–3.2
 * for thousands of steps on Robertson at rtol 1e-8), so "auto" flags h·λ > 2: steps held at
 * 60 % of the boundary are limited by stability, not accuracy. A false switch costs only speed.
 */
const STIFF_HLAMBDA = 2;
/** Consecutive stiff indications before the problem counts as stiff (Hairer: 15). */
const STIFF_COUNT = 15;
/** Non-stiff indications in a row that clear the count (Hairer: 6). */
const NON_STIFF_RESET = 6;
/**
 * At tight tolerances the explicit step is held back by stiff components well before it
 * reaches the stability boundary (Robertson at rtol 1e-12: h·λ ≈ 1, 100 000 steps by t = 37),
 * which the test above cannot see. So "auto" also probes the stiff method every PROBE_EVERY
 * accepted steps: one trial RODAS step of PROBE_FACTOR·h from the current point (not kept);
 * when the step RODAS would then choose is SWITCH_GAIN times the explicit one, twice in a
 * row, the problem counts as stiff (a RODAS step costs about two Dormand–Prince steps).
 */
const PROBE_EVERY = 50;
const PROBE_FACTOR = 20;
const SWITCH_GAIN = 4;
const PROBES_IN_A_ROW = 2;

/** Decides, step by step, whether Dormand–Prince should hand over to RODAS. */
export class StiffnessDetector {
  private readonly ctx: RunContext;
  private readonly rodas: Rodas4 | null;
  private stiffCount = 0;
  private nonStiffCount = 0;
  private probeCount = 0;
  private accepted = 0;

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
    if (den > 0 && h * Math.sqrt(num / den) > STIFF_HLAMBDA) {
      this.nonStiffCount = 0;
      if (++this.stiffCount >= STIFF_COUNT) {
        this.ctx.stiffSeen = true;
        return true;
      }
    } else if (++this.nonStiffCount >= NON_STIFF_RESET) this.stiffCount = 0;
    return false;
  }

  probeDue(): boolean {
    return this.rodas !== null && this.accepted % PROBE_EVERY === 0;
  }

  /** One trial RODAS step from (t, z) (z unchanged); true when RODAS wins twice in a row. */
  probe(t: number, z: Float64Array, h: number, room: number): boolean {
    const rodas = this.rodas!;
    const H = Math.min(PROBE_FACTOR * h, room);
    rodas.prepare(t, z);
    const e = rodas.attempt(z, t, H, t + H);
    const gain = e >= 0 ? Rodas4.proposedStep(H, e) / h : 0; // NaN fails the test too
    if (gain >= SWITCH_GAIN) return ++this.probeCount >= PROBES_IN_A_ROW;
    this.probeCount = 0;
    return false;
  }
}
