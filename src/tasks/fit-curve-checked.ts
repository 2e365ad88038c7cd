import { type CurveFit, fitCurve } from "../nls/fit-curve.js";
import type { EpochRecord } from "../train/history.js";
import { curveFitExtras } from "./fit-curve-extras.js";
import type { FieldLabels, FitCurveRequest } from "./fit-curve-request.js";
import { type CurveResiduals, curveResiduals } from "./fit-curve-residuals.js";
import { type FitCurveResult, fitCurveResult } from "./fit-curve-result.js";
import { type PreparedCurveFit, prepareCheckedCurveFit } from "./prepare-checked-curve-fit.js";
import type { TaskOptions } from "./types.js";

/** The first-order phase's default step budget (src/nls/first-order.ts). */
const FIRST_ORDER_STEPS = 3000;

export interface FitCurveOptions extends TaskOptions {
  /** How messages name the request's fields (the CLI passes its option names). */
  labels?: FieldLabels;
}

/**
 * `fit-curve` (fit-curve.ts) for a request the schema would accept, not checked again: what
 * `biograd fit` runs on the request it built and checked from its options, so that a fit's
 * start-up builds no zod schema (bench/startup/RESULTS.md). Anything else goes through
 * runFitCurve.
 */
export function runCheckedFitCurve(
  request: FitCurveRequest,
  options: FitCurveOptions & { labels: FieldLabels },
): FitCurveResult & { residuals?: CurveResiduals } {
  return runPreparedFitCurve(prepareCheckedCurveFit(request, options.labels), options);
}

/** The fit and its result, of a prepared request (runFitCurve's and runCheckedFitCurve's). */
export function runPreparedFitCurve(
  prepared: PreparedCurveFit,
  options: FitCurveOptions,
): FitCurveResult & { residuals?: CurveResiduals } {
  const fit = fitPrepared(prepared, options);
  const result = fitCurveResult(prepared, fit, curveFitExtras(prepared, fit));
  // Rows are returned only when asked: a saved fit stays small.
  return prepared.request.residuals
    ? { ...result, residuals: curveResiduals(prepared, fit) }
    : result;
}

/**
 * The fit of a prepared request with the options `fit-curve` uses (phases, level, signal,
 * progress in first-order steps): shared with `compare-models`, so that a comparison fits
 * each model exactly as `biograd fit` would.
 */
export function fitPrepared(prepared: PreparedCurveFit, options: TaskOptions = {}): CurveFit {
  const phases = prepared.request.phases ?? ["clipped", "lm"];
  const { signal, onProgress } = options;
  // Progress is counted in first-order steps (its default budget); LM runs take milliseconds.
  const firstOrder = onProgress
    ? {
        onEpoch: (r: EpochRecord) =>
          onProgress({ done: r.epoch + 1, total: FIRST_ORDER_STEPS, loss: r.loss }),
      }
    : {};
  const fit = fitCurve(
    prepared.curve,
    { columns: prepared.columns, y: prepared.y, weights: prepared.weights },
    prepared.specs,
    {
      firstOrder: phases.includes("clipped") ? firstOrder : false,
      lm: phases.includes("lm") ? {} : false,
      // Phases asked for by name all run; the default lets a good LM-from-start skip the clip.
      lmFirst: prepared.request.phases === undefined,
      level: prepared.request.level,
      ...(signal ? { signal } : {}),
    },
  );
  // A good start is fitted by LM alone (no first-order steps to count): the end is progress too.
  onProgress?.({ done: FIRST_ORDER_STEPS, total: FIRST_ORDER_STEPS });
  return fit;
}
