import { parseWith } from "../core/schema.js";
import type { ProfileIntervals } from "../nls/stats/profile-types.js";
import { odeFitChartSchema } from "./ode-fit-schema.js";
import { odeTrajectorySpec } from "./ode-trajectory-spec.js";
import { odeWaterfallSpec } from "./ode-waterfall-spec.js";
import { profileSpec } from "./profile-spec.js";
import { stackCharts } from "./stack-charts.js";
import type { ChartSpec } from "./theme.js";

/**
 * The chart of a saved ODE fit (`biograd ode fit --out`): the trajectories with the data and
 * the band; below them the multistart waterfall (with `--starts`) and the profile
 * likelihoods (with `--profile`). Everything is read from the result itself.
 */
export function odeFitChart(doc: unknown, where: string): ChartSpec {
  const fit = parseWith(odeFitChartSchema, doc, where);
  let spec = odeTrajectorySpec(fit);
  if (fit.multistart !== null) spec = stackCharts(spec, odeWaterfallSpec(fit.multistart));
  if (fit.profile !== null && fit.profile.parameters.length > 0) {
    const profiles = fit.profile as unknown as ProfileIntervals;
    const limits = Object.fromEntries(
      fit.profile.parameters.map((p) => [p.name, { lower: p.lower, upper: p.upper }]),
    );
    spec = stackCharts(spec, profileSpec(profiles, limits));
  }
  return spec;
}
