import {
  beforeStep,
  initialStep,
  MAX_NON_FINITE_IN_A_ROW,
  nonFiniteError,
  type RunContext,
} from "./context.js";
import { errorNorm } from "./norm.js";
import type { DenseOutput } from "./output.js";
import type { Rodas4 } from "./rodas4.js";
import { StiffnessDetector } from "./stiffness.js";

// Dormand–Prince 5(4) (Hairer, Nørsett & Wanner, "Solving ODEs I", II.5, and Hairer's DOPRI5
// code): FSAL, PI step control, Shampine's 4th-order dense output, and Hairer's stiffness
// test. Written here on purpose: no maintained JavaScript solver integrates forward
// sensitivities, and none offers stiffness detection to hand over to a stiff method.
const C2 = 0.2,
  C3 = 0.3,
  C4 = 0.8,
  C5 = 8 / 9;
const A21 = 0.2;
const A31 = 3 / 40,
  A32 = 9 / 40;
const A41 = 44 / 45,
  A42 = -56 / 15,
  A43 = 32 / 9;
const A51 = 19372 / 6561,
  A52 = -25360 / 2187,
  A53 = 64448 / 6561,
  A54 = -212 / 729;
const A61 = 9017 / 3168,
  A62 = -355 / 33,
  A63 = 46732 / 5247,
  A64 = 49 / 176,
  A65 = -5103 / 18656;
const A71 = 35 / 384,
  A73 = 500 / 1113,
  A74 = 125 / 192,
  A75 = -2187 / 6784,
  A76 = 11 / 84;
const E1 = 71 / 57600,
  E3 = -71 / 16695,
  E4 = 71 / 1920,
  E5 = -17253 / 339200,
  E6 = 22 / 525,
  E7 = -1 / 40;
const D1 = -12715105075 / 11282082432,
  D3 = 87487479700 / 32700410799;
const D4 = -10690763975 / 1880347072,
  D5 = 701980252875 / 199316789632;
const D6 = -1453857185 / 822651844,
  D7 = 69997945 / 29380423;

// Step-size control (Hairer's defaults): PI controller with β = 0.04, 0.2 ≤ hnew/h ≤ 10.
const BETA = 0.04;
const EXPO1 = 0.2 - BETA * 0.75;
const SAFE = 0.9;
const FACC1 = 1 / 0.2;
const FACC2 = 1 / 10;

export interface SegmentEnd {
  t: number;
  /** Step size suggested for the next step. */
  h: number;
  /**
   * True when the method stopped early because "auto" should change method here: Dormand–Prince
   * found the problem stiff, or RODAS found it no longer stiff.
   */
  switchMethod: boolean;
}

export class Dopri5 implements DenseOutput {
  private readonly ctx: RunContext;
  private k1: Float64Array;
  private readonly k2: Float64Array;
  private readonly k3: Float64Array;
  private readonly k4: Float64Array;
  private readonly k5: Float64Array;
  private readonly k6: Float64Array;
  private k7: Float64Array;
  private readonly y1: Float64Array;
  private readonly ysti: Float64Array;
  private readonly err: Float64Array;
  private readonly r1: Float64Array;
  private readonly r2: Float64Array;
  private readonly r3: Float64Array;
  private readonly r4: Float64Array;
  private readonly r5: Float64Array;
  /** The stiff method, for the probe in "auto" mode (shared with the driver). */
  private readonly probe: Rodas4 | null;
  private xold = 0;
  private hold = 1;

  constructor(ctx: RunContext, probe: Rodas4 | null) {
    this.ctx = ctx;
    this.probe = probe;
    const N = ctx.aug.N;
    const v = () => new Float64Array(N);
    this.k1 = v();
    this.k2 = v();
    this.k3 = v();
    this.k4 = v();
    this.k5 = v();
    this.k6 = v();
    this.k7 = v();
    this.y1 = v();
    this.ysti = v();
    this.err = v();
    this.r1 = v();
    this.r2 = v();
    this.r3 = v();
    this.r4 = v();
    this.r5 = v();
  }

  /**
   * Advances z in place from t to tEnd (exactly), writing the output times on the way.
   * With detectStiffness, returns early (switchMethod: true) at the step where the test fires.
   */
  run(
    z: Float64Array,
    t: number,
    tEnd: number,
    hGuess: number,
    detectStiffness: boolean,
  ): SegmentEnd {
    const { ctx, k2, k3, k4, k5, k6, y1, ysti, err } = this;
    const { aug, rtol, atol, stats } = this.ctx;
    const N = aug.N;
    const n = aug.n;
    let k1 = this.k1;
    const hmax = tEnd - t;
    aug.rhs(t, z, k1);
    let h = hGuess > 0 ? Math.min(hGuess, hmax) : initialStep(ctx, t, z, k1, hmax, 5, k2, k3);
    let facold = 1e-4;
    let rejectedLast = false;
    let nonFinite = 0;
    const detector = new StiffnessDetector(ctx, detectStiffness ? this.probe : null);
    while (t < tEnd) {
      let last = false;
      if (t + 1.01 * h >= tEnd) {
        h = tEnd - t;
        last = true;
      }
      beforeStep(ctx, t, h, "dopri5", nonFinite > 0);
      for (let i = 0; i < N; i++) y1[i] = z[i]! + h * A21 * k1[i]!;
      aug.rhs(t + C2 * h, y1, k2);
      for (let i = 0; i < N; i++) y1[i] = z[i]! + h * (A31 * k1[i]! + A32 * k2[i]!);
      aug.rhs(t + C3 * h, y1, k3);
      for (let i = 0; i < N; i++) y1[i] = z[i]! + h * (A41 * k1[i]! + A42 * k2[i]! + A43 * k3[i]!);
      aug.rhs(t + C4 * h, y1, k4);
      for (let i = 0; i < N; i++) {
        y1[i] = z[i]! + h * (A51 * k1[i]! + A52 * k2[i]! + A53 * k3[i]! + A54 * k4[i]!);
      }
      aug.rhs(t + C5 * h, y1, k5);
      for (let i = 0; i < N; i++) {
        ysti[i] =
          z[i]! + h * (A61 * k1[i]! + A62 * k2[i]! + A63 * k3[i]! + A64 * k4[i]! + A65 * k5[i]!);
      }
      const tNew = last ? tEnd : t + h;
      aug.rhs(tNew, ysti, k6);
      for (let i = 0; i < N; i++) {
        y1[i] =
          z[i]! + h * (A71 * k1[i]! + A73 * k3[i]! + A74 * k4[i]! + A75 * k5[i]! + A76 * k6[i]!);
      }
      const k7 = this.k7;
      aug.rhs(tNew, y1, k7);
      for (let i = 0; i < N; i++) {
        err[i] =
          h * (E1 * k1[i]! + E3 * k3[i]! + E4 * k4[i]! + E5 * k5[i]! + E6 * k6[i]! + E7 * k7[i]!);
      }
      const e = errorNorm(err, z, y1, rtol, atol, ctx.controlled);
      if (Number.isNaN(e)) {
        // An overflow in a too-long trial step: shrink hard and retry, up to a limit.
        if (++nonFinite > MAX_NON_FINITE_IN_A_ROW) throw nonFiniteError(t, "dopri5");
        stats.rejected++;
        h *= 0.1;
        rejectedLast = true;
        continue;
      }
      nonFinite = 0;
      const fac11 = e ** EXPO1;
      let fac = fac11 / facold ** BETA;
      fac = Math.max(FACC2, Math.min(FACC1, fac / SAFE));
      let hNew = h / fac;
      if (e > 1) {
        stats.rejected++;
        h = h / Math.min(FACC1, fac11 / SAFE);
        rejectedLast = true;
        continue;
      }
      stats.steps++;
      facold = Math.max(e, 1e-4);
      let stiff = detector.afterStep(h, k6, k7, ysti, y1, n);
      if (detectStiffness && !last && detector.probeDue()) {
        stiff = detector.probe(tNew, y1, h, tEnd - tNew) || stiff;
      }
      if (ctx.out.needsDense(tNew, tEnd)) this.prepareDense(z, y1, k1, k3, k4, k5, k6, k7, t, h);
      z.set(y1);
      // FSAL: the last stage is the first of the next step.
      this.k7 = k1;
      this.k1 = k7;
      k1 = k7;
      t = tNew;
      ctx.out.afterStep(t, tEnd, z, this);
      if (rejectedLast) hNew = Math.min(hNew, h);
      rejectedLast = false;
      h = Math.min(hNew, hmax);
      if (stiff && detectStiffness && t < tEnd) {
        return { t, h, switchMethod: true };
      }
    }
    return { t: tEnd, h, switchMethod: false };
  }

  private prepareDense(
    z: Float64Array,
    y1: Float64Array,
    k1: Float64Array,
    k3: Float64Array,
    k4: Float64Array,
    k5: Float64Array,
    k6: Float64Array,
    k7: Float64Array,
    t: number,
    h: number,
  ): void {
    const { r1, r2, r3, r4, r5 } = this;
    for (let i = 0; i < z.length; i++) {
      const dy = y1[i]! - z[i]!;
      const bspl = h * k1[i]! - dy;
      r1[i] = z[i]!;
      r2[i] = dy;
      r3[i] = bspl;
      r4[i] = dy - h * k7[i]! - bspl;
      r5[i] =
        h * (D1 * k1[i]! + D3 * k3[i]! + D4 * k4[i]! + D5 * k5[i]! + D6 * k6[i]! + D7 * k7[i]!);
    }
    this.xold = t;
    this.hold = h;
  }

  evaluate(t: number, out: Float64Array): void {
    const s = (t - this.xold) / this.hold;
    const s1 = 1 - s;
    const { r1, r2, r3, r4, r5 } = this;
    for (let i = 0; i < out.length; i++) {
      out[i] = r1[i]! + s * (r2[i]! + s1 * (r3[i]! + s * (r4[i]! + s1 * r5[i]!)));
    }
  }
}
