import { InputError } from "../core/errors.js";
import { planOutputs } from "../io/output-plan.js";
import { IntegrationError } from "../ode/integrate/index.js";
import { loadOdeModel, type OdeModel, simulateOdeModel } from "../ode/model/index.js";
import type { SolverChoice } from "../ode/types.js";
import { csvText } from "./csv-text.js";
import { parseAssignments } from "./fit-specs.js";
import type { CliIO } from "./io.js";
import { parseNumber } from "./specs.js";

export interface OdeSimulateFlags {
  params?: string;
  times: string;
  const?: string;
  condition?: string;
  solver: SolverChoice;
  rtol?: number;
  atol?: number;
  maxSteps?: number;
  sensitivities?: boolean;
  out?: string;
}

/** Most output times accepted (a grid written as CSV). */
export const MAX_TIMES = 1_000_000;

/**
 * `biograd ode simulate MODEL --times 0:0.1:50 [--params k=v,…] [--out traj.csv]`: the model's
 * trajectory as CSV (t, states, observables, and dstate/dparam with --sensitivities), to
 * --out (atomically) or to stdout. Bad flags and model files exit 2; an integration that
 * fails (step limit, non-finite values) exits 1 with its one-line message.
 */
export function odeSimulateCommand(file: string, flags: OdeSimulateFlags, io: CliIO): number {
  const plan = planOutputs([{ option: "--out", path: flags.out }], [file]);
  const times = parseTimes(flags.times);
  const consts = flags.const ? Object.fromEntries(parseAssignments("--const", flags.const)) : {};
  const params = flags.params
    ? parseAssignments("--params", flags.params)
    : new Map<string, number>();
  const { model, theta } = modelAt(file, consts, params);
  if (times[0]! < model.t0) {
    throw new InputError(
      `--times: the first time ${times[0]} is before the model's t0 = ${model.t0} (output times start at t0)`,
    );
  }
  if (flags.condition !== undefined && !model.conditions.includes(flags.condition)) {
    const known = model.conditions.join(", ") || "none (the model has no conditions)";
    throw new InputError(
      `--condition: unknown condition "${flags.condition}"; conditions are ${known}`,
    );
  }
  let trajectory: ReturnType<typeof simulateOdeModel>;
  try {
    trajectory = simulateOdeModel(model, {
      times,
      theta,
      solver: flags.solver,
      ...(flags.condition !== undefined ? { condition: flags.condition } : {}),
      ...(flags.rtol !== undefined ? { rtol: flags.rtol } : {}),
      ...(flags.atol !== undefined ? { atol: flags.atol } : {}),
      ...(flags.maxSteps !== undefined ? { maxSteps: flags.maxSteps } : {}),
      sensitivities: flags.sensitivities === true,
    });
  } catch (e) {
    if (!(e instanceof IntegrationError)) throw e;
    io.err(`biograd: ${file}: ${e.message}`);
    return 1;
  }
  const text = csvText(
    trajectory.columns,
    trajectory.rows.map((r) => Array.from(r)),
  );
  if (plan.write("--out", text) === null) {
    io.out(text.trimEnd());
    return 0;
  }
  const { solver, steps, switchedAt } = trajectory.stats;
  const how = switchedAt === null ? solver : `dopri5, then rodas from t = ${switchedAt}`;
  io.err(
    `wrote ${flags.out} (${times.length} times × ${trajectory.columns.length} columns; ${how}, ${steps} steps)`,
  );
  return 0;
}

/**
 * The model and θ at --params: free parameters take their values in θ (bounds do not limit a
 * simulation); a fixed parameter given a value is compiled fixed at it.
 */
function modelAt(
  file: string,
  consts: Record<string, number>,
  params: Map<string, number>,
): { model: OdeModel; theta: Float64Array } {
  let model = loadOdeModel(file, { const: consts });
  const declared = model.parameters.all;
  const fix: Record<string, number> = {};
  for (const [name, value] of params) {
    const p = declared.find((q) => q.name === name);
    if (p === undefined) {
      const list = declared.map((q) => q.name).join(", ") || "none";
      throw new InputError(
        `--params: "${name}" is not a parameter of the model (parameters: ${list})`,
      );
    }
    if (p.fixed) fix[name] = value;
  }
  if (Object.keys(fix).length > 0) model = loadOdeModel(file, { const: consts, fix });
  const theta = Float64Array.from(
    model.parameters.free,
    (name, l) => params.get(name) ?? model.parameters.start[l]!,
  );
  return { model, theta };
}

/**
 * --times: `start:step:end` (end included when the grid reaches it within rounding) or a
 * comma-separated list of non-decreasing times.
 */
export function parseTimes(text: string): Float64Array {
  const parts = text.split(":");
  if (parts.length === 3) {
    const [start, step, end] = parts.map((p) => parseNumber("--times", p)) as [
      number,
      number,
      number,
    ];
    if (!(step > 0))
      throw new InputError(`--times: the step must be > 0 in start:step:end, got "${text}"`);
    if (!(end >= start))
      throw new InputError(`--times: the end must be ≥ the start in start:step:end, got "${text}"`);
    // k·step from the start (no accumulated rounding); the end counts when within 1e-9 steps.
    const count = Math.floor((end - start) / step + 1e-9) + 1;
    if (count > MAX_TIMES)
      throw new InputError(`--times: ${count} times is more than ${MAX_TIMES}; use a larger step`);
    return Float64Array.from({ length: count }, (_, k) => Math.min(start + k * step, end));
  }
  if (parts.length !== 1) {
    throw new InputError(`--times: expected start:step:end or a list t1,t2,…, got "${text}"`);
  }
  const times = Float64Array.from(text.split(","), (p) => parseNumber("--times", p));
  if (times.length > MAX_TIMES) throw new InputError(`--times: more than ${MAX_TIMES} times`);
  for (let k = 1; k < times.length; k++) {
    if (times[k]! < times[k - 1]!) {
      throw new InputError(
        `--times: times must not decrease, got ${times[k - 1]} then ${times[k]}`,
      );
    }
  }
  return times;
}
