import { fitOde } from "./fit-ode.js";
import type { LoadedSetup, OdeFitSetup } from "./setup.js";

/**
 * Two runs reached the same optimum when their RSS differ by at most this much relative to
 * the best: far below any difference between distinct local optima, well above the noise of
 * Levenberg–Marquardt converged with integrator tolerances of 1e-8.
 */
export const SAME_OPTIMUM_RTOL = 1e-6;

/**
 * Levenberg–Marquardt iterations per start. A start that needs more is crawling along a
 * valley of a local optimum (on Lotka–Volterra such runs took 1000 iterations to stop at
 * RSS 5001 vs the best 52.5); the budget ends it, and the best start is polished afterwards
 * without a cap.
 */
export const START_LM_ITERATIONS = 200;

/** One start of a multistart fit, as plain data (it comes back from a worker thread). */
export interface StartRun {
  /** Position in the seeded list of starts. */
  readonly index: number;
  /** Start values of the free parameters, in their order. */
  readonly start: number[];
  /** The estimates reached (null when the fit could not start: non-finite at the start). */
  readonly estimates: number[] | null;
  readonly rss: number | null;
  readonly converged: boolean;
  /** Integrations that failed during this run. */
  readonly failures: number;
  readonly evaluations: number;
}

/**
 * Fits from one start with the setup's solver settings: the time-horizon continuation, then
 * Levenberg–Marquardt from its end (on Lotka–Volterra's factor-10 box 55 of 60 starts reach the
 * best value this way, 5–6 of 20 without it: bench/ode/FIT-RESULTS.md). Without continuation
 * (`setup.continuation: false`) the curve-fit pipeline: the first-order phase, then
 * Levenberg–Marquardt from its end and from the start, the better kept.
 */
export function fitFromStart(
  loaded: LoadedSetup,
  setup: OdeFitSetup,
  index: number,
  start: readonly number[],
): StartRun {
  const continuation = setup.continuation !== false;
  const { fit, integrations, failures } = fitOde(loaded.model, loaded.data, {
    ...setup.solve,
    lm: { maxIterations: START_LM_ITERATIONS },
    start: Float64Array.from(start),
    ...(continuation
      ? { firstOrder: false as const, lmFromStart: false }
      : { continuation: false as const }),
  });
  const finite = Number.isFinite(fit.rss);
  return {
    index,
    start: [...start],
    estimates: finite ? Array.from(fit.theta) : null,
    rss: finite ? fit.rss : null,
    converged: fit.converged,
    failures: failures.count,
    evaluations: integrations,
  };
}

export interface MultistartSummary {
  readonly starts: number;
  readonly seed: number;
  readonly bestRss: number | null;
  /** Index (in `runs`' start order) of the best run. */
  readonly best: number | null;
  /** Runs within SAME_OPTIMUM_RTOL of the best RSS ("best value found k times"). */
  readonly hits: number;
  readonly tolerance: number;
  /** Every run, sorted by RSS (the waterfall); runs without an RSS last, by index. */
  readonly waterfall: readonly StartRun[];
}

/** The waterfall and the count of runs that reached the best value. */
export function summariseStarts(runs: readonly StartRun[], seed: number): MultistartSummary {
  const waterfall = [...runs].sort((a, b) => {
    if (a.rss === null || b.rss === null) {
      return a.rss === b.rss ? a.index - b.index : a.rss === null ? 1 : -1;
    }
    return a.rss - b.rss || a.index - b.index;
  });
  const first = waterfall[0];
  const bestRss = first?.rss ?? null;
  const hits =
    bestRss === null
      ? 0
      : runs.filter(
          (r) => r.rss !== null && r.rss - bestRss <= SAME_OPTIMUM_RTOL * Math.max(bestRss, 1e-300),
        ).length;
  return {
    starts: runs.length,
    seed,
    bestRss,
    best: bestRss === null ? null : first!.index,
    hits,
    tolerance: SAME_OPTIMUM_RTOL,
    waterfall,
  };
}
