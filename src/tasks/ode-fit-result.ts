import type { OdeFit } from "../ode/fit/fit-ode.js";
import type { OdeData } from "../ode/fit/ode-data.js";
import type { OdeProfiles } from "../ode/fit/profile.js";
import type { OdeTrajectory } from "../ode/fit/trajectory.js";
import type { OdeModel } from "../ode/model/index.js";
import { VERSION } from "../version.js";
import type { MultistartRun } from "./ode-fit-multistart.js";
import type { OdeFitRequest } from "./ode-fit-request.js";
import { byParameter, namedMatrix } from "./summary-json.js";

/**
 * An ODE fit as plain JSON: what the `ode-fit` task returns and `biograd ode fit --out` writes.
 * `result` has the fields of a curve fit's (`estimates`, `std_errors`, `rss`, `converged`, …)
 * so tools reading `biograd fit` output read it too; values that could not be computed are
 * null. The data and the fitted trajectory with its band are inside, so charts need no file.
 */
export function odeFitResult(
  request: OdeFitRequest,
  model: OdeModel,
  data: OdeData,
  odeFit: OdeFit,
  extras: {
    trajectory: OdeTrajectory | null;
    multistart: MultistartRun | null;
    profile: OdeProfiles | null;
  },
) {
  const { fit } = odeFit;
  const s = fit.summary;
  const byFree = (values: Float64Array | null) => byParameter(s, s.names, values);
  const matrix = (values: Float64Array | null) => namedMatrix(s, values);
  const fixed = model.parameters.all.filter((p) => p.fixed);
  const warnings: { code: string; message: string }[] = [...fit.warnings];
  if (odeFit.failures.count > 0) {
    warnings.push({
      code: "integration-failures",
      message: `the integrator failed at ${odeFit.failures.count} trial point(s) (rejected as non-finite steps); last: ${odeFit.failures.last}`,
    });
  }
  const m = data.observables.length;
  return {
    biograd: VERSION,
    kind: "ode-fit" as const,
    createdAt: new Date().toISOString(),
    data: {
      file: data.source,
      time: data.timeColumn,
      rows: data.times.length,
      times: Array.from(data.times),
      observed: Object.fromEntries(
        data.observables.map((name, k) => [
          name,
          Array.from(data.times, (_, i) => finite(data.values[i * m + k]!)),
        ]),
      ),
    },
    model: {
      source: model.source,
      states: model.states,
      observables: model.observables,
      params: s.names,
      fixed: Object.fromEntries(fixed.map((p) => [p.name, p.start])),
      constants: model.constants,
      t0: model.t0,
    },
    settings: { request, rtol: odeFit.solve.rtol, atol: odeFit.solve.atol },
    result: {
      estimates: fit.estimates,
      std_errors: byFree(s.standardErrors),
      t_values: byFree(s.tValues),
      p_values: byFree(s.pValues),
      conf_level: s.level,
      conf_lower: byFree(s.lower),
      conf_upper: byFree(s.upper),
      fixed: fixed.map((p) => p.name),
      rss: fit.rss,
      sigma: s.sigma,
      df: s.df,
      n: s.n,
      r_squared: s.rSquared,
      log_lik: finite(s.logLik),
      aic: finite(s.aic),
      bic: finite(s.bic),
      correlation: matrix(s.correlation),
      covariance: matrix(s.covariance),
      converged: fit.converged,
      phases: fit.phases,
      /** The time-horizon continuation's windows, in order (null when it was off). */
      continuation: odeFit.continuation === null ? null : odeFit.continuation.stages,
      integration: {
        runs: odeFit.integrations,
        failures: odeFit.failures.count,
        lastFailure: odeFit.failures.last,
      },
      warnings,
    },
    trajectory: extras.trajectory,
    multistart: extras.multistart === null ? null : multistartJson(extras.multistart, s.names),
    profile: extras.profile,
  };
}

export type OdeFitResult = ReturnType<typeof odeFitResult>;

function multistartJson(run: MultistartRun, names: readonly string[]) {
  const named = (values: readonly number[] | null) =>
    values === null ? null : Object.fromEntries(names.map((n, k) => [n, values[k]!]));
  return {
    starts: run.starts,
    seed: run.seed,
    hits: run.hits,
    bestRss: run.bestRss,
    tolerance: run.tolerance,
    notRun: run.notRun,
    ranges: run.ranges,
    waterfall: run.waterfall.map((r) => ({
      index: r.index,
      rss: r.rss,
      converged: r.converged,
      failures: r.failures,
      evaluations: r.evaluations,
      start: named(r.start),
      estimates: named(r.estimates),
    })),
  };
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
