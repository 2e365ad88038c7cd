import type { CurveFunction } from "../core/curve.js";
import { InputError } from "../core/errors.js";
import { type CurveData, curveProblem } from "./curve-problem.js";
import { type FirstOrderOptions, firstOrder } from "./first-order.js";
import {
  atBounds,
  type Parameterisation,
  type ParameterSpec,
  parameterise,
  toInternal,
  toNatural,
} from "./parameters.js";
import { levenbergMarquardt } from "./solvers/levenberg-marquardt.js";
import type { LmOptions } from "./solvers/lm-options.js";
import { type NlsSummary, type NlsWarning, nlsSummary } from "./stats/index.js";

export interface FitOptions {
  /** The robust clipped first-order phase; `false` to skip it. */
  firstOrder?: FirstOrderOptions | false;
  /** The Levenberg–Marquardt polish; `false` to skip it. */
  lm?: LmOptions | false;
  /**
   * With both phases on, run Levenberg–Marquardt from the start first and skip the clipped
   * phase when that fit is good enough (converged, better than a constant, off the bounds);
   * default true. `false` always runs the clipped phase first (the pipeline before).
   */
  lmFirst?: boolean;
  /** Confidence level of the intervals (default 0.95). */
  level?: number;
  /**
   * Stops the fit at the next first-order step or before the next Levenberg–Marquardt run;
   * an interrupted fit is not converged (its estimates are the best point reached).
   */
  signal?: AbortSignal;
}

/** What one phase did and why it stopped. */
export interface PhaseReport {
  phase: "first-order" | "levenberg-marquardt";
  /**
   * Where the phase started: the given start values, the first-order phase's end, or (ODE
   * fits) the end of a time-horizon continuation.
   */
  from: "start" | "first-order" | "continuation";
  iterations: number;
  evaluations: number;
  stopReason: string;
  converged: boolean;
  /** RSS (Σ r²) at the end of the phase. */
  rss: number;
  /** Whether the estimates come from this phase. */
  chosen: boolean;
}

export interface CurveFit {
  /** All parameter names, in the curve's order. */
  names: readonly string[];
  /** Estimates by name (fixed parameters at their given value). */
  estimates: Record<string, number>;
  theta: Float64Array;
  /** Parameters that were held fixed. */
  fixed: readonly string[];
  rss: number;
  /** Rows used. */
  n: number;
  converged: boolean;
  phases: PhaseReport[];
  /** The nls-style summary over the free parameters (standard errors null when untrustworthy). */
  summary: NlsSummary;
  warnings: NlsWarning[];
}

/**
 * Fits `curve` to data. First Levenberg–Marquardt from the start (analytic Jacobian, a
 * trust-region method: the step itself is bounded); if that fit is good enough it is the
 * answer. Otherwise a clipped first-order phase that is robust from poor starts (skip
 * non-finite + global-norm clip + Adam, in internal coordinates where bounds are transforms
 * and every parameter is of order one), then LM from its result, keeping the better of that
 * and LM from the start (`lmFirst: false` always takes this second road).
 * The summary (standard errors, intervals, R², AIC/BIC) is computed in natural coordinates.
 */
export function fitCurve(
  curve: CurveFunction,
  data: CurveData,
  specs: readonly ParameterSpec[],
  options: FitOptions = {},
): CurveFit {
  checkFitInput(curve, data, specs);
  const param = parameterise(specs);
  const problem = curveProblem(curve, data, param);
  const n = data.y.length;
  const q = param.free.length;
  const start = toInternal(param);
  let phi = start;
  const phases: PhaseReport[] = [];

  const interrupted = () => options.signal?.aborted === true;
  const lmReport = (lm: ReturnType<typeof levenbergMarquardt>, from: PhaseReport["from"]) => ({
    phi: Float64Array.from(lm.theta),
    report: {
      phase: "levenberg-marquardt",
      from,
      iterations: lm.iterations,
      evaluations: lm.evaluations,
      stopReason: lm.stopCode,
      converged: lm.converged,
      rss: lm.rss,
      chosen: false,
    } satisfies PhaseReport as PhaseReport,
  });
  const both = options.firstOrder !== false && options.lm !== false;
  // LM first, from the start: when it is good enough (see `goodEnough`), the clipped phase
  // would only lead LM back to the same optimum, so it is not run. It always ran before;
  // bench/CURVE-RESULTS.md measures the default pipeline against LM alone.
  let fromStart: { phi: Float64Array; report: PhaseReport } | null = null;
  if (both && options.lmFirst !== false && !interrupted()) {
    fromStart = lmReport(levenbergMarquardt(problem, start, options.lm || {}), "start");
    if (goodEnough(fromStart.report, fromStart.phi, param, data)) {
      fromStart.report.chosen = true;
      phases.push(fromStart.report);
      phi = fromStart.phi;
    } else {
      phi = start;
    }
  }

  const decided = phases.length > 0;
  if (!decided && options.firstOrder !== false) {
    const signal = options.signal ? { signal: options.signal } : {};
    const fo = firstOrder(problem, phi, { ...(options.firstOrder || {}), ...signal });
    phases.push({
      phase: "first-order",
      from: "start",
      iterations: fo.steps,
      evaluations: fo.steps + fo.rejected + 1,
      stopReason: fo.stopReason,
      converged: fo.stopReason === "converged",
      rss: fo.loss * n,
      chosen: options.lm === false,
    });
    phi = fo.phi;
  }
  if (!decided && options.lm !== false && !interrupted()) {
    // Polish from where the first-order phase ended and, when it ran, also from the start
    // itself: the clipped phase can walk into a different basin (BoxBOD from NIST's start 1
    // reaches a plateau where b2 → ∞), and an LM run costs little. The lower RSS wins, a
    // converged run before one that did not converge. (LM from the start may have run
    // already, above: its result is reused, in the same order of comparison as always.)
    const ranFirstOrder = phases.length > 0;
    const starts: { from: PhaseReport["from"]; phi: Float64Array }[] = [
      { from: ranFirstOrder ? "first-order" : "start", phi },
    ];
    if (ranFirstOrder) starts.push({ from: "start", phi: start });
    let best: { phi: Float64Array; report: PhaseReport } | null = null;
    for (const s of starts) {
      if (best !== null && interrupted() && !(s.from === "start" && fromStart)) break;
      const run =
        s.from === "start" && fromStart
          ? fromStart
          : lmReport(levenbergMarquardt(problem, s.phi, options.lm || {}), s.from);
      phases.push(run.report);
      const report = run.report;
      const better =
        best === null ||
        (report.converged && !best.report.converged) ||
        (report.converged === best.report.converged && report.rss < best.report.rss);
      if (better) best = run;
    }
    best!.report.chosen = true;
    phi = best!.phi;
  } else if (!decided && phases.length > 0) {
    phases[phases.length - 1]!.chosen = true; // LM skipped or interrupted: the first-order point
  }

  const theta = new Float64Array(curve.params.length);
  toNatural(param, phi, theta, new Float64Array(q));
  // Residuals and Jacobian in natural coordinates for the summary.
  const r = new Float64Array(n);
  const jac = new Float64Array(n * q);
  problem.naturalJacobian(theta, r, jac);
  let rss = 0;
  for (let i = 0; i < n; i++) rss += r[i]! * r[i]!;
  const freeNames = param.free.map((f) => f.name);
  const chosen = phases.find((p) => p.chosen);
  // An interrupted fit did not finish: whatever a phase reported, it is not converged.
  const converged = (chosen?.converged ?? false) && !interrupted();
  const summary = nlsSummary(
    {
      theta: Float64Array.from(param.free, (f) => theta[f.index]!),
      residuals: r,
      jacobian: jac,
      names: freeNames,
      weights: data.weights,
      y: data.y,
    },
    { level: options.level ?? 0.95 },
  );
  const warnings: NlsWarning[] = [...summary.warnings];
  const bounded = atBounds(param, theta);
  if (bounded.length > 0) {
    warnings.push({
      code: "at-bound",
      message: `${bounded.join(", ")} ${bounded.length === 1 ? "is" : "are"} at a bound: standard errors assume an interior optimum and are not given`,
    });
  }
  if (!converged) {
    warnings.push({
      code: "not-converged",
      message: `the fit did not converge (${interrupted() ? "interrupted" : chosen ? `${chosen.phase}: ${chosen.stopReason}` : "no phase ran"}); standard errors are not given`,
    });
  }
  const trusted = bounded.length === 0 && converged;
  const estimates: Record<string, number> = {};
  curve.params.forEach((name, i) => {
    estimates[name] = theta[i]!;
  });
  return {
    names: curve.params,
    estimates,
    theta,
    fixed: specs.filter((s) => s.fixed).map((s) => s.name),
    rss,
    n,
    converged,
    phases,
    summary: trusted ? summary : withoutUncertainty(summary),
    warnings,
  };
}

/**
 * The cheap test that lets LM from the start stand alone. All three must hold:
 * - LM converged by its own criteria (not the iteration or evaluation budget, not a failure);
 * - its RSS is at most half that of the best constant, Σ wᵢ(yᵢ − ȳ_w)² (R² ≥ 0.5): a curve
 *   that explains little has slid onto a plateau (BoxBOD from NIST's first start, b2 → ∞) or
 *   into a poor local minimum (the Hill curve from ÷10 starts: R² 0.12 where the optimum has
 *   0.998), exactly the cases the clipped phase and a second LM run are for. Merely beating
 *   the constant was not enough (that Hill minimum does). A genuinely poor optimum (noisy
 *   data, R² < 0.5) also fails the test: it then takes the full road, as before;
 * - no parameter sits at a bound: a fit pinned to a bound is often a degenerate basin.
 * Everything it needs is already computed, so the test costs one pass over y.
 */
/** RSS / constant-model RSS at or below which LM from the start may stand alone (R² ≥ 0.5). */
const MIN_EXPLAINED = 0.5;

function goodEnough(
  report: PhaseReport,
  phi: Float64Array,
  param: Parameterisation,
  data: CurveData,
): boolean {
  if (!report.converged || !Number.isFinite(report.rss)) return false;
  const { y, weights } = data;
  let sw = 0;
  let swy = 0;
  for (let i = 0; i < y.length; i++) {
    const w = weights ? weights[i]! : 1;
    sw += w;
    swy += w * y[i]!;
  }
  const mean = swy / sw;
  let constantRss = 0;
  for (let i = 0; i < y.length; i++) {
    const w = weights ? weights[i]! : 1;
    constantRss += w * (y[i]! - mean) ** 2;
  }
  if (!(report.rss <= MIN_EXPLAINED * constantRss)) return false;
  const theta = new Float64Array(param.names.length);
  toNatural(param, phi, theta, new Float64Array(param.free.length));
  return atBounds(param, theta).length === 0;
}

/** The summary with every number that relies on the covariance removed. */
export function withoutUncertainty(s: NlsSummary): NlsSummary {
  return {
    ...s,
    standardErrors: null,
    tValues: null,
    pValues: null,
    lower: null,
    upper: null,
    covariance: null,
    correlation: null,
  };
}

function checkFitInput(
  curve: CurveFunction,
  data: CurveData,
  specs: readonly ParameterSpec[],
): void {
  const names = specs.map((s) => s.name);
  if (names.join("\u0000") !== curve.params.join("\u0000")) {
    throw new InputError(
      `fit: parameters given (${names.join(", ")}) do not match the model's (${curve.params.join(", ")})`,
    );
  }
  if (data.columns.length !== curve.variables.length) {
    throw new InputError(
      `fit: the model needs ${curve.variables.length} variable column(s) (${curve.variables.join(", ")}), got ${data.columns.length}`,
    );
  }
  const n = data.y.length;
  const free = specs.filter((s) => !s.fixed).length;
  if (free === 0) throw new InputError("fit: every parameter is fixed; nothing to fit");
  if (n < free) {
    throw new InputError(
      `fit: ${n} data points for ${free} free parameters; need at least as many points as parameters`,
    );
  }
  curve.variables.forEach((v, k) => {
    const col = data.columns[k]!;
    if (col.every((value) => value === col[0])) {
      throw new InputError(
        `fit: every value of "${v}" is ${col[0]}; the curve cannot be fitted when ${v} does not vary`,
      );
    }
  });
}
