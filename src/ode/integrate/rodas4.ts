import {
  beforeStep,
  initialStep,
  MAX_NON_FINITE_IN_A_ROW,
  nonFiniteError,
  type RunContext,
} from "./context.js";
import type { SegmentEnd } from "./dopri5.js";
import { formatTime, IntegrationError } from "./errors.js";
import { luFactor } from "./lu.js";
import { errorNorm } from "./norm.js";
import type { DenseOutput } from "./output.js";
import { NonStiffnessDetector } from "./stiffness.js";

// RODAS4: the stiffly accurate, L-stable Rosenbrock method of order 4(3) with 6 stages
// (Hairer & Wanner, "Solving ODEs II", IV.7; coefficients of Hairer's RODAS, METH = 1), with
// its 3rd-order continuous extension. Written here on purpose: JavaScript has no maintained
// stiff solver and none with sensitivities. Each stage solves
//   (I/(γh) − J) k_i = f(t + c_i h, z + Σ a_ij k_j) + Σ (c_ij / h) k_j + h d_i ∂f/∂t
// with the exact Jacobian J at the step start; the new point is z + Σ a_6j k_j + k_6 and
// k_6 itself is the local error estimate (stiffly accurate pair).
const GAMMA = 0.25;
const C2 = 0.386,
  C3 = 0.21,
  C4 = 0.63;
const D1 = 0.25,
  D2 = -0.1043,
  D3 = 0.1035,
  D4 = -0.3620000000000023e-1;
const A21 = 0.1544e1;
const A31 = 0.9466785280815826,
  A32 = 0.2557011698983284;
const A41 = 0.3314825187068521e1,
  A42 = 0.2896124015972201e1,
  A43 = 0.9986419139977817;
const A51 = 0.1221224509226641e1,
  A52 = 0.6019134481288629e1;
const A53 = 0.1253708332932087e2,
  A54 = -0.687886036105895;
const C21 = -0.56688e1;
const C31 = -0.2430093356833875e1,
  C32 = -0.2063599157091915;
const C41 = -0.1073529058151375,
  C42 = -0.9594562251023355e1,
  C43 = -0.2047028614809616e2;
const C51 = 0.7496443313967647e1,
  C52 = -0.1024680431464352e2;
const C53 = -0.3399990352819905e2,
  C54 = 0.117089089320616e2;
const C61 = 0.8083246795921522e1,
  C62 = -0.7981132988064893e1,
  C63 = -0.3152159432874371e2;
const C64 = 0.1631930543123136e2,
  C65 = -0.6058818238834054e1;
const DD21 = 0.1012623508344586e2,
  DD22 = -0.7487995877610167e1,
  DD23 = -0.3480091861555747e2;
const DD24 = -0.7992771707568823e1,
  DD25 = 0.1025137723295662e1;
const DD31 = -0.6762803392801253,
  DD32 = 0.6087714651680015e1,
  DD33 = 0.1643084320892478e2;
const DD34 = 0.2476722511418386e2,
  DD35 = -0.6594389125716872e1;

// Step-size control (Hairer's RODAS defaults): 0.2 ≤ hnew/h ≤ 6, safety 0.9, with
// Gustafsson's predictive controller after accepted steps.
const SAFE = 0.9;
const FAC1 = 5;
const FAC2 = 1 / 6;
const MAX_SINGULAR_IN_A_ROW = 5;

export class Rodas4 implements DenseOutput {
  private readonly ctx: RunContext;
  private readonly k1: Float64Array;
  private readonly k2: Float64Array;
  private readonly k3: Float64Array;
  private readonly k4: Float64Array;
  private readonly k5: Float64Array;
  private readonly k6: Float64Array;
  private readonly f: Float64Array;
  private readonly ft: Float64Array;
  private readonly ytmp: Float64Array;
  private readonly ynew: Float64Array;
  private readonly f0: Float64Array;
  private readonly d0: Float64Array;
  private readonly d1: Float64Array;
  private readonly cont3: Float64Array;
  private readonly cont4: Float64Array;
  private readonly lu: Float64Array;
  private readonly pivots: Int32Array;
  private autonomous = true;
  private xold = 0;
  private hold = 1;

  constructor(ctx: RunContext) {
    this.ctx = ctx;
    const { N, n } = ctx.aug;
    const v = () => new Float64Array(N);
    this.k1 = v();
    this.k2 = v();
    this.k3 = v();
    this.k4 = v();
    this.k5 = v();
    this.k6 = v();
    this.f = v();
    this.ft = v();
    this.ytmp = v();
    this.ynew = v();
    this.f0 = v();
    this.d0 = v();
    this.d1 = v();
    this.cont3 = v();
    this.cont4 = v();
    this.lu = new Float64Array(n * n);
    this.pivots = new Int32Array(n);
  }

  /** Evaluates f, J (and ∂f/∂t) at the start of a step from (t, z). */
  prepare(t: number, z: Float64Array): void {
    const { aug } = this.ctx;
    aug.rhs(t, z, this.f0);
    aug.startStep(t, z);
    this.autonomous = !aug.timeDerivative(this.ft);
  }

  /**
   * One trial step of size h from the prepared point (t, z) to tNew, leaving the candidate in
   * `ynew`; returns the weighted error norm (NaN: non-finite; −1: singular matrix). z is not
   * changed, so Dormand–Prince can also use this as a probe of the stiff step size.
   */
  attempt(z: Float64Array, t: number, h: number, tNew: number): number {
    const { ctx, f, f0, ytmp, ynew, lu, pivots } = this;
    const { aug, rtol, atol, stats } = ctx;
    const { k1, k2, k3, k4, k5, k6 } = this;
    const N = aug.N;
    const n = aug.n;
    // E = I/(γh) − J, factored once for all six stages.
    const diag = 1 / (GAMMA * h);
    const J = aug.J;
    for (let i = 0; i < n * n; i++) lu[i] = -J[i]!;
    for (let i = 0; i < n; i++) lu[i * n + i] = lu[i * n + i]! + diag;
    stats.factorizations++;
    if (!luFactor(lu, n, pivots)) return -1;
    const ht = this.autonomous ? 0 : h; // weight of the ∂f/∂t terms
    this.stage(k1, f0, ht * D1, false);
    for (let i = 0; i < N; i++) ytmp[i] = z[i]! + A21 * k1[i]!;
    aug.rhs(t + C2 * h, ytmp, f);
    for (let i = 0; i < N; i++) k2[i] = (C21 * k1[i]!) / h;
    this.stage(k2, f, ht * D2, true);
    for (let i = 0; i < N; i++) ytmp[i] = z[i]! + A31 * k1[i]! + A32 * k2[i]!;
    aug.rhs(t + C3 * h, ytmp, f);
    for (let i = 0; i < N; i++) k3[i] = (C31 * k1[i]! + C32 * k2[i]!) / h;
    this.stage(k3, f, ht * D3, true);
    for (let i = 0; i < N; i++) ytmp[i] = z[i]! + A41 * k1[i]! + A42 * k2[i]! + A43 * k3[i]!;
    aug.rhs(t + C4 * h, ytmp, f);
    for (let i = 0; i < N; i++) k4[i] = (C41 * k1[i]! + C42 * k2[i]! + C43 * k3[i]!) / h;
    this.stage(k4, f, ht * D4, true);
    // Stage 5 is at t + h; its argument is the embedded 3rd-order solution.
    for (let i = 0; i < N; i++) {
      ytmp[i] = z[i]! + A51 * k1[i]! + A52 * k2[i]! + A53 * k3[i]! + A54 * k4[i]!;
    }
    aug.rhs(tNew, ytmp, f);
    for (let i = 0; i < N; i++) {
      k5[i] = (C51 * k1[i]! + C52 * k2[i]! + C53 * k3[i]! + C54 * k4[i]!) / h;
    }
    this.stage(k5, f, 0, true);
    for (let i = 0; i < N; i++) ytmp[i] = ytmp[i]! + k5[i]!;
    aug.rhs(tNew, ytmp, f);
    for (let i = 0; i < N; i++) {
      k6[i] = (C61 * k1[i]! + C62 * k2[i]! + C63 * k3[i]! + C64 * k4[i]! + C65 * k5[i]!) / h;
    }
    this.stage(k6, f, 0, true);
    for (let i = 0; i < N; i++) ynew[i] = ytmp[i]! + k6[i]!;
    return errorNorm(k6, z, ynew, rtol, atol, this.ctx.controlled);
  }

  /**
   * Advances z in place from t to tEnd (exactly), writing the output times on the way.
   * With detectNonStiff ("auto"), returns early (switchMethod: true) where the problem stopped
   * being stiff.
   */
  run(
    z: Float64Array,
    t: number,
    tEnd: number,
    hGuess: number,
    detectNonStiff = false,
  ): SegmentEnd {
    const { ctx, ynew } = this;
    const { stats, aug } = ctx;
    const detector = detectNonStiff ? new NonStiffnessDetector(ctx) : null;
    const hmax = tEnd - t;
    let h = hGuess > 0 ? Math.min(hGuess, hmax) : 0;
    let first = true;
    let rejectedLast = false;
    let needJacobian = true;
    let hacc = 0;
    let erracc = 0;
    let nonFinite = 0;
    let singular = 0;
    while (t < tEnd) {
      if (needJacobian) {
        this.prepare(t, z);
        if (h === 0) h = initialStep(ctx, t, z, this.f0, hmax, 4, this.ytmp, ynew);
        needJacobian = false;
      }
      let last = false;
      if (t + 1.01 * h >= tEnd) {
        h = tEnd - t;
        last = true;
      }
      beforeStep(ctx, t, h, "rodas", nonFinite > 0);
      const tNew = last ? tEnd : t + h;
      const e = this.attempt(z, t, h, tNew);
      if (e === -1) {
        if (++singular > MAX_SINGULAR_IN_A_ROW) {
          throw new IntegrationError(
            "singular_matrix",
            t,
            "rodas",
            `integrator: singular iteration matrix at t = ${formatTime(t)} (rodas)`,
          );
        }
        stats.rejected++;
        h *= 0.5;
        rejectedLast = true;
        continue;
      }
      singular = 0;
      if (Number.isNaN(e)) {
        if (++nonFinite > MAX_NON_FINITE_IN_A_ROW) throw nonFiniteError(t, "rodas");
        stats.rejected++;
        h *= 0.1;
        rejectedLast = true;
        continue;
      }
      nonFinite = 0;
      let fac = Math.max(FAC2, Math.min(FAC1, e ** 0.25 / SAFE));
      let hNew = h / fac;
      if (e > 1) {
        stats.rejected++;
        h = first ? h * 0.1 : hNew;
        rejectedLast = true;
        continue;
      }
      stats.steps++;
      if (!first) {
        let facgus = ((hacc / h) * ((e * e) / erracc) ** 0.25) / SAFE;
        facgus = Math.max(FAC2, Math.min(FAC1, facgus));
        fac = Math.max(fac, facgus);
        hNew = h / fac;
      }
      first = false;
      hacc = h;
      erracc = Math.max(1e-2, e);
      if (ctx.out.needsDense(tNew, tEnd)) this.prepareDense(z, ynew, t, h);
      const switchBack = detector?.afterStep(h, aug.J, z, aug.n) === true; // J is at z
      z.set(ynew);
      t = tNew;
      ctx.out.afterStep(t, tEnd, z, this);
      if (rejectedLast) hNew = Math.min(hNew, h);
      rejectedLast = false;
      h = Math.min(hNew, hmax);
      needJacobian = true;
      if (switchBack && t < tEnd) return { t, h, switchMethod: true };
    }
    return { t: tEnd, h, switchMethod: false };
  }

  /** k ← E_aug⁻¹ (fz + hd·∂f/∂t [+ k, the Σ c_ij k_j / h terms already stored in k]). */
  private stage(k: Float64Array, fz: Float64Array, hd: number, addK: boolean): void {
    const { ft } = this;
    const N = k.length;
    if (addK) for (let i = 0; i < N; i++) k[i] = fz[i]! + k[i]! + hd * ft[i]!;
    else for (let i = 0; i < N; i++) k[i] = fz[i]! + hd * ft[i]!;
    this.ctx.aug.solve(this.lu, this.pivots, k);
  }

  private prepareDense(z: Float64Array, ynew: Float64Array, t: number, h: number): void {
    const { k1, k2, k3, k4, k5 } = this;
    const { cont3, cont4 } = this;
    for (let i = 0; i < z.length; i++) {
      cont3[i] = DD21 * k1[i]! + DD22 * k2[i]! + DD23 * k3[i]! + DD24 * k4[i]! + DD25 * k5[i]!;
      cont4[i] = DD31 * k1[i]! + DD32 * k2[i]! + DD33 * k3[i]! + DD34 * k4[i]! + DD35 * k5[i]!;
    }
    this.d0.set(z);
    this.d1.set(ynew);
    this.xold = t;
    this.hold = h;
  }

  /** Hairer's continuous extension: z(s) = (1−s)·z0 + s·(z1 + (1−s)·(c3 + s·c4)), s ∈ [0, 1]. */
  evaluate(t: number, out: Float64Array): void {
    const s = (t - this.xold) / this.hold;
    const s1 = 1 - s;
    const { d0, d1, cont3, cont4 } = this;
    for (let i = 0; i < out.length; i++) {
      out[i] = d0[i]! * s1 + s * (d1[i]! + s1 * (cont3[i]! + s * cont4[i]!));
    }
  }
}
