import { studentTQuantile } from "../../nls/stats/student-t.js";
import { integrate } from "../integrate/index.js";
import type { OdeModel } from "../model/index.js";
import type { OdeFit } from "./fit-ode.js";

/** The fitted observables on a fine time grid, with a pointwise confidence band. */
export interface OdeTrajectory {
  readonly times: number[];
  /** Per observable: h(t; θ̂) on the grid. */
  readonly fitted: Record<string, number[]>;
  /**
   * Per observable: h ∓ t_(df, (1+level)/2)·√(gᵀ Cov g), g = ∂h/∂θ from the sensitivities (the
   * delta method, the band `biograd fit` draws); null without a covariance.
   */
  readonly band: Record<string, { lower: number[]; upper: number[] }> | null;
  readonly level: number;
}

/** Grid points of a trajectory unless asked otherwise. */
export const TRAJECTORY_POINTS = 201;

/**
 * Integrates the model at the estimates from t0 to the last data time on an even grid (the
 * data times merged in, so the curve passes exactly through each fitted point).
 */
export function odeTrajectory(
  model: OdeModel,
  odeFit: OdeFit,
  dataTimes: Float64Array,
  points = TRAJECTORY_POINTS,
): OdeTrajectory {
  const { fit, solve } = odeFit;
  const theta = fit.theta;
  const s = fit.summary;
  const np = theta.length;
  const tEnd = dataTimes.length > 0 ? dataTimes[dataTimes.length - 1]! : model.t0;
  const grid = new Set<number>(dataTimes);
  for (let i = 0; i < points; i++) grid.add(model.t0 + ((tEnd - model.t0) * i) / (points - 1));
  const times = Float64Array.from([...grid].sort((a, b) => a - b));
  const { y0, S0 } = model.initial(theta);
  const result = integrate(model.system(theta), {
    t0: model.t0,
    y0,
    S0,
    times,
    discontinuities: model.discontinuities(theta),
    ...solve,
  });
  const n = model.states.length;
  const m = model.observables.length;
  const h = new Float64Array(m);
  const dh = new Float64Array(m * np);
  const cov = s.covariance;
  const q = s.df > 0 ? studentTQuantile(0.5 + s.level / 2, s.df) : Number.NaN;
  const fitted: Record<string, number[]> = {};
  const band: Record<string, { lower: number[]; upper: number[] }> = {};
  for (const name of model.observables) {
    fitted[name] = [];
    band[name] = { lower: [], upper: [] };
  }
  for (let i = 0; i < times.length; i++) {
    const y = result.states.subarray(i * n, (i + 1) * n);
    const S = result.sensitivities!.subarray(i * n * np, (i + 1) * n * np);
    model.observe(times[i]!, y, S, theta, h, dh);
    model.observables.forEach((name, o) => {
      fitted[name]!.push(h[o]!);
      if (cov === null) return;
      let v = 0;
      for (let a = 0; a < np; a++) {
        for (let b = 0; b < np; b++) v += dh[o * np + a]! * cov[a * np + b]! * dh[o * np + b]!;
      }
      const half = q * Math.sqrt(Math.max(v, 0));
      band[name]!.lower.push(h[o]! - half);
      band[name]!.upper.push(h[o]! + half);
    });
  }
  return { times: Array.from(times), fitted, band: cov === null ? null : band, level: s.level };
}
