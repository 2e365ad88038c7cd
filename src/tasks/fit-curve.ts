import { fitCurve } from "../nls/fit-curve.js";
import type { FieldLabels } from "./fit-curve-request.js";
import { type FitCurveResult, fitCurveResult } from "./fit-curve-result.js";
import { prepareCurveFit } from "./prepare-curve-fit.js";
import type { TaskOptions } from "./types.js";

export interface FitCurveOptions extends TaskOptions {
  /** How messages name the request's fields (the CLI passes its option names). */
  labels?: FieldLabels;
}

/**
 * The `fit-curve` task: a curve fit from a JSON request (see fit-curve-request.ts) to a JSON
 * result (estimates, standard errors, intervals, RSS, R², AIC/BIC, phases, warnings, the
 * model). Bad requests are InputErrors naming the field; it never prints.
 */
export function runFitCurve(request: unknown, options: FitCurveOptions = {}): FitCurveResult {
  const prepared = prepareCurveFit(request, options.labels);
  const phases = prepared.request.phases ?? ["clipped", "lm"];
  const fit = fitCurve(
    prepared.curve,
    { columns: prepared.columns, y: prepared.y, weights: prepared.weights },
    prepared.specs,
    {
      firstOrder: phases.includes("clipped") ? {} : false,
      lm: phases.includes("lm") ? {} : false,
      level: prepared.request.level,
    },
  );
  return fitCurveResult(prepared, fit);
}
