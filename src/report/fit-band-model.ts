import { type CompiledFormula, compileFormula } from "../formula/compile.js";
import type { BandModel } from "../nls/stats/bands.js";
import type { FitCurveResult } from "../tasks/fit-curve-result.js";

/** The parts of a fit result (`fit --out`, the fit-curve task) a chart of it reads. */
export type FitDocument = Pick<FitCurveResult, "model" | "result" | "data">;

/** The fitted curve compiled from a fit result, and θ̂ in the model's parameter order. */
export function fittedCurve(doc: FitDocument): { curve: CompiledFormula; theta: Float64Array } {
  const { model } = doc;
  const curve = compileFormula(model.formula, {
    params: model.params,
    variables: model.variables,
    constants: model.constants,
  });
  const theta = Float64Array.from(model.params, (p) => doc.result.estimates[p]!);
  return { curve, theta };
}

/**
 * The band model of a saved fit: Cov(θ̂) rebuilt from what the result stores,
 * Cov_ab = se_a·se_b·corr_ab over the free parameters, with s and df. Null (no bands) when the
 * fit has no standard errors; the chart then says so instead of drawing a made-up band.
 */
export function savedBandModel(
  doc: FitDocument,
  curve: CompiledFormula,
  theta: Float64Array,
): BandModel | null {
  const r = doc.result;
  const params = doc.model.params;
  const freeNames = params.filter((p) => !r.fixed.includes(p));
  const se = freeNames.map((p) => r.std_errors[p] ?? null);
  if (r.sigma === null || r.df <= 0 || se.some((v) => v === null)) return null;
  const q = freeNames.length;
  const covariance = new Float64Array(q * q);
  for (let a = 0; a < q; a++) {
    for (let b = 0; b < q; b++) {
      // The saved covariance when the fit has one; else rebuilt from se and correlation.
      const saved = (r as { covariance?: Record<string, Record<string, number | null>> | null })
        .covariance?.[freeNames[a]!]?.[freeNames[b]!];
      if (typeof saved === "number") {
        covariance[a * q + b] = saved;
        continue;
      }
      const corr = a === b ? 1 : r.correlation?.[freeNames[a]!]?.[freeNames[b]!];
      if (corr === undefined || corr === null) {
        if (q > 1) return null;
        continue;
      }
      covariance[a * q + b] = se[a]! * se[b]! * corr;
    }
  }
  return {
    curve,
    theta,
    free: freeNames.map((p) => params.indexOf(p)),
    covariance,
    sigma: r.sigma,
    df: r.df,
  };
}
