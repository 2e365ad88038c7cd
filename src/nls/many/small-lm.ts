import type { LeastSquaresProblem } from "../../core/curve.js";
import { CONVERGED_CODES, type LmStopCode, type ResolvedLmOptions } from "../solvers/lm-options.js";
import { type StepMeasures, stopTest } from "../solvers/lm-stopping.js";
import { updateRadius } from "../solvers/trust-region.js";
import { choleskySolve, factorShifted, normalEquations } from "./small-cholesky.js";

/**
 * A least-squares problem, optionally with the curvature term S = Σ r_i·∇²r_i (p×p) at θ for
 * the residuals r there (CurveRows.curvature); false when it has none.
 */
export interface SmallProblem extends LeastSquaresProblem {
  curvature?(theta: Float64Array, r: Float64Array, out: Float64Array): boolean;
}

/** What a run ended with; the object and its arrays are the solver's, reused by the next run. */
export interface SmallLmResult {
  theta: Float64Array;
  rss: number;
  iterations: number;
  evaluations: number;
  stopCode: LmStopCode;
  converged: boolean;
  /**
   * False when the normal equations were too ill-conditioned for a Cholesky step (JᵀJ not
   * numerically positive definite): the caller reruns the problem with the library solver
   * (QR and SVD), which handles rank deficiency. Nothing else in the result is then meaningful.
   */
  solved: boolean;
}

/**
 * Levenberg–Marquardt for small p (the many-curves path), the algorithm of the library's
 * solver (src/nls/solvers/levenberg-marquardt.ts, after MINPACK's lmder) — the same scaling
 * D = running max of the Jacobian's column norms, the same radius rule, gain ratio and stop
 * tests (lm-stopping.ts) — with the linear algebra done on the scaled normal equations
 * A = D⁻¹JᵀJD⁻¹, g = D⁻¹Jᵀr by a p×p Cholesky factorisation instead of QR and SVD of the n×p
 * J·D⁻¹. For p ≤ 5 and n ≈ 24 that costs a few hundred flops per step instead of thousands,
 * and nothing is allocated per run.
 *
 * Normal equations square the condition number, so the step loses digits on an
 * ill-conditioned J; the point it converges to does not depend on the step (it is where
 * g = D⁻¹Jᵀr, computed from J and r directly, vanishes), only the path does. When A is not
 * safely positive definite (a pivot below √ε relative, where the library's QR would also
 * declare the Gauss–Newton step unusable) the run gives up with `solved = false` and the
 * caller uses the library solver.
 *
 * Two evaluations fewer per run than lmder's bookkeeping, at the same steps and stops: each
 * trial is evaluated once, with its Jacobian (lmder evaluates an accepted point again for it),
 * and a model whose unconstrained minimum promises a relative reduction ≤ ftol ends the run
 * without the trial evaluation that would only confirm it.
 */
export class SmallLm {
  readonly theta: Float64Array;
  private readonly trial: Float64Array;
  private readonly r: Float64Array;
  private readonly rTrial: Float64Array;
  private readonly jac: Float64Array;
  private readonly jacTrial: Float64Array;
  private readonly diag: Float64Array;
  /** 1/D. */
  private readonly inv: Float64Array;
  private readonly a: Float64Array;
  private readonly l: Float64Array;
  private readonly g: Float64Array;
  private readonly gn: Float64Array;
  private readonly z: Float64Array;
  private readonly w: Float64Array;
  private readonly s: Float64Array;
  private readonly h: Float64Array;
  /**
   * `lambdaFor`'s numbers, in (Δ, ‖gn‖) and out (λ): through a typed array, as a call the
   * compiler does not inline passes numbers as heap numbers (an allocation each).
   */
  private readonly scalars = new Float64Array(2);
  private readonly m: StepMeasures = {
    actred: 0,
    prered: 0,
    ratio: 0,
    delta: 0,
    xnorm: 0,
    gnorm: 0,
    evaluations: 0,
  };
  readonly result: SmallLmResult;

  constructor(
    readonly maxRows: number,
    readonly p: number,
  ) {
    this.theta = new Float64Array(p);
    this.trial = new Float64Array(p);
    this.r = new Float64Array(maxRows);
    this.rTrial = new Float64Array(maxRows);
    this.jac = new Float64Array(maxRows * p);
    this.jacTrial = new Float64Array(maxRows * p);
    this.diag = new Float64Array(p);
    this.inv = new Float64Array(p);
    this.a = new Float64Array(p * p);
    this.l = new Float64Array(p * p);
    this.g = new Float64Array(p);
    this.gn = new Float64Array(p);
    this.z = new Float64Array(p);
    this.w = new Float64Array(p);
    this.s = new Float64Array(p * p);
    this.h = new Float64Array(p * p);
    this.result = {
      theta: this.theta,
      rss: Number.NaN,
      iterations: 0,
      evaluations: 0,
      stopCode: "max-iterations",
      converged: false,
      solved: true,
    };
  }

  /**
   * Minimises ‖r(θ)‖² + `offset` from a finite `start` (problem.n ≤ maxRows, problem.p = p).
   * `offset` ≥ 0 is a part of the RSS that does not depend on θ (the within-replicate sum of
   * squares when `problem` holds replicate means, replicate-means.ts): it enters only the relative
   * measures of the stop tests (ftol, gtol, the radius rule's "wild" step), so the run takes
   * the steps and stops as it would on the rows the means came from, and `rss` includes it.
   */
  solve(
    problem: SmallProblem,
    start: Float64Array,
    opts: ResolvedLmOptions,
    offset = 0,
  ): SmallLmResult {
    const { p, theta, trial, diag, inv, a, l, g, gn, z, m, s, h, scalars } = this;
    // The current point's residuals and Jacobian and the trial's swap roles on acceptance: a
    // trial is evaluated with its Jacobian, which is then the next iteration's (lmder evaluates
    // the accepted point a second time for it).
    let r = this.r;
    let rTrial = this.rTrial;
    let jac = this.jac;
    let jacTrial = this.jacTrial;
    const n = problem.n;
    const res = this.result;
    res.solved = true;
    theta.set(start);
    let evaluations = 1;
    let iterations = 0;
    problem.residuals(theta, r, jac);
    let f2 = offset + sumSquares(r, n);
    if (!Number.isFinite(f2)) return this.finish("non-finite-start", f2, iterations, evaluations);
    let delta = 0;
    let first = true;
    for (;;) {
      // A = JᵀJ, g = Jᵀr (unscaled, one pass over J), then D and the scaled system.
      normalEquations(jac, r, n, p, a, g);
      // J's finiteness (at the start, and at each accepted point) from A's diagonal, the sums of
      // J's squares: a non-finite entry makes its column's sum non-finite. A non-finite sum of
      // finite entries (squares past 1.8e308) is told apart by a scan, so the run stops where
      // it always did — a scan over J per iteration spared.
      if (!diagonalFinite(a, p) && !allFinite(jac, n * p)) {
        const code = first ? "non-finite-start" : "non-finite-jacobian";
        return this.finish(code, f2, iterations, evaluations);
      }
      let gnorm = 0;
      const fnorm = Math.sqrt(f2);
      for (let j = 0; j < p; j++) {
        const c = Math.sqrt(a[j * p + j]!);
        if (c > 0) gnorm = Math.max(gnorm, Math.abs(g[j]! / c / fnorm));
        const d = c > 0 ? c : 1;
        diag[j] = opts.scaling === "none" ? 1 : first ? d : Math.max(diag[j]!, d);
      }
      if (f2 === 0) return this.finish("zero-residual", 0, iterations, evaluations);
      if (gnorm <= opts.gtol) return this.finish("gtol", f2, iterations, evaluations);
      for (let j = 0; j < p; j++) inv[j] = 1 / diag[j]!;
      if (p === 4) scale4(a, g, inv);
      else {
        for (let j = 0; j < p; j++) {
          g[j] = g[j]! * inv[j]!;
          for (let k = 0; k < p; k++) a[j * p + k] = a[j * p + k]! * inv[j]! * inv[k]!;
        }
      }
      // Newton's model A + D⁻¹SD⁻¹ (S = Σ r_i∇²r_i) where the problem has it and it is
      // positive definite, else Gauss–Newton's A: the step −A⁻¹g, its length and the
      // reduction it predicts, gᵀA⁻¹g.
      const curved = problem.curvature?.(theta, r, s) === true;
      if (curved) {
        if (p === 4) addScaled4(a, s, inv, h);
        else {
          for (let j = 0; j < p; j++) {
            for (let k = 0; k < p; k++)
              h[j * p + k] = a[j * p + k]! + s[j * p + k]! * inv[j]! * inv[k]!;
          }
        }
      }
      // Newton's matrix (k = 0) where there is one, else or when it fails Gauss–Newton's A
      // (k = 1), through one call: a fallback call of its own, first met when a curve's
      // Newton matrix is indefinite, long after this loop was compiled, threw the compiled
      // solver away for want of feedback (V8's soft deopt).
      let factored = false;
      let newton = false;
      for (let k = curved ? 0 : 1; k < 2 && !factored; k++) {
        factored = factorShifted(k === 0 ? h : a, p, 0, l);
        newton = factored && k === 0;
      }
      if (newton) for (let k = 0; k < p * p; k++) a[k] = h[k]!;
      if (!factored) {
        res.solved = false;
        return this.finish("no-progress", f2, iterations, evaluations);
      }
      choleskySolve(l, p, g, gn);
      let gnNorm2 = 0;
      let gnPred = 0;
      for (let j = 0; j < p; j++) {
        gn[j] = -gn[j]!;
        gnNorm2 += gn[j]! * gn[j]!;
        gnPred -= g[j]! * gn[j]!;
      }
      const gnNorm = Math.sqrt(gnNorm2);
      let xnorm = scaledNorm(diag, theta, p);
      if (first) delta = opts.initialStepBound * (xnorm > 0 ? xnorm : 1);
      for (;;) {
        let lambda = 0;
        let predicted: number;
        let jp2: number;
        let pnorm: number;
        if (gnNorm <= 1.1 * delta) {
          // The model's own minimum lies within the radius. When all it promises is a
          // relative reduction ≤ ftol, the point is converged by ftol's measure without
          // evaluating the step: lmder would evaluate it to find the same (an actual
          // reduction of rounding size, the step often rejected for it) and stop. Newton's
          // step is still taken, unevaluated — from within quadratic convergence it lands
          // closer to the optimum (by its own length squared), and the RSS there is the
          // model's to third order in that length — Gauss–Newton's is not.
          if (gnPred <= opts.ftol * f2) {
            if (!newton) return this.finish("ftol", f2, iterations, evaluations);
            for (let j = 0; j < p; j++) theta[j] = theta[j]! + gn[j]! * inv[j]!;
            return this.finish("ftol", f2 - gnPred, iterations, evaluations);
          }
          for (let j = 0; j < p; j++) z[j] = gn[j]!;
          predicted = gnPred;
          jp2 = gnPred;
          pnorm = gnNorm;
        } else {
          scalars[0] = delta;
          scalars[1] = gnNorm;
          this.lambdaFor();
          lambda = scalars[0]!;
          // z(λ) = −(A + λI)⁻¹g at the chosen λ.
          if (!factorShifted(a, p, lambda, l)) {
            res.solved = false;
            return this.finish("no-progress", f2, iterations, evaluations);
          }
          choleskySolve(l, p, g, z);
          let zz = 0;
          let gz = 0;
          for (let j = 0; j < p; j++) {
            z[j] = -z[j]!;
            zz += z[j]! * z[j]!;
            gz += g[j]! * z[j]!;
          }
          // ‖J̃z‖² = −gᵀz − λ‖z‖² (as (A + λI)z = −g); predicted = −2gᵀz − ‖J̃z‖².
          jp2 = -gz - lambda * zz;
          predicted = -2 * gz - jp2;
          pnorm = Math.sqrt(zz);
        }
        for (let j = 0; j < p; j++) trial[j] = theta[j]! + z[j]! * inv[j]!;
        if (first) delta = Math.min(delta, pnorm);
        evaluations++;
        problem.residuals(trial, rTrial, jacTrial);
        const t2 = offset + sumSquares(rTrial, n);
        const fnorm1 = Number.isFinite(t2) ? Math.sqrt(t2) : Number.POSITIVE_INFINITY;
        const wild = !(0.1 * fnorm1 < fnorm);
        // ‖r‖² − ‖t‖² as Σ (r_i − t_i)(r_i + t_i), as the library solver computes it (here in
        // the loop: a helper's number came back boxed, an allocation per evaluation).
        let reduced = 0;
        if (!wild)
          for (let i = 0; i < n; i++) reduced += (r[i]! - rTrial[i]!) * (r[i]! + rTrial[i]!);
        const actred = wild ? -1 : reduced / f2;
        const prered = predicted / f2;
        const dirder = -(jp2 + (predicted - jp2) / 2) / f2;
        const ratio = prered !== 0 ? actred / prered : 0;
        delta = updateRadius(delta, ratio, actred, dirder, pnorm, lambda, wild);
        const accepted = ratio >= 1e-4;
        if (accepted) {
          for (let j = 0; j < p; j++) theta[j] = trial[j]!;
          const rr = r;
          r = rTrial;
          rTrial = rr;
          const jj = jac;
          jac = jacTrial;
          jacTrial = jj;
          f2 = t2;
          xnorm = scaledNorm(diag, theta, p);
          iterations++;
          first = false;
        }
        m.actred = actred;
        m.prered = prered;
        m.ratio = ratio;
        m.delta = delta;
        m.xnorm = xnorm;
        m.gnorm = gnorm;
        m.evaluations = evaluations;
        const stop = stopTest(m, opts);
        if (stop !== null) return this.finish(stop[0], f2, iterations, evaluations);
        if (accepted) break;
      }
      if (iterations >= opts.maxIterations) {
        // A non-finite J at the last point is reported first (the loop's top would say so).
        const code = allFinite(jac, n * p) ? "max-iterations" : "non-finite-jacobian";
        return this.finish(code, f2, iterations, evaluations);
      }
    }
  }

  private finish(code: LmStopCode, rss: number, iterations: number, evaluations: number) {
    const res = this.result;
    res.rss = rss;
    res.iterations = iterations;
    res.evaluations = evaluations;
    res.stopCode = code;
    res.converged = CONVERGED_CODES.includes(code);
    return res;
  }

  /**
   * λ with ‖z(λ)‖ within 10 % of Δ: Newton's method on 1/ψ(λ) − 1/Δ from λ = 0 (Moré 1978),
   * as trust-region.ts's solveLambda, with ψ(λ)² = ‖z‖² and −ψψ' = zᵀ(A + λI)⁻¹z from one
   * Cholesky factorisation per trial λ.
   */
  private lambdaFor(): void {
    const { p, a, l, g, z, w, scalars } = this;
    const delta = scalars[0]!;
    const gnNorm = scalars[1]!;
    let lambda = 0;
    let psi = gnNorm;
    let psi2 = gnNorm * gnNorm;
    for (let it = 0; it < 50; it++) {
      if (it > 0) {
        if (!factorShifted(a, p, lambda, l)) break;
        choleskySolve(l, p, g, z);
        psi2 = 0;
        for (let j = 0; j < p; j++) psi2 += z[j]! * z[j]!;
        psi = Math.sqrt(psi2);
      } else {
        factorShifted(a, p, 0, l);
        choleskySolve(l, p, g, z);
      }
      if (Math.abs(psi - delta) <= 0.1 * delta) break;
      // s = zᵀ(A + λI)⁻¹z = ‖L⁻¹z‖².
      forwardSolve(l, p, z, w);
      let s = 0;
      for (let j = 0; j < p; j++) s += w[j]! * w[j]!;
      if (s === 0) break;
      const next = lambda + ((psi - delta) / delta) * (psi2 / s);
      if (!(next >= 0) || next === lambda) break;
      lambda = next;
    }
    scalars[0] = lambda;
  }
}

/** p = 4: g_j ← g_j·inv_j and a_jk ← a_jk·inv_j·inv_k, the general loop's products unrolled. */
function scale4(a: Float64Array, g: Float64Array, inv: Float64Array): void {
  const i0 = inv[0]!;
  const i1 = inv[1]!;
  const i2 = inv[2]!;
  const i3 = inv[3]!;
  g[0] = g[0]! * i0;
  a[0] = a[0]! * i0 * i0;
  a[1] = a[1]! * i0 * i1;
  a[2] = a[2]! * i0 * i2;
  a[3] = a[3]! * i0 * i3;
  g[1] = g[1]! * i1;
  a[4] = a[4]! * i1 * i0;
  a[5] = a[5]! * i1 * i1;
  a[6] = a[6]! * i1 * i2;
  a[7] = a[7]! * i1 * i3;
  g[2] = g[2]! * i2;
  a[8] = a[8]! * i2 * i0;
  a[9] = a[9]! * i2 * i1;
  a[10] = a[10]! * i2 * i2;
  a[11] = a[11]! * i2 * i3;
  g[3] = g[3]! * i3;
  a[12] = a[12]! * i3 * i0;
  a[13] = a[13]! * i3 * i1;
  a[14] = a[14]! * i3 * i2;
  a[15] = a[15]! * i3 * i3;
}

/** p = 4: h_jk = a_jk + s_jk·inv_j·inv_k, unrolled in the general loop's order of operations. */
function addScaled4(a: Float64Array, s: Float64Array, inv: Float64Array, h: Float64Array): void {
  const i0 = inv[0]!;
  const i1 = inv[1]!;
  const i2 = inv[2]!;
  const i3 = inv[3]!;
  h[0] = a[0]! + s[0]! * i0 * i0;
  h[1] = a[1]! + s[1]! * i0 * i1;
  h[2] = a[2]! + s[2]! * i0 * i2;
  h[3] = a[3]! + s[3]! * i0 * i3;
  h[4] = a[4]! + s[4]! * i1 * i0;
  h[5] = a[5]! + s[5]! * i1 * i1;
  h[6] = a[6]! + s[6]! * i1 * i2;
  h[7] = a[7]! + s[7]! * i1 * i3;
  h[8] = a[8]! + s[8]! * i2 * i0;
  h[9] = a[9]! + s[9]! * i2 * i1;
  h[10] = a[10]! + s[10]! * i2 * i2;
  h[11] = a[11]! + s[11]! * i2 * i3;
  h[12] = a[12]! + s[12]! * i3 * i0;
  h[13] = a[13]! + s[13]! * i3 * i1;
  h[14] = a[14]! + s[14]! * i3 * i2;
  h[15] = a[15]! + s[15]! * i3 * i3;
}

function forwardSolve(l: Float64Array, p: number, b: Float64Array, out: Float64Array): void {
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * p + k]! * out[k]!;
    out[i] = s / l[i * p + i]!;
  }
}

function sumSquares(x: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]! * x[i]!;
  return s;
}

/**
 * Whether x[0..n) are all finite: x·0 is ±0 for a finite x and NaN for ±∞ or NaN, so the sum
 * is 0 exactly when every entry is finite — one branch per call, not one per entry.
 */
function allFinite(x: Float64Array, n: number): boolean {
  let zero = 0;
  for (let i = 0; i < n; i++) zero += x[i]! * 0;
  return zero === 0;
}

/** Whether A's diagonal (p×p, row-major) is finite: Σ a_jj·0 is 0 exactly then. */
function diagonalFinite(a: Float64Array, p: number): boolean {
  let zero = 0;
  for (let j = 0; j < p; j++) zero += a[j * p + j]! * 0;
  return zero === 0;
}

function scaledNorm(diag: Float64Array, theta: Float64Array, p: number): number {
  let s = 0;
  for (let j = 0; j < p; j++) s += (diag[j]! * theta[j]!) ** 2;
  return Math.sqrt(s);
}
