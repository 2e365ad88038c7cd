import type { CurveFunction } from "../../core/curve.js";
import { IntegrationError, integrate } from "../integrate/index.js";
import type { OdeModel } from "../model/index.js";
import type { SolverChoice } from "../types.js";
import { evaluationMemo } from "./evaluation-memo.js";
import type { OdeData } from "./ode-data.js";
import type { ResidualLayout } from "./residual-layout.js";

/** How the fit integrates the model (passed to every `integrate` call). */
export interface OdeSolveOptions {
  readonly solver?: SolverChoice;
  readonly rtol?: number;
  readonly atol?: number;
  readonly maxSteps?: number;
  readonly signal?: AbortSignal;
}

/** Integrations that failed during a fit (the trial point counts as non-finite). */
export interface IntegrationFailures {
  count: number;
  /** The last failure's one-line message. */
  last: string | null;
}

export interface OdeCurve extends CurveFunction {
  readonly failures: IntegrationFailures;
  /** Integrations run (with or without sensitivities). */
  readonly integrations: { count: number; withSensitivities: number };
}

/**
 * How an ODE curve integrates with sensitivities. Exploring (the default): the sensitivities
 * ride on the states' steps without an error check of their own, and are integrated only when
 * the Jacobian is asked for — a trial point of Levenberg–Marquardt costs one plain
 * integration, whose residuals are exactly those of one with sensitivities. Exact
 * (`exact: true`, the fit's own tolerance: the Jacobian the summary, the profiles and a
 * rank-deficient problem's steps read): the sensitivities are in the error control, as
 * accurate as the states, and integrated at every evaluation, so every residual comes from
 * the same kind of integration (a plain one takes other steps, and near the optimum the
 * difference outweighs the RSS reductions LM compares) and an accepted trial point's
 * Jacobian is already there.
 */
export interface OdeCurveOptions {
  readonly exact?: boolean;
}

/**
 * The ODE model as a curve over the residual layout, so that the curve-fit pipeline
 * (parameterisation, clipped first-order phase, Levenberg–Marquardt, nls summary, profiles)
 * fits it unchanged: f_k(θ) = h_obs[k](t_row[k], y(t_row[k]; θ), θ) and ∂f_k/∂θ from the
 * forward sensitivities (exact up to the integrator's tolerance). θ is the model's free
 * parameters. An integrator failure fills f with NaN: the solvers treat that as a rejected
 * step and the failure is counted.
 */
export function odeCurve(
  model: OdeModel,
  data: OdeData,
  layout: ResidualLayout,
  options: OdeSolveOptions = {},
  curveOptions: OdeCurveOptions = {},
): OdeCurve {
  const free = model.parameters.free;
  const np = free.length;
  const n = model.states.length;
  const m = model.observables.length;
  const h = new Float64Array(m);
  const dh = new Float64Array(m * np);
  const failures: IntegrationFailures = { count: 0, last: null };
  const integrations = { count: 0, withSensitivities: 0 };
  const exact = curveOptions.exact === true;
  const solve = {
    ...(options.solver === undefined ? {} : { solver: options.solver }),
    ...(options.rtol === undefined ? {} : { rtol: options.rtol }),
    ...(options.atol === undefined ? {} : { atol: options.atol }),
    ...(options.maxSteps === undefined ? {} : { maxSteps: options.maxSteps }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    sensitivityErrorControl: exact,
  };
  // Evaluations asked for with the Jacobian (LM's accepted points, the summary), trial points
  // (exact mode integrates their sensitivities too) and plain ones, each remembered apart:
  // an accepted trial's Jacobian is its refresh, and rejected trials do not push the accepted
  // point out before the summary reads it again.
  const asked = evaluationMemo(layout.n, np);
  const trial = evaluationMemo(layout.n, np);
  const plain = evaluationMemo(layout.n, 0);
  const scratch = exact ? new Float64Array(layout.n * np) : null;

  const evaluate: CurveFunction["evaluate"] = (theta, columns, count, f, jac) => {
    if (asked.recall(theta, count, f, jac)) return;
    if (trial.recall(theta, count, f, jac)) {
      if (jac) asked.store(theta, count, f, jac); // an accepted trial: LM's refresh
      return;
    }
    if (jac === null && plain.recall(theta, count, f, null)) return;
    const into = jac ?? scratch;
    integrateAt(theta, columns, count, f, into);
    (jac ? asked : into ? trial : plain).store(theta, count, f, into);
  };

  const integrateAt: CurveFunction["evaluate"] = (theta, _columns, count, f, jac) => {
    const start = model.initial(theta);
    integrations.count++;
    if (jac) integrations.withSensitivities++;
    let result: ReturnType<typeof integrate>;
    try {
      result = integrate(model.system(theta), {
        t0: model.t0,
        y0: start.y0,
        ...(jac ? { S0: start.S0 } : {}),
        times: data.times,
        discontinuities: model.discontinuities(theta),
        ...solve,
      });
    } catch (error) {
      if (!(error instanceof IntegrationError)) throw error;
      failures.count++;
      failures.last = error.message;
      f.fill(Number.NaN, 0, count);
      if (jac) jac.fill(Number.NaN, 0, count * np);
      return;
    }
    const { states, sensitivities } = result;
    let lastRow = -1;
    for (let k = 0; k < count; k++) {
      const i = layout.row[k]!;
      if (i !== lastRow) {
        const y = states.subarray(i * n, (i + 1) * n);
        const S =
          jac && sensitivities ? sensitivities.subarray(i * n * np, (i + 1) * n * np) : null;
        model.observe(data.times[i]!, y, S, theta, h, S ? dh : null);
        lastRow = i;
      }
      const o = layout.obs[k]!;
      f[k] = h[o]!;
      if (jac) for (let l = 0; l < np; l++) jac[k * np + l] = dh[o * np + l]!;
    }
  };

  return { params: free, variables: [data.timeColumn], evaluate, failures, integrations };
}
