import { type FitCurveOptions, runPreparedFitCurve } from "./fit-curve-checked.js";
import type { CurveResiduals } from "./fit-curve-residuals.js";
import type { FitCurveResult } from "./fit-curve-result.js";
import { prepareCurveFit } from "./prepare-curve-fit.js";

export { type FitCurveOptions, fitPrepared } from "./fit-curve-checked.js";

/**
 * The `fit-curve` task: a curve fit from a JSON request (see fit-curve-request.ts) to a JSON
 * result (estimates, standard errors, intervals, RSS, R², AIC/BIC, phases, warnings, the
 * model, quality flags, EC50; profile intervals with `ci: "profile"`; every row's fitted value
 * and residual with `residuals: true`). Bad requests are InputErrors naming the field; it never prints. `options.signal`
 * stops it at the next step (the result is then not converged); `onProgress` counts the
 * first-order steps.
 */
export function runFitCurve(
  request: unknown,
  options: FitCurveOptions = {},
): FitCurveResult & { residuals?: CurveResiduals } {
  return runPreparedFitCurve(prepareCurveFit(request, options.labels), options);
}
