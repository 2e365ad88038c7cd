/**
 * simulateOdeModel: a model at given parameter values on a time grid → a table of the
 * trajectory: t, each state, each observable and, with sensitivities, dstate/dparam for every
 * state and free parameter. Observables whose name is also a state's get the column
 * `observable:NAME` so that every column name is unique.
 */
import { integrate } from "../integrate/index.js";
import type { IntegrateStats, SolverChoice } from "../types.js";
import type { OdeModel } from "./model.js";

export interface SimulateOptions {
  /** Free parameter values, in the order of model.parameters.free (default: their starts). */
  readonly theta?: Float64Array;
  /** Output times, non-decreasing, all ≥ model.t0. */
  readonly times: Float64Array;
  readonly condition?: string;
  readonly solver?: SolverChoice;
  readonly rtol?: number;
  readonly atol?: number;
  readonly maxSteps?: number;
  /** Also integrate and report dy/dθ. */
  readonly sensitivities?: boolean;
  readonly signal?: AbortSignal;
}

export interface Trajectory {
  readonly columns: readonly string[];
  /** times.length rows, one value per column. */
  readonly rows: readonly Float64Array[];
  readonly stats: IntegrateStats;
}

export function simulateOdeModel(model: OdeModel, options: SimulateOptions): Trajectory {
  const theta = options.theta ?? model.parameters.start;
  const { condition, times } = options;
  const { y0, S0 } = model.initial(theta, condition);
  const sens = options.sensitivities === true;
  const result = integrate(model.system(theta, condition), {
    t0: model.t0,
    y0,
    ...(sens ? { S0 } : {}),
    times,
    ...(options.solver !== undefined ? { solver: options.solver } : {}),
    ...(options.rtol !== undefined ? { rtol: options.rtol } : {}),
    ...(options.atol !== undefined ? { atol: options.atol } : {}),
    ...(options.maxSteps !== undefined ? { maxSteps: options.maxSteps } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    discontinuities: model.discontinuities(theta, condition),
  });
  const { states, observables } = model;
  const free = model.parameters.free;
  const n = states.length;
  const np = free.length;
  const m = observables.length;
  const stateNames = new Set(states);
  const columns = [
    "t",
    ...states,
    ...observables.map((o) => (stateNames.has(o) ? `observable:${o}` : o)),
    ...(sens ? states.flatMap((s) => free.map((p) => `d${s}/d${p}`)) : []),
  ];
  const h = new Float64Array(m);
  const rows = Array.from(times, (t, k) => {
    const y = result.states.subarray(k * n, (k + 1) * n);
    model.observe(t, y, null, theta, h, null, condition);
    const row = new Float64Array(columns.length);
    row[0] = t;
    row.set(y, 1);
    row.set(h, 1 + n);
    if (sens) row.set(result.sensitivities!.subarray(k * n * np, (k + 1) * n * np), 1 + n + m);
    return row;
  });
  return { columns, rows, stats: result.stats };
}
