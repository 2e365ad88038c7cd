import type { CurveData } from "../../nls/curve-problem.js";
import { fitCurve } from "../../nls/fit-curve.js";
import type { ParameterSpec } from "../../nls/parameters.js";
import type { OdeModel } from "../model/index.js";
import {
  type IntegrationFailures,
  type OdeCurve,
  type OdeSolveOptions,
  odeCurve,
} from "./ode-curve.js";
import type { OdeData } from "./ode-data.js";
import { type ResidualLayout, residualLayout } from "./residual-layout.js";

/**
 * Time-horizon continuation ("incremental" or "growing-window" fitting; see e.g. Bock 1983's
 * discussion of single shooting and the homotopy approach of Vyshemirsky & Girolami): fit
 * the data of a short first window, then lengthen the window and refit from the previous
 * estimates, until the window holds all the data. On a short window a trajectory cannot drift
 * a whole period (or a whole transient) away from the data, so the least-squares landscape has
 * few of the local optima that trap a fit of an oscillating or switching system from a far
 * start; each longer window starts near its optimum. The last stage's estimates are a start
 * for the full fit, not its result.
 */
export interface ContinuationOptions {
  /** The first window's share of the data's time span (default 0.1). */
  readonly first?: number;
  /** The factor by which each window's span grows (default 1.5). */
  readonly growth?: number;
  /** Levenberg–Marquardt iterations per stage (default 50): a stage only has to get close. */
  readonly stageIterations?: number;
}

export const CONTINUATION_DEFAULTS = { first: 0.1, growth: 1.5, stageIterations: 50 } as const;

/**
 * The integrator's step budget in a window (unless the fit's own is smaller). A trajectory
 * that needs more to cover part of the data is in a degenerate corner (a rate near ∞, a
 * population exploding); such a trial point is rejected like any failed integration,
 * instead of costing the default 100 000 steps each time.
 */
export const CONTINUATION_MAX_STEPS = 10_000;

/** One window of the continuation. */
export interface ContinuationStage {
  /** The window's last time. */
  readonly horizon: number;
  /** Data rows (times) and measured cells in the window. */
  readonly rows: number;
  readonly residuals: number;
  readonly iterations: number;
  readonly stopReason: string;
  /** RSS of the window at the stage's end (null if not finite). */
  readonly rss: number | null;
  /** Whether its estimates started the next stage (finite and strictly inside the bounds). */
  readonly kept: boolean;
}

export interface Continuation {
  /** The last kept estimates (the start if no stage was kept). */
  readonly theta: Float64Array;
  readonly stages: readonly ContinuationStage[];
  readonly integrations: number;
  readonly failures: IntegrationFailures;
}

/**
 * The number of leading data rows in each window: the window's span grows geometrically from
 * `first` of the data's span (measured from the first data time) by `growth`, each window
 * holds at least one more row than the last and at least as many measured cells as there are
 * free parameters plus one, and the last window before the full data holds fewer rows than it
 * (the full data are the fit's own business).
 */
export function horizonWindows(
  data: OdeData,
  parameters: number,
  options: ContinuationOptions = {},
): number[] {
  const first = options.first ?? CONTINUATION_DEFAULTS.first;
  const growth = options.growth ?? CONTINUATION_DEFAULTS.growth;
  const times = data.times;
  const rows = times.length;
  const m = data.observables.length;
  const cells = new Uint32Array(rows + 1); // cells[r]: measured cells in the first r rows
  for (let i = 0; i < rows; i++) {
    let c = 0;
    for (let k = 0; k < m; k++) if (!Number.isNaN(data.values[i * m + k]!)) c++;
    cells[i + 1] = cells[i]! + c;
  }
  if (rows < 2) return [];
  const t0 = times[0]!;
  const span = times[rows - 1]! - t0;
  const windows: number[] = [];
  let last = 0;
  for (let share = first; share < 1; share *= growth) {
    let r = last + 1;
    while (r < rows && (times[r]! <= t0 + share * span || cells[r]! <= parameters)) r++;
    if (r >= rows) break;
    windows.push(r);
    last = r;
  }
  return windows;
}

/** Fits the growing windows in turn from `specs`' starts (see ContinuationOptions). */
export function continueHorizon(
  model: OdeModel,
  data: OdeData,
  specs: readonly ParameterSpec[],
  solve: OdeSolveOptions,
  options: ContinuationOptions = {},
): Continuation {
  const iterations = options.stageIterations ?? CONTINUATION_DEFAULTS.stageIterations;
  const sigma = model.noise(model.parameters.start);
  const initial = Float64Array.from(specs, (s) => s.start);
  let theta = initial;
  const stages: ContinuationStage[] = [];
  const failures: IntegrationFailures = { count: 0, last: null };
  let integrations = 0;
  for (const rows of horizonWindows(data, specs.length, options)) {
    if (solve.signal?.aborted) break;
    const window = prefixRows(data, rows);
    const layout = residualLayout(window, sigma, model.source);
    const curve = odeCurve(model, window, layout, {
      ...solve,
      maxSteps: Math.min(solve.maxSteps ?? Number.POSITIVE_INFINITY, CONTINUATION_MAX_STEPS),
    });
    const curveData: CurveData = { columns: [layout.t], y: layout.y, weights: layout.weights };
    // Warm start, unless the previous window's estimates fit this window worse than the
    // start values (or cannot be integrated over it): a stage that ran off into a degenerate
    // corner of a short window (a rate → 0 or ∞) does not drag the later windows with it.
    const from =
      theta === initial || windowRss(curve, layout, theta) <= windowRss(curve, layout, initial)
        ? theta
        : initial;
    const start = specs.map((s, k) => ({ ...s, start: from[k]! }));
    const fit = fitCurve(curve, curveData, start, {
      firstOrder: false,
      lm: { maxIterations: iterations },
    });
    integrations += curve.integrations.count;
    failures.count += curve.failures.count;
    failures.last = curve.failures.last ?? failures.last;
    const kept = Number.isFinite(fit.rss) && insideBounds(fit.theta, specs);
    if (kept) theta = Float64Array.from(fit.theta);
    const phase = fit.phases[0];
    stages.push({
      horizon: window.times[rows - 1]!,
      rows,
      residuals: layout.n,
      iterations: phase?.iterations ?? 0,
      stopReason: phase?.stopReason ?? "not run",
      rss: Number.isFinite(fit.rss) ? fit.rss : null,
      kept,
    });
  }
  return { theta, stages, integrations, failures };
}

/** The weighted RSS of a window at θ (+∞ when the model cannot be integrated there). */
function windowRss(curve: OdeCurve, layout: ResidualLayout, theta: Float64Array): number {
  const f = new Float64Array(layout.n);
  curve.evaluate(theta, [layout.t], layout.n, f, null);
  let rss = 0;
  for (let k = 0; k < layout.n; k++) {
    const r = layout.y[k]! - f[k]!;
    rss += (layout.weights?.[k] ?? 1) * r * r;
  }
  return Number.isFinite(rss) ? rss : Number.POSITIVE_INFINITY;
}

/**
 * Estimates a later fit can start from: finite and strictly inside the bounds (a positive
 * parameter that ran off to 0 or ∞ in log coordinates cannot be a start).
 */
function insideBounds(theta: Float64Array, specs: readonly ParameterSpec[]): boolean {
  return specs.every((s, k) => {
    const v = theta[k]!;
    return (
      Number.isFinite(v) &&
      v > (s.lower ?? Number.NEGATIVE_INFINITY) &&
      v < (s.upper ?? Number.POSITIVE_INFINITY)
    );
  });
}

/** The data's first `rows` rows. */
function prefixRows(data: OdeData, rows: number): OdeData {
  const m = data.observables.length;
  return {
    ...data,
    times: data.times.subarray(0, rows),
    values: data.values.subarray(0, rows * m),
    lines: data.lines.subarray(0, rows),
  };
}
