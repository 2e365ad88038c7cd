import type { CurveFunction } from "../../core/curve.js";
import type { CurveData } from "../curve-problem.js";
import type { PhaseReport } from "../fit-curve.js";
import { atBounds, type ParameterSpec, parameterise } from "../parameters.js";
import { DistinctX } from "../quality/distinct-x.js";
import { SMALL_P } from "../stats/small-inverse-gram.js";
import { SmallSummary } from "../stats/small-summary.js";
import type { NlsWarning } from "../stats/summary-types.js";
import type { ManyCurveFit } from "./curve-fitter.js";

/**
 * What a grouped fit reports of one many-curves fit besides the estimates — the summary at θ̂
 * (standard errors, Wald intervals, R², correlations) and the specs the quality flags read —
 * on buffers built once per run and row size, instead of a parameterisation, a least-squares
 * problem, an SVD and a dozen arrays per curve.
 *
 * The residuals and the natural Jacobian at θ̂ are computed exactly as curveProblem's
 * naturalJacobian computes them on the same curve (the same kernel call, the same operations),
 * the summary by SmallSummary. The curve is the one the fitters ran — a library model's fused
 * kernel (kernels.ts) where it has one, whose f and partials agree with the compiled formula's
 * to an ulp or two (test/nls/many/curve-report-kernel.test.ts: the report to 1e-12) at a
 * fraction of the cost. The residuals stay in `fit.residuals` for the outlier test. `prepare` returns false for a fit this path does not report — not converged,
 * a parameter at a bound, more than SMALL_P free parameters, or a summary nlsSummary must
 * write (a warning, no residual degrees of freedom, ...) — and the caller then takes the full
 * road (nlsSummary and a CurveFit), which reports those cases as it always has.
 *
 * After a true return, `fit` and `specs` describe this curve until the next call: they are
 * reused, so copy what you keep (a GroupRow does).
 */
export class ManyCurveReport {
  readonly specs: ParameterSpec[];
  readonly fit: {
    readonly names: readonly string[];
    readonly theta: Float64Array;
    rss: number;
    n: number;
    readonly converged: true;
    readonly phases: PhaseReport[];
    readonly warnings: NlsWarning[];
    readonly summary: SmallSummary;
    /** r_i = √w_i·(y_i − f_i) at θ̂ (n long): the outlier test's least-squares residuals. */
    residuals: Float64Array;
    /**
     * The constant model's RSS on the curve's rows when it is the fitter's (unweighted, every
     * row used: see prepare), for the flags' F test (QualityFit.tss); else undefined.
     */
    tss: number | undefined;
  };
  private readonly free: Int32Array;
  private readonly freeTheta: Float64Array;
  private readonly bounded: boolean;
  private readonly f: Float64Array;
  private readonly full: Float64Array;
  private readonly r: Float64Array;
  private readonly jac: Float64Array;
  /** The curve evaluated once per distinct x (replicates copied: the same bits). */
  private readonly distinct: DistinctX;

  constructor(
    private readonly curve: CurveFunction,
    /** Parameters held at their value, by name (the fit's `--fix`). */
    fixed: Readonly<Record<string, number>>,
    /** Parameters kept > 0 (lower bound 0, as the fast engine fits them). */
    positive: readonly string[],
    readonly maxRows: number,
  ) {
    const params = curve.params;
    const isFixed = (name: string) => Object.hasOwn(fixed, name);
    this.specs = params.map((name) => ({
      name,
      start: 0,
      fixed: isFixed(name),
      ...(positive.includes(name) ? { lower: 0, upper: Infinity } : {}),
    }));
    this.free = Int32Array.from(params.flatMap((name, j) => (isFixed(name) ? [] : [j])));
    this.bounded = params.some((name) => !isFixed(name) && positive.includes(name));
    const q = this.free.length;
    const names = Array.from(this.free, (j) => params[j]!);
    this.freeTheta = new Float64Array(q);
    this.f = new Float64Array(maxRows);
    this.full = new Float64Array(maxRows * params.length);
    this.r = new Float64Array(maxRows);
    this.jac = new Float64Array(maxRows * q);
    this.distinct = new DistinctX(maxRows, params.length);
    this.fit = {
      names: params,
      theta: new Float64Array(params.length),
      rss: Number.NaN,
      n: 0,
      converged: true,
      phases: [],
      warnings: [],
      summary: new SmallSummary(names, Math.max(maxRows, q)),
      residuals: this.r,
      tss: undefined,
    };
  }

  /** Whether this path can report a fit with `q` free parameters at all. */
  static fits(q: number): boolean {
    return q >= 1 && q <= SMALL_P;
  }

  /** The report of `r` on `data` (its rows, n ≤ maxRows), Wald intervals at `level`. */
  prepare(r: ManyCurveFit, data: CurveData, level: number): boolean {
    const n = data.y.length;
    if (!r.converged || n > this.maxRows) return false;
    const { specs, fit, free, freeTheta } = this;
    const theta = fit.theta;
    theta.set(r.theta);
    for (let j = 0; j < specs.length; j++) specs[j]!.start = theta[j]!;
    // A bounded (positive) parameter at its bound: the full road says so and drops the
    // uncertainty, as it always has.
    if (this.bounded && atBounds(parameterise(specs), theta).length > 0) return false;
    this.residualsAndJacobian(theta, data);
    for (let k = 0; k < free.length; k++) freeTheta[k] = theta[free[k]!]!;
    // Unweighted, on the rows the fitter used (all of them: it drops only non-finite ones),
    // R²'s total sum of squares is the constant model's RSS the fitter has computed:
    // CurveRows.constantRss sums 1·y and 1, then (1·(y − ȳ))², as rSquared sums y·1, 1 and
    // 1·(y − ȳ)² (x ** 2 is x·x in V8), so the same bits without two more passes over y.
    const tss = data.weights === null && r.n === n ? r.rssConstant : null;
    if (!fit.summary.compute(freeTheta, this.r, this.jac, n, data.weights, data.y, level, tss)) {
      return false;
    }
    fit.rss = r.rss;
    fit.n = n;
    // totalSumOfSquares sums (weights?.[i] ?? 1)·(y − ȳ)² as rSquared does: the same bits.
    fit.tss = tss ?? undefined;
    // A view of the first n residuals, made again only when n changes (a run's curves mostly
    // share one n).
    if (fit.residuals.length !== n) fit.residuals = this.r.subarray(0, n);
    return true;
  }

  /** r_i = √w_i·(y_i − f_i) and J = ∂r/∂θ (free columns) at θ: curveProblem's operations. */
  private residualsAndJacobian(theta: Float64Array, data: CurveData): void {
    const { curve, f, full, r, jac, free } = this;
    const n = data.y.length;
    const pAll = curve.params.length;
    const q = free.length;
    const w = data.weights;
    if (w === null && q === pAll) {
      // Unweighted with every parameter free (most runs): s = 1 and J = −∂f/∂θ, the same bits,
      // the partials written straight into J and negated there.
      this.distinct.evaluate(curve, theta, data.columns, n, f, jac);
      const y = data.y;
      for (let i = 0; i < n; i++) r[i] = y[i]! - f[i]!;
      for (let k = 0; k < n * q; k++) jac[k] = -jac[k]!;
      return;
    }
    this.distinct.evaluate(curve, theta, data.columns, n, f, full);
    for (let i = 0; i < n; i++) {
      const s = w ? Math.sqrt(w[i]!) : 1;
      r[i] = s * (data.y[i]! - f[i]!);
      for (let k = 0; k < q; k++) jac[i * q + k] = -s * full[i * pAll + free[k]!]!;
    }
  }
}
