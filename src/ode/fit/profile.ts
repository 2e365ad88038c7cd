import { profileIntervals } from "../../nls/stats/profile.js";
import type { ParameterProfile, ProfileIntervals } from "../../nls/stats/profile-types.js";
import type { OdeFit } from "./fit-ode.js";

/** One parameter's profile with the identifiability verdict. */
export interface OdeParameterProfile extends ParameterProfile {
  /**
   * Practically non-identifiable (Raue et al. 2009): the profile stays below the level on
   * at least one side — it is flat there up to a bound or 100 standard errors out — so the
   * data do not bound the parameter at this confidence level although the fit converged.
   */
  readonly nonIdentifiable: boolean;
}

export interface OdeProfiles extends Omit<ProfileIntervals, "parameters"> {
  readonly parameters: readonly OdeParameterProfile[];
}

/**
 * Profile likelihood of every free parameter of an ODE fit: each parameter is fixed on a
 * grid walking out from its estimate while the others are refitted (Levenberg–Marquardt
 * with the sensitivities, warm-started), and the interval is where
 * τ(b) = sign(b − θ̂)·√((S(b) − S(θ̂))/s²) reaches ±t_(n−p) — the likelihood-ratio interval of
 * least squares with unknown σ, as R's confint on an nls fit (src/nls/stats/profile.ts).
 */
export function profileOde(odeFit: OdeFit, level = 0.95): OdeProfiles {
  const { curve, curveData, specs, fit } = odeFit;
  const profiles = profileIntervals(curve, curveData, specs, fit, { level });
  const flat = (reason: string | null) =>
    reason !== null && /does not reach the level|stays below the/.test(reason);
  return {
    ...profiles,
    parameters: profiles.parameters.map((p) => ({
      ...p,
      nonIdentifiable: flat(p.lowerReason) || flat(p.upperReason),
    })),
  };
}
