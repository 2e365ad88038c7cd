import { InputError } from "../core/errors.js";
import { profileIntervals } from "../nls/stats/profile.js";
import type { ProfileIntervals } from "../nls/stats/profile-types.js";
import { fitPrepared } from "../tasks/fit-curve.js";
import { prepareCurveFit } from "../tasks/prepare-curve-fit.js";
import type { ProfileLimits } from "./profile-spec.js";

/** The parts of a saved fit (`fit --ci profile --out x.json`) its profile chart reads. */
export interface ProfiledFitDocument {
  settings: { request: unknown };
  result: {
    estimates: Record<string, number>;
    conf_level: number;
    profile?: { lower: Record<string, number | null>; upper: Record<string, number | null> } | null;
  };
}

/**
 * The profiles of a saved fit, computed again: the saved file keeps the limits, not the τ
 * traces, so the request is prepared and fitted again (the same data, code and settings give
 * the same θ̂, checked against the saved estimates) and profiled at the saved level. The
 * limits to mark are the saved ones.
 */
export function fitProfiles(
  doc: ProfiledFitDocument,
  where: string,
): { profiles: ProfileIntervals; limits: ProfileLimits } {
  let prepared: ReturnType<typeof prepareCurveFit>;
  try {
    prepared = prepareCurveFit(doc.settings.request);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError(
      `${where}: settings.request: the profiles need the fit again: ${e.message}`,
    );
  }
  const fit = fitPrepared(prepared);
  for (const [j, name] of fit.names.entries()) {
    const saved = doc.result.estimates[name];
    const now = fit.theta[j]!;
    // Refitting is deterministic; a difference means the data file changed since the fit.
    if (saved === undefined || !(Math.abs(now - saved) <= 1e-6 * Math.max(1, Math.abs(saved)))) {
      throw new InputError(
        `${where}: result.estimates.${name}: the fit of the request's data now gives ${now}, the file says ${saved}; was the data file changed since the fit?`,
      );
    }
  }
  const { curve, columns, y, weights, specs } = prepared;
  const profiles = profileIntervals(curve, { columns, y, weights }, specs, fit, {
    level: doc.result.conf_level,
  });
  const saved = doc.result.profile;
  const limits: ProfileLimits = Object.fromEntries(
    profiles.parameters.map((p) => [
      p.name,
      saved
        ? { lower: saved.lower[p.name] ?? null, upper: saved.upper[p.name] ?? null }
        : { lower: p.lower, upper: p.upper },
    ]),
  );
  return { profiles, limits };
}
