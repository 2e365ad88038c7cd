import { InputError } from "../core/errors.js";
import type { CompiledFormula } from "../formula/compile.js";
import { type BandModel, curveBands } from "../nls/stats/index.js";
import type { SavedFit } from "./saved-fit.js";

/**
 * Confidence or prediction intervals of a saved fit's curve at new x, by the delta method
 * (src/nls/stats/bands.ts): from the covariance, σ and residual df that `fit --out` saves.
 * A fit saved without them (an older biograd) or without a covariance (no standard errors)
 * is refused with the field's path.
 */
export function savedBandModel(saved: SavedFit, where: string, curve: CompiledFormula): BandModel {
  const { result, model } = saved;
  if (result.covariance === undefined || result.sigma === undefined || result.df === undefined) {
    throw new InputError(
      `${where}: result.covariance: missing (saved by an older biograd); refit to predict with --interval`,
    );
  }
  if (result.covariance === null || result.sigma === null) {
    throw new InputError(
      `${where}: result.covariance: null: the fit has no standard errors, so no interval (see its warnings)`,
    );
  }
  const fixed = result.fixed ?? [];
  const free = model.params.filter((p) => !fixed.includes(p));
  const cov = result.covariance;
  const covariance = new Float64Array(free.length * free.length);
  free.forEach((a, i) => {
    free.forEach((b, j) => {
      covariance[i * free.length + j] = cov[a]![b]!;
    });
  });
  return {
    curve,
    theta: Float64Array.from(model.params, (name) => result.estimates[name]!),
    free: free.map((name) => model.params.indexOf(name)),
    covariance,
    sigma: result.sigma,
    df: result.df,
  };
}

/** The fitted value and the chosen interval's limits at each row. */
export function savedFitIntervals(
  band: BandModel,
  columns: readonly Float64Array[],
  interval: "confidence" | "prediction",
  level: number,
): { fit: Float64Array; lower: Float64Array; upper: Float64Array } {
  if (!(band.df > 0)) {
    throw new InputError(
      `--interval: the fit has ${band.df} residual degrees of freedom; an interval needs at least 1`,
    );
  }
  const b = curveBands(band, columns, { level });
  const chosen = interval === "confidence" ? b.confidence : b.prediction;
  return { fit: b.fitted, lower: chosen.lower, upper: chosen.upper };
}
