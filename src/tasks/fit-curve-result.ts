import type { CurveFit } from "../nls/fit-curve.js";
import { VERSION } from "../version.js";
import { type CurveFitExtras, curveFitExtras } from "./fit-curve-extras.js";
import type { PreparedCurveFit } from "./prepare-curve-fit.js";
import { byParameter, namedMatrix } from "./summary-json.js";

/**
 * A curve fit as plain JSON: what the `fit-curve` task returns, `biograd fit --out` writes
 * and `biograd predict` reads back (its `model` and `result.estimates`). Numbers keep full
 * precision; values that could not be computed are null, never made up. Fields are only
 * ever added (older readers ignore them): `flags`, `ec50`, `profile` (with `ci: "profile"`),
 * `covariance` (of the free parameters, natural coordinates: what prediction bands need).
 */
export function fitCurveResult(
  prepared: PreparedCurveFit,
  fit: CurveFit,
  extras: CurveFitExtras = curveFitExtras(prepared, fit),
) {
  const { model, request } = prepared;
  const s = fit.summary;
  const byFree = (values: Float64Array | null) => byParameter(s, fit.names, values);
  const correlation = namedMatrix(s, s.correlation);
  const covariance = namedMatrix(s, s.covariance);
  const warnings: { code: string; message: string }[] = [
    ...prepared.warnings,
    ...fit.warnings,
    ...extras.warnings,
  ];
  return {
    biograd: VERSION,
    kind: "curve-fit" as const,
    createdAt: new Date().toISOString(),
    data: { file: prepared.source, rows: fit.n, y: request.y },
    model: {
      name: model.name,
      formula: model.formula,
      params: model.params,
      variables: model.variables,
      columns: model.columns,
      constants: prepared.constants,
      /** Columns the model takes on their log10 (`--x-log10`); predictions apply it too. */
      log10Columns: [...(request.logX ?? [])],
    },
    settings: {
      request,
      parameters: prepared.specs.map((p) => ({
        name: p.name,
        start: p.start,
        fixed: p.fixed === true,
        lower: finite(p.lower ?? Number.NaN),
        upper: finite(p.upper ?? Number.NaN),
      })),
    },
    result: {
      estimates: fit.estimates,
      std_errors: byFree(s.standardErrors),
      t_values: byFree(s.tValues),
      p_values: byFree(s.pValues),
      conf_level: s.level,
      conf_lower: byFree(s.lower),
      conf_upper: byFree(s.upper),
      fixed: fit.fixed,
      rss: fit.rss,
      sigma: s.sigma,
      df: s.df,
      n: s.n,
      r_squared: s.rSquared,
      log_lik: finite(s.logLik),
      aic: finite(s.aic),
      bic: finite(s.bic),
      correlation,
      covariance,
      converged: fit.converged,
      phases: fit.phases,
      warnings,
      flags: extras.flags,
      ec50: extras.ec50,
      profile: extras.profile,
    },
  };
}

export type FitCurveResult = ReturnType<typeof fitCurveResult>;

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
