import type { CurveFunction } from "../../core/curve.js";
import { BiogradError } from "../../core/errors.js";
import { type Checker, checkOptions, positive } from "../../core/options.js";
import type { CurveData } from "../curve-problem.js";
import type { CurveFit } from "../fit-curve.js";
import type { ParameterSpec } from "../parameters.js";
import { profileRefit } from "./profile-refit.js";
import { profileSide } from "./profile-side.js";
import type {
  ParameterProfile,
  ProfileIntervals,
  ProfileOptions,
  ProfilePoint,
} from "./profile-types.js";
import { studentTQuantile } from "./student-t.js";

/**
 * Profile-likelihood confidence intervals (R's confint on an nls fit, MASS's profile method;
 * Bates & Watts 1988, §6.1). For each free parameter θ_j, S(b) is the least RSS with θ_j fixed
 * at b and the others refitted, and
 *
 *   τ(b) = sign(b − θ̂_j)·√((S(b) − S(θ̂))/s²),   s² = S(θ̂)/(n − p).
 *
 * The level-L interval is {b : |τ(b)| ≤ t_(n−p, (1+L)/2)}; its limits are found by root finding
 * on τ (R's confint reads them off a spline through a few profile points instead, ~1e-4
 * relative from these). The limits are asymmetric where the model is nonlinear in θ_j, unlike
 * the Wald interval θ̂_j ± t·se_j reported beside them. A limit the profile does not reach —
 * within `maxStandardErrors`, before a bound, or because a refit fails — is null with its
 * reason: the data do not bound the parameter on that side at this level.
 *
 * Inputs are the fit and exactly what produced it (curve, data, specs); bounds and fixed
 * parameters of the specs are kept in every refit.
 */

const level: Checker = (v) =>
  typeof v === "number" && v > 0 && v < 1 ? null : "a number in (0, 1)";
const names: Checker = (v) =>
  Array.isArray(v) && v.every((s) => typeof s === "string") ? null : "an array of names";
const anything: Checker = () => null;

export function profileIntervals(
  curve: CurveFunction,
  data: CurveData,
  specs: readonly ParameterSpec[],
  fit: CurveFit,
  options: ProfileOptions = {},
): ProfileIntervals {
  checkOptions("profileIntervals", options, {
    level,
    parameters: names,
    maxStandardErrors: positive,
    lm: anything,
  });
  const conf = options.level ?? 0.95;
  const s = fit.summary;
  const free = s.names;
  const wanted = options.parameters ?? free;
  for (const name of wanted) {
    if (!free.includes(name)) {
      throw new BiogradError(
        "bad_input",
        `profileIntervals: "${name}" is not a free parameter of the fit (free: ${free.join(", ")})`,
      );
    }
  }
  const df = s.df;
  const q = df > 0 ? studentTQuantile(0.5 + conf / 2, df) : Number.NaN;
  const blocked = whyNot(fit);
  let refits = 0;
  const parameters = wanted.map((name): ParameterProfile => {
    const k = free.indexOf(name);
    const j = fit.names.indexOf(name);
    const estimate = fit.theta[j]!;
    const se = s.standardErrors?.[k] ?? null;
    const wald = se === null ? null : { lower: estimate - q * se, upper: estimate + q * se };
    const centre: ProfilePoint = { value: estimate, tau: 0, rss: fit.rss };
    if (blocked !== null) {
      return {
        name,
        estimate,
        standardError: se,
        lower: null,
        upper: null,
        lowerReason: blocked,
        upperReason: blocked,
        wald,
        trace: [centre],
      };
    }
    const spec = specs.find((p) => p.name === name)!;
    const refit = profileRefit(curve, data, specs, fit, name, options.lm ?? {});
    const counted = (b: number, warm: Float64Array) => {
      refits++;
      return refit(b, warm);
    };
    const base = {
      name,
      estimate,
      rss: fit.rss,
      s2: fit.rss / df,
      theta: fit.theta,
      unit: se !== null && se > 0 ? se : Math.abs(estimate) > 0 ? 0.1 * Math.abs(estimate) : 0.1,
      maxUnits: options.maxStandardErrors ?? 100,
      q,
      refit: counted,
    };
    const lo = profileSide({ ...base, bound: spec.lower ?? Number.NEGATIVE_INFINITY }, -1);
    const hi = profileSide({ ...base, bound: spec.upper ?? Number.POSITIVE_INFINITY }, 1);
    const trace = [...lo.points, centre, ...hi.points].sort((a, b) => a.value - b.value);
    return {
      name,
      estimate,
      standardError: se,
      lower: lo.limit,
      upper: hi.limit,
      lowerReason: lo.reason,
      upperReason: hi.reason,
      wald,
      trace,
    };
  });
  return { level: conf, df, tQuantile: q, parameters, refits };
}

/** Why no profile can be computed for this fit at all (null when it can). */
function whyNot(fit: CurveFit): string | null {
  if (!fit.converged) return "the fit did not converge: a profile needs the least-squares optimum";
  if (fit.summary.df <= 0) return "no residual degrees of freedom (n ≤ p)";
  if (!(fit.rss > 0) || !Number.isFinite(fit.rss)) {
    return fit.rss === 0
      ? "the residuals are all zero (a perfect fit): the profile is not defined"
      : "the RSS is not finite";
  }
  return null;
}
