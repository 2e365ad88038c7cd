import { BiogradError } from "../../core/errors.js";
import type { CurveFit } from "../fit-curve.js";
import { studentTQuantile } from "./student-t.js";

/**
 * EC50 (IC50 for a falling curve) with its Wald interval, on both scales.
 *
 * - `scale: "log10"` (the `4pl`/`5pl` library models, x = log10 concentration): the fitted
 *   parameter is logEC50, with the interval logEC50 ± t·se; EC50 = 10^logEC50 and its limits
 *   are the transformed limits 10^lower, 10^upper (asymmetric, always > 0). The EC50's own
 *   standard error is the delta method's EC50·ln 10·se(logEC50).
 * - `scale: "linear"` (`hill4`, `hill`: x = concentration, the parameter K is the EC50): the
 *   interval is K ± t·se(K) on the fitted scale; logEC50 = log10 K with se(K)/(K·ln 10) and the
 *   transformed limits log10(lower), log10(upper) (null when the lower limit is ≤ 0).
 *
 * t = t_(df, (1+level)/2) with the fit's residual df. The interval is computed on the scale the
 * parameter was fitted on; that is why the same data fitted as a 4pl and as a hill4 give the
 * same EC50 but intervals that differ.
 */

export type Ec50Scale = "log10" | "linear";

export interface Ec50Spec {
  /** The parameter holding the EC50 (logEC50 or K). */
  readonly parameter: string;
  readonly scale: Ec50Scale;
}

/** Which parameter is the EC50 in the library's dose-response models (null for others). */
export function ec50SpecFor(model: string): Ec50Spec | null {
  switch (model) {
    case "4pl":
    case "5pl":
      return { parameter: "logEC50", scale: "log10" };
    case "hill":
    case "hill4":
      return { parameter: "K", scale: "linear" };
    default:
      return null;
  }
}

export interface ScaledEstimate {
  readonly estimate: number;
  /** null when the parameter was fixed or the fit has no standard errors. */
  readonly se: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}

export interface Ec50Estimate extends Ec50Spec {
  readonly level: number;
  readonly df: number;
  readonly tQuantile: number;
  readonly logEC50: ScaledEstimate;
  readonly EC50: ScaledEstimate;
}

export function ec50(
  fit: CurveFit,
  spec: Ec50Spec,
  options: { level?: number } = {},
): Ec50Estimate {
  const level = options.level ?? 0.95;
  const j = fit.names.indexOf(spec.parameter);
  if (j < 0) {
    throw new BiogradError(
      "bad_input",
      `EC50: the model has no parameter "${spec.parameter}" (parameters: ${fit.names.join(", ")})`,
    );
  }
  const value = fit.theta[j]!;
  const k = fit.summary.names.indexOf(spec.parameter);
  const se = k >= 0 ? (fit.summary.standardErrors?.[k] ?? null) : null;
  const df = fit.summary.df;
  const t = df > 0 ? studentTQuantile(0.5 + level / 2, df) : Number.NaN;
  const onFitted: ScaledEstimate = {
    estimate: value,
    se,
    lower: se === null ? null : value - t * se,
    upper: se === null ? null : value + t * se,
  };
  if (spec.scale === "log10") {
    const ec = 10 ** value;
    const EC50: ScaledEstimate = {
      estimate: ec,
      se: se === null ? null : ec * Math.LN10 * se,
      lower: onFitted.lower === null ? null : 10 ** onFitted.lower,
      upper: onFitted.upper === null ? null : 10 ** onFitted.upper,
    };
    return { ...spec, level, df, tQuantile: t, logEC50: onFitted, EC50 };
  }
  const log = (v: number | null) => (v !== null && v > 0 ? Math.log10(v) : null);
  const logEC50: ScaledEstimate = {
    estimate: value > 0 ? Math.log10(value) : Number.NaN,
    se: se === null || !(value > 0) ? null : se / (value * Math.LN10),
    lower: log(onFitted.lower),
    upper: log(onFitted.upper),
  };
  return { ...spec, level, df, tQuantile: t, logEC50, EC50: onFitted };
}
