import type { LeastSquaresProblem } from "../../core/curve.js";
import { BiogradError } from "../../core/errors.js";
import { createQrWorkspace, type QrWorkspace, qrPivoted } from "../../linalg/householder-qr.js";
import { createSvdWorkspace, type SvdWorkspace, svd } from "../../linalg/svd.js";
import {
  CONVERGED_CODES,
  type LmOptions,
  type LmStopCode,
  type ResolvedLmOptions,
  resolveLmOptions,
} from "./lm-options.js";
import type { LmResult } from "./lm-result.js";
import { type StepMeasures, stopTest } from "./lm-stopping.js";
import { dampedStep, rankTolerance, solveLambda, updateRadius } from "./trust-region.js";
import { allFinite, columnNorm, norm2, sumSquares } from "./vector.js";

const SQRT_EPS = Math.sqrt(2.220446049250313e-16);

/**
 * Levenberg–Marquardt with a trust region, after MINPACK's lmder (Moré 1978, "The
 * Levenberg–Marquardt algorithm: implementation and theory"), minimising ‖r(θ)‖²:
 *
 * - scaling D = diag(‖J_j‖), each entry the largest column norm seen so far (lmder mode 1),
 *   so the steps do not depend on the units of the parameters;
 * - the radius Δ bounds ‖D·p‖; λ is chosen so that ‖D·p(λ)‖ ≈ Δ, or λ = 0 when the
 *   Gauss–Newton step is short enough (trust-region.ts), and Δ follows the gain ratio
 *   ρ = actual / predicted reduction as in lmder;
 * - the damped subproblem is solved through the SVD of J·D⁻¹ (QR-preconditioned one-sided
 *   Jacobi, src/linalg/svd.ts): one factorisation per Jacobian, O(p) per trial λ, and no normal
 *   equations (they square the condition number; Thurber, MGH09);
 * - the actual reduction is Σ (r_i − t_i)(r_i + t_i), not ‖r‖² − ‖t‖² (cancellation);
 * - a trial point whose residuals are not all finite is a failed step: the radius shrinks
 *   tenfold and the point is never accepted, so nothing non-finite reaches θ.
 *
 * - the Gauss–Newton step comes first from a pivoted QR of J·D⁻¹ (as lmder): when R is
 *   well conditioned (min |R_kk| > √ε·|R_00|) and that step fits in the radius, λ = 0 and the
 *   SVD is not needed; it is computed (once per Jacobian) only when a damped step is.
 *   Near the optimum every step is Gauss–Newton, so most iterations skip the SVD.
 *
 * Stops: see `LmStopCode` and lm-stopping.ts. All buffers are allocated once per call; the
 * result holds the final residuals and Jacobian for `nlsSummary`.
 */
export function levenbergMarquardt(
  problem: LeastSquaresProblem,
  start: Float64Array,
  options?: LmOptions,
): LmResult {
  const opts = resolveLmOptions(options);
  const { n, p } = problem;
  if (!Number.isInteger(n) || !Number.isInteger(p) || n < 1 || p < 1) {
    throw new BiogradError(
      "shape_mismatch",
      `levenbergMarquardt: problem.n and problem.p must be integers >= 1, got n=${n}, p=${p}`,
    );
  }
  if (start.length !== p) {
    throw new BiogradError(
      "shape_mismatch",
      `levenbergMarquardt: start has ${start.length} entries, the problem has p=${p} parameters`,
    );
  }
  if (!allFinite(start)) {
    throw new BiogradError("bad_input", "levenbergMarquardt: start must be all finite numbers");
  }
  return new LmRun(n, p).run(problem, start, opts);
}

/**
 * A Levenberg–Marquardt solver whose buffers are allocated once for problems of n residuals
 * and p parameters, for fitting many small curves one after another (src/nls/many/). `solve`
 * runs exactly the algorithm of `levenbergMarquardt` on each problem; its result's arrays
 * (`theta`, `residuals`, `jacobian`) are the solver's buffers, valid until the next call.
 * No checks: the caller guarantees the shapes and a finite start.
 */
export interface LmSolver {
  readonly n: number;
  readonly p: number;
  solve(problem: LeastSquaresProblem, start: Float64Array, options: ResolvedLmOptions): LmResult;
}

export function createLmSolver(n: number, p: number): LmSolver {
  const run = new LmRun(n, p);
  return { n, p, solve: (problem, start, options) => run.run(problem, start, options) };
}

/** The buffers and counters of a run, reusable for the next run of the same shape. */
class LmRun {
  readonly n: number;
  readonly p: number;
  readonly theta: Float64Array;
  readonly trial: Float64Array;
  readonly r: Float64Array;
  readonly rTrial: Float64Array;
  readonly jac: Float64Array;
  readonly diag: Float64Array;
  readonly colNorm: Float64Array;
  readonly z: Float64Array;
  readonly out = new Float64Array(1);
  readonly measures: StepMeasures = {
    actred: 0,
    prered: 0,
    ratio: 0,
    delta: 0,
    xnorm: 0,
    gnorm: 0,
    evaluations: 0,
  };
  readonly ws: SvdWorkspace;
  /** J·D⁻¹ factorised by pivoted QR (R in the upper triangle), Qᵀr, and the Gauss–Newton step. */
  readonly qrA: Float64Array;
  readonly qrB: Float64Array;
  readonly qrWs: QrWorkspace;
  readonly gnStep: Float64Array;
  gnOk = false;
  gnNorm = 0;
  gnPred = 0;
  evaluations = 0;
  jacobianEvaluations = 0;
  iterations = 0;
  lambda = 0;
  delta = 0;
  startRss = Number.NaN;

  problem!: LeastSquaresProblem;
  opts!: ResolvedLmOptions;

  constructor(n: number, p: number) {
    this.n = n;
    this.p = p;
    this.theta = new Float64Array(p);
    this.trial = new Float64Array(p);
    this.r = new Float64Array(n);
    this.rTrial = new Float64Array(n);
    this.jac = new Float64Array(n * p);
    this.diag = new Float64Array(p);
    this.colNorm = new Float64Array(p);
    this.z = new Float64Array(p);
    this.ws = createSvdWorkspace(n, p);
    this.qrA = new Float64Array(n * p);
    this.qrB = new Float64Array(n);
    this.qrWs = createQrWorkspace(n, p);
    this.gnStep = new Float64Array(p);
  }

  run(problem: LeastSquaresProblem, start: Float64Array, opts: ResolvedLmOptions): LmResult {
    this.problem = problem;
    this.opts = opts;
    this.theta.set(start);
    this.evaluations = 0;
    this.jacobianEvaluations = 0;
    this.iterations = 0;
    this.lambda = 0;
    this.delta = 0;
    this.startRss = Number.NaN;
    const { theta, ws } = this;
    problem.residuals(theta, this.r, this.jac);
    this.evaluations = 1;
    this.jacobianEvaluations = 1;
    if (!allFinite(this.r)) {
      return this.result(
        "non-finite-start",
        "the residuals at the starting point are not all finite",
      );
    }
    if (!allFinite(this.jac)) {
      return this.result(
        "non-finite-start",
        "the Jacobian at the starting point has non-finite entries",
      );
    }
    let fnorm = norm2(this.r);
    this.startRss = sumSquares(this.r);
    let first = true;
    for (;;) {
      // The outer iteration: J is current at θ.
      this.updateScaling(first);
      if (fnorm === 0) return this.result("zero-residual", "the residuals are zero");
      const gnorm = this.gradientCosine(fnorm);
      if (gnorm <= opts.gtol)
        return this.result("gtol", () => `max |cos(r, J_j)| = ${gnorm} <= gtol`);
      this.gaussNewton();
      let rank = -1; // the SVD is computed when a damped step is first needed
      let xnorm = this.scaledNorm();
      if (first) this.delta = opts.initialStepBound * (xnorm > 0 ? xnorm : 1);
      // The inner iteration: trial steps until one reduces the RSS enough (ρ ≥ 1e-4).
      for (;;) {
        let predicted: number;
        let jp2: number; // ‖J̃p̃‖²
        let pnorm: number;
        if (this.gnOk && this.gnNorm <= 1.1 * this.delta) {
          this.lambda = 0;
          predicted = this.gnPred;
          jp2 = this.gnPred;
          pnorm = this.makeGaussNewtonTrial();
        } else {
          if (rank < 0) {
            this.factor();
            rank = this.rank();
          }
          this.lambda = solveLambda(ws.sigma, ws.utb, rank, this.delta);
          predicted = dampedStep(ws.sigma, ws.utb, rank, this.lambda, this.z, this.out);
          jp2 = this.out[0]!;
          pnorm = this.makeTrial();
        }
        if (first) this.delta = Math.min(this.delta, pnorm);
        this.evaluations++;
        problem.residuals(this.trial, this.rTrial, null);
        const finite = allFinite(this.rTrial);
        const fnorm1 = finite ? norm2(this.rTrial) : Number.POSITIVE_INFINITY;
        const f2 = fnorm * fnorm;
        const wild = !(0.1 * fnorm1 < fnorm);
        const actred = wild ? -1 : this.reduction() / f2;
        const prered = predicted / f2;
        const dirder = -(jp2 + (predicted - jp2) / 2) / f2; // −(‖J̃p̃‖² + λ‖p̃‖²)/‖r‖²
        const ratio = prered !== 0 ? actred / prered : 0;
        this.delta = updateRadius(this.delta, ratio, actred, dirder, pnorm, this.lambda, wild);
        const accepted = ratio >= 1e-4;
        if (accepted) {
          theta.set(this.trial);
          this.r.set(this.rTrial);
          fnorm = fnorm1;
          xnorm = this.scaledNorm();
          this.iterations++;
          first = false;
          this.report(pnorm);
        }
        const m = this.measures;
        m.actred = actred;
        m.prered = prered;
        m.ratio = ratio;
        m.delta = this.delta;
        m.xnorm = xnorm;
        m.gnorm = gnorm;
        m.evaluations = this.evaluations;
        const stop = stopTest(m, opts);
        if (stop !== null) {
          if (accepted && !this.refreshJacobian()) return this.nonFiniteJacobian();
          return this.result(stop[0], stop[1]);
        }
        if (accepted) break;
      }
      if (!this.refreshJacobian()) return this.nonFiniteJacobian();
      if (this.iterations >= opts.maxIterations) {
        return this.result("max-iterations", () => `${opts.maxIterations} iterations done`);
      }
      fnorm = norm2(this.r);
    }
  }

  /** ‖r‖² − ‖t‖² as Σ (r_i − t_i)(r_i + t_i): exact differences where the sums agree. */
  reduction(): number {
    const { r, rTrial } = this;
    let s = 0;
    for (let i = 0; i < r.length; i++) s += (r[i]! - rTrial[i]!) * (r[i]! + rTrial[i]!);
    return s;
  }

  /** D = the column norms of J, each the largest seen so far (zero columns: 1); or D = I. */
  updateScaling(first: boolean): void {
    const { n, p, jac, diag, colNorm } = this;
    for (let j = 0; j < p; j++) colNorm[j] = columnNorm(jac, n, p, j);
    if (this.opts.scaling === "none") {
      diag.fill(1);
      return;
    }
    for (let j = 0; j < p; j++) {
      const c = colNorm[j]! > 0 ? colNorm[j]! : 1;
      diag[j] = first ? c : Math.max(diag[j]!, c);
    }
  }

  /** max_j |J_jᵀr| / (‖J_j‖·‖r‖) over the non-zero columns (lmder's gnorm). */
  gradientCosine(fnorm: number): number {
    const { n, p, jac, r, colNorm } = this;
    let g = 0;
    for (let j = 0; j < p; j++) {
      if (colNorm[j] === 0) continue;
      let s = 0;
      for (let i = 0; i < n; i++) s += jac[i * p + j]! * r[i]!;
      g = Math.max(g, Math.abs(s / colNorm[j]! / fnorm));
    }
    return g;
  }

  /** The SVD of J·D⁻¹, with Uᵀr. */
  factor(): void {
    const { n, p, jac, diag, r, ws } = this;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) ws.a[i * p + j] = jac[i * p + j]! / diag[j]!;
      ws.b[i] = r[i]!;
    }
    svd(ws, true);
  }

  /**
   * Pivoted QR of J·D⁻¹ with Qᵀr; when min |R_kk| > √ε·|R_00| (n ≥ p), the Gauss–Newton step
   * p̃ = −P·R⁻¹·(Qᵀr)₀.ₚ (scaled coordinates), its length ‖p̃‖ = ‖D·p‖ and the reduction of
   * ‖r‖² it predicts, ‖(Qᵀr)₀.ₚ‖².
   */
  gaussNewton(): void {
    const { n, p, jac, diag, r, qrA, qrB, qrWs, gnStep, z } = this;
    this.gnOk = false;
    if (n < p) return;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) qrA[i * p + j] = jac[i * p + j]! / diag[j]!;
      qrB[i] = r[i]!;
    }
    qrPivoted(qrA, qrWs, qrB);
    const r00 = Math.abs(qrA[0]!);
    for (let k = 0; k < p; k++) {
      if (!(Math.abs(qrA[k * p + k]!) > SQRT_EPS * r00)) return;
    }
    // Back substitution R·y = −(Qᵀr)₀.ₚ into z, then p̃[perm[k]] = y[k].
    let pred = 0;
    let norm = 0;
    for (let k = p - 1; k >= 0; k--) {
      let s = -qrB[k]!;
      for (let j = k + 1; j < p; j++) s -= qrA[k * p + j]! * z[j]!;
      z[k] = s / qrA[k * p + k]!;
      pred += qrB[k]! * qrB[k]!;
      norm += z[k]! * z[k]!;
    }
    for (let k = 0; k < p; k++) gnStep[qrWs.perm[k]!] = z[k]!;
    if (!Number.isFinite(norm) || !Number.isFinite(pred)) return;
    this.gnOk = true;
    this.gnNorm = Math.sqrt(norm);
    this.gnPred = pred;
  }

  /** trial = θ + D⁻¹·p̃ for the Gauss–Newton step; returns ‖D·p‖. */
  makeGaussNewtonTrial(): number {
    const { p, diag, theta, trial, gnStep } = this;
    for (let i = 0; i < p; i++) trial[i] = theta[i]! + gnStep[i]! / diag[i]!;
    return this.gnNorm;
  }

  /** Singular values above σ_max·max(n, p)·ε (the rest give a pseudo-inverse step). */
  rank(): number {
    const { sigma } = this.ws;
    const cut = sigma[0]! * rankTolerance(this.n, this.p);
    let k = 0;
    while (k < this.p && sigma[k]! > cut) k++;
    return k;
  }

  /** trial = θ + D⁻¹·V·z; returns ‖D·p‖ = ‖z‖. */
  makeTrial(): number {
    const { p, z, diag, theta, trial, ws } = this;
    for (let i = 0; i < p; i++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += ws.v[i * p + k]! * z[k]!;
      trial[i] = theta[i]! + s / diag[i]!;
    }
    return norm2(z);
  }

  scaledNorm(): number {
    let s = 0;
    for (let j = 0; j < this.p; j++) s += (this.diag[j]! * this.theta[j]!) ** 2;
    return Math.sqrt(s);
  }

  report(stepNorm: number): void {
    this.opts.onIteration?.({
      iteration: this.iterations,
      evaluations: this.evaluations,
      rss: sumSquares(this.r),
      lambda: this.lambda,
      radius: this.delta,
      stepNorm,
      theta: this.theta,
    });
  }

  /** r and J at the accepted θ; false if J (or r) is not all finite there. */
  refreshJacobian(): boolean {
    this.problem.residuals(this.theta, this.r, this.jac);
    this.jacobianEvaluations++;
    return allFinite(this.jac) && allFinite(this.r);
  }

  nonFiniteJacobian(): LmResult {
    const why = `the Jacobian at the accepted point of iteration ${this.iterations} is not all finite`;
    return this.result("non-finite-jacobian", why);
  }

  /** The result; a reason given as a function is formatted only when read. */
  result(stopCode: LmStopCode, reason: string | (() => string)): LmResult {
    const rss = sumSquares(this.r);
    return {
      theta: this.theta,
      rss,
      startRss: Number.isNaN(this.startRss) ? rss : this.startRss,
      iterations: this.iterations,
      evaluations: this.evaluations,
      jacobianEvaluations: this.jacobianEvaluations,
      stopCode,
      get stopReason() {
        return typeof reason === "string" ? reason : reason();
      },
      converged: CONVERGED_CODES.includes(stopCode),
      residuals: this.r,
      jacobian: this.jac,
      lambda: this.lambda,
      radius: this.delta,
    };
  }
}
