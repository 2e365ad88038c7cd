import { InputError } from "../../core/errors.js";
import type { CurveData } from "../../nls/curve-problem.js";
import type { FirstOrderOptions } from "../../nls/first-order.js";
import { type CurveFit, fitCurve, type PhaseReport } from "../../nls/fit-curve.js";
import type { ParameterSpec } from "../../nls/parameters.js";
import type { LmOptions } from "../../nls/solvers/lm-options.js";
import type { OdeModel } from "../model/index.js";
import { looksOptimal, observableFits } from "./explained.js";
import {
  type Continuation,
  type ContinuationOptions,
  continueHorizon,
} from "./horizon-continuation.js";
import {
  type IntegrationFailures,
  type OdeCurve,
  type OdeSolveOptions,
  odeCurve,
} from "./ode-curve.js";
import { checkTimesFrom, type OdeData } from "./ode-data.js";
import { type ResidualLayout, residualLayout } from "./residual-layout.js";

/**
 * Integrator tolerances of a fit unless given. Levenberg–Marquardt stops when its predicted
 * RSS reduction sinks below the integration noise, so the noise sets the digits: with rtol
 * 1e-10 the reference problems stop ~5e-6 from the optimum, with 1e-11 within ~1e-9
 * (tighter than 1e-12 roundoff starts to dominate the Dormand–Prince error estimate).
 */
export const FIT_RTOL = 1e-11;
export const FIT_ATOL = 1e-13;
/**
 * The clipped first-order phase's step budget in an ODE fit. Each step integrates the
 * sensitivities once; from a reasonable start LM does the work, and far starts are the
 * business of multistart, so the phase is kept short (curve fits use 3000).
 */
export const ODE_FIRST_ORDER_STEPS = 100;
/** Tolerances of the first-order phase (it only has to reach a basin). */
export const EXPLORE_RTOL = 1e-8;
export const EXPLORE_ATOL = 1e-10;
/**
 * Relative RSS difference under which two converged LM runs from different starts count as
 * the same minimum (converged runs stop ~1e-12 apart in RSS; distinct local minima of the
 * reference problems differ by more than 1e-4).
 */
export const ROUTES_AGREE = 1e-8;

export interface OdeFitOptions extends OdeSolveOptions {
  /**
   * Time-horizon continuation from the start (src/ode/fit/horizon-continuation.ts), whose end
   * is one more start for Levenberg–Marquardt; on by default (it runs when LM from the start
   * does not stand alone), false to skip it.
   */
  readonly continuation?: ContinuationOptions | false;
  /** The clipped first-order phase (default ODE_FIRST_ORDER_STEPS steps); false to skip it. */
  readonly firstOrder?: FirstOrderOptions | false;
  readonly lm?: LmOptions | false;
  /**
   * Run Levenberg–Marquardt from the start values first (default true). A multistart's
   * starts turn it off: from a far start that run is the costly one (trial points whose
   * trajectories need the integrator's whole step budget) and the continuation's end does
   * better; it still runs when the continuation fails as a route.
   */
  readonly lmFromStart?: boolean;
  /** Confidence level of the intervals (default 0.95). */
  readonly level?: number;
  /** Start values replacing the model's, in the order of the free parameters (multistart). */
  readonly start?: Float64Array;
}

/** An ODE fit: the curve-fit result plus what only an ODE fit has. */
export interface OdeFit {
  /** The chosen run, with every phase of the fit in `phases`. */
  readonly fit: CurveFit;
  /** The curve, data and specs the fit ran on (profiles and bands refit with them). */
  readonly curve: OdeCurve;
  readonly curveData: CurveData;
  readonly specs: readonly ParameterSpec[];
  readonly layout: ResidualLayout;
  readonly solve: OdeSolveOptions;
  /** The continuation's windows (null when it was off). */
  readonly continuation: Continuation | null;
  /** Integrations run and failed over all phases (both tolerances). */
  readonly integrations: number;
  readonly failures: IntegrationFailures;
}

/**
 * Fits the free parameters of `model` to wide data by least squares on (y − h)/σ: the same
 * pipeline as `biograd fit` (bounds as reparameterisation, so a positive parameter moves in
 * log space; Levenberg–Marquardt with the exact Jacobian from the forward sensitivities; the
 * nls summary in natural coordinates). LM runs from the start first; when it converges
 * inside the box with residuals like the optimum's (explained.ts) that is the fit. Otherwise
 * LM also runs from the time-horizon continuation's end, and from a clipped first-order
 * phase's end when those two routes disagree; the best converged run is kept. Every LM run
 * works at EXPLORE_RTOL/EXPLORE_ATOL first (or the fit's own, if looser) and is then polished
 * at the fit's tolerances, where the summary is computed; the continuation and the
 * first-order phase only have to reach a basin and stay at the exploring tolerances.
 */
export function fitOde(model: OdeModel, data: OdeData, options: OdeFitOptions = {}): OdeFit {
  checkFitModel(model, data);
  const params = model.parameters;
  const layout = residualLayout(data, model.noise(params.start), model.source);
  const solve: OdeSolveOptions = {
    rtol: options.rtol ?? FIT_RTOL,
    atol: options.atol ?? FIT_ATOL,
    ...(options.solver === undefined ? {} : { solver: options.solver }),
    ...(options.maxSteps === undefined ? {} : { maxSteps: options.maxSteps }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const curve = odeCurve(model, data, layout, solve, { exact: true });
  const specs = freeSpecs(model, options.start);
  const curveData: CurveData = { columns: [layout.t], y: layout.y, weights: layout.weights };
  const common = {
    ...(options.level === undefined ? {} : { level: options.level }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const phases: PhaseReport[] = [];
  const candidates: { from: PhaseReport["from"]; specs: ParameterSpec[] }[] = [];
  const exploreSolve: OdeSolveOptions = {
    ...solve,
    rtol: Math.max(solve.rtol!, EXPLORE_RTOL),
    atol: Math.max(solve.atol!, EXPLORE_ATOL),
  };
  const explore = odeCurve(model, data, layout, exploreSolve);
  const staged = solve.rtol! < exploreSolve.rtol! || solve.atol! < exploreSolve.atol!;
  let best: { fit: CurveFit; specs: ParameterSpec[]; report: PhaseReport } | null = null;
  const lmRuns: CurveFit[] = [];
  // Levenberg–Marquardt from one candidate start; the converged run with the least RSS wins.
  // With tolerances tighter than the exploring ones it runs first at those (an integration
  // with sensitivities at rtol 1e-8 costs a quarter of one at 1e-11, and far from the optimum
  // a step needs no more digits than that), then from that run's end at the fit's own: the
  // same optimum, reached in a few iterations (one route's report sums both runs).
  const polish = (c: { from: PhaseReport["from"]; specs: ParameterSpec[] }): CurveFit | null => {
    candidates.push(c);
    if (options.lm === false || (best !== null && options.signal?.aborted)) return null;
    const lm = { firstOrder: false as const, lm: options.lm ?? {}, ...common };
    let first: CurveFit | null = null;
    let from = c.specs;
    if (staged) {
      first = fitCurve(explore, curveData, c.specs, lm);
      if (Number.isFinite(first.rss) && first.theta.every(Number.isFinite)) {
        from = withStart(c.specs, first.theta);
      }
    }
    const run =
      first !== null && options.signal?.aborted ? first : fitCurve(curve, curveData, from, lm);
    lmRuns.push(run);
    const last = run.phases[0]!;
    const before = first === null || first === run ? null : first.phases[0]!;
    const report: PhaseReport = {
      ...last,
      from: c.from,
      chosen: false,
      iterations: last.iterations + (before?.iterations ?? 0),
      evaluations: last.evaluations + (before?.evaluations ?? 0),
    };
    phases.push(report);
    const better =
      best === null ||
      (run.converged && !best.fit.converged) ||
      (run.converged === best.fit.converged && run.rss < best.fit.rss);
    if (better) best = { fit: run, specs: c.specs, report };
    return run;
  };
  // LM from the start first: when it converges inside the box and its residuals look like the
  // optimum's (explained.ts: each observable explained, no long runs of one sign) the other routes would only lead back to the same optimum — from a
  // reasonable start they cost 5–10 times as much as this one — and the fit stops here.
  let startRun: CurveFit | null = null;
  let accepted = false;
  if (options.lmFromStart !== false) {
    startRun = polish({ from: "start", specs });
    accepted =
      startRun?.converged === true &&
      !onBound(startRun, specs) &&
      looksOptimal(observableFits(curve, layout, model.observables.length, startRun.theta));
  }
  let continuation: Continuation | null = null;
  if (!accepted && options.continuation !== false) {
    continuation = continueHorizon(model, data, specs, exploreSolve, options.continuation ?? {});
    if (continuation.stages.some((s) => s.kept)) {
      polish({ from: "continuation", specs: withStart(specs, continuation.theta) });
    }
  }
  // A continuation that ends on a bound of the box (its short windows can push a rate there)
  // or without converging has failed as a route: the other routes run even where a multistart
  // turned them off (Lotka–Volterra in a factor-2 box: 9 of 50 starts without this, 41 with).
  const continuationFailed =
    continuation !== null && !lmRuns.some((r) => r.converged && !onBound(r, specs));
  if (startRun === null && !accepted && continuationFailed) polish({ from: "start", specs });
  // Two independent routes — LM from the start and from the continuation's end — converging to
  // the same RSS have found the same minimum: the first-order phase (~100 integrations, most of
  // a fit's time; bench/ode/FIT-RESULTS.md) would only add a third route to it. As curve fits
  // run it only when LM from the start fails (docs/ARCHITECTURE.md), it runs here only when
  // the two routes disagree or one failed.
  const agreed =
    accepted ||
    (lmRuns.length === 2 &&
      lmRuns.every((r) => r.converged && !onBound(r, specs)) &&
      Math.abs(lmRuns[0]!.rss - lmRuns[1]!.rss) <=
        ROUTES_AGREE * Math.max(lmRuns[0]!.rss, lmRuns[1]!.rss));
  if ((options.firstOrder !== false || continuationFailed) && !agreed) {
    const fo = fitCurve(explore, curveData, specs, {
      firstOrder: { maxSteps: ODE_FIRST_ORDER_STEPS, ...(options.firstOrder ?? {}) },
      lm: false,
      ...common,
    });
    phases.push(...fo.phases.map((ph) => ({ ...ph, chosen: false })));
    if (Number.isFinite(fo.rss) && fo.theta.every(Number.isFinite)) {
      polish({ from: "first-order", specs: withStart(specs, fo.theta) });
    }
  }
  if (candidates.length === 0) polish({ from: "start", specs });
  if (best === null) {
    // LM skipped (or stopped before it ran): the first candidate, summarised, not converged.
    const only = fitCurve(curve, curveData, candidates[0]!.specs, {
      firstOrder: false,
      lm: false,
      ...common,
    });
    best = { fit: only, specs: candidates[0]!.specs, report: phases[phases.length - 1]! };
  }
  best.report.chosen = true;
  const failures: IntegrationFailures = {
    count: curve.failures.count + explore.failures.count + (continuation?.failures.count ?? 0),
    last: curve.failures.last ?? explore.failures.last ?? continuation?.failures.last ?? null,
  };
  return {
    fit: { ...best.fit, phases },
    curve,
    curveData,
    specs: best.specs,
    layout,
    solve,
    continuation,
    integrations:
      curve.integrations.count + explore.integrations.count + (continuation?.integrations ?? 0),
    failures,
  };
}

/** Whether a fit ended on (within 1e-7 relative of) a finite bound of a free parameter. */
function onBound(fit: CurveFit, specs: readonly ParameterSpec[]): boolean {
  return specs.some((s, k) => {
    const v = fit.theta[k]!;
    const near = (b: number | undefined) =>
      b !== undefined && Number.isFinite(b) && Math.abs(v - b) <= 1e-7 * Math.max(1, Math.abs(b));
    return near(s.lower) || near(s.upper);
  });
}

/** The specs with new start values (in the order of the free parameters). */
function withStart(specs: readonly ParameterSpec[], theta: Float64Array): ParameterSpec[] {
  return specs.map((s, k) => ({ ...s, start: theta[k]! }));
}

/** The free parameters as curve-fit specs (fixed ones are already inside the model). */
export function freeSpecs(model: OdeModel, start?: Float64Array): ParameterSpec[] {
  const p = model.parameters;
  if (start !== undefined && start.length !== p.free.length) {
    throw new InputError(
      `${model.source}: ${start.length} start values for ${p.free.length} free parameters`,
    );
  }
  return p.free.map((name, k) => ({
    name,
    start: start === undefined ? p.start[k]! : start[k]!,
    lower: p.lower[k]!,
    upper: p.upper[k]!,
  }));
}

function checkFitModel(model: OdeModel, data: OdeData): void {
  if (model.conditionColumn !== null) {
    throw new InputError(
      `${model.source}: conditions: fits of several conditions are not supported yet; fit each condition's data separately`,
    );
  }
  model.noiseSources.forEach((source, k) => {
    if (source.kind === "parameter") {
      throw new InputError(
        `${model.source}: noise.${model.observables[k]}: a fitted σ (parameter ${source.name}) is not supported by ode fit yet; give a number or a constant`,
      );
    }
  });
  if (model.parameters.free.length === 0) {
    throw new InputError(`${model.source}: every parameter is fixed; nothing to fit`);
  }
  checkTimesFrom(data, model.t0, model.source);
}
