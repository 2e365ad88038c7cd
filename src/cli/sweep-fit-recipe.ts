import { InputError } from "../core/errors.js";
import { readDataset } from "../data/csv.js";
import { compileFormula } from "../formula/compile.js";
import { type ParameterSpec, parameterise } from "../nls/parameters.js";
import type { FitParameter } from "../sweep/spec.js";
import { checkFormulaUses, resolveModel } from "./fit-model.js";
import { parseAssignments, parseBounds } from "./fit-specs.js";
import type { SweepFitFlags } from "./sweep-flags.js";
import { dataOptions } from "./sweep-setup.js";

/**
 * The curve-fit recipe of `sweep fit`: resolve the model, read the data, self-start, turn a
 * library model's `positive` parameters into bounds and build the parameter specs — checked
 * here, before any run. (The same recipe lives in cli/fit.ts; both are to be replaced by the
 * shared fit-curve task, src/tasks/fit-curve.ts.)
 */
export function sweepFitRecipe(file: string, columns: string[], flags: SweepFitFlags) {
  const constants = flags.const
    ? parseAssignments("--const", flags.const)
    : new Map<string, number>();
  const starts = flags.start ? parseAssignments("--start", flags.start) : new Map<string, number>();
  const fixes = flags.fix ? parseAssignments("--fix", flags.fix) : new Map<string, number>();
  const bounds = flags.bounds ? parseBounds(flags.bounds) : new Map();
  const model = resolveModel(flags.model, columns, constants, [...starts.keys(), ...fixes.keys()]);
  for (const [option, map] of [
    ["--start", starts],
    ["--fix", fixes],
    ["--bounds", bounds],
  ] as const) {
    for (const name of map.keys()) {
      if (!model.params.includes(name)) {
        throw new InputError(
          `${option}: "${name}" is not a parameter of the model (parameters: ${model.params.join(", ")})`,
        );
      }
    }
  }
  const data = readDataset(file, dataOptions(columns, flags));
  const constObject = Object.fromEntries(constants);
  compileFormula(model.formula, {
    params: model.params,
    variables: model.variables,
    constants: constObject,
  });
  checkFormulaUses(model);
  const xColumns = columns.map((_, k) =>
    Float64Array.from({ length: data.rows }, (_, i) => data.x[i * columns.length + k]!),
  );
  const selfStart = model.library ? model.library.selfStart(xColumns, data.y, constObject) : {};
  const positive = new Set(model.library?.positive ?? []);
  const specs: ParameterSpec[] = model.params.map((name) => {
    const fixed = fixes.get(name);
    const start = fixed ?? starts.get(name) ?? selfStart[name];
    if (start === undefined) {
      throw new InputError(`--start: missing a start value for ${name} (e.g. --start ${name}=1)`);
    }
    const b =
      bounds.get(name) ??
      (positive.has(name) ? { lower: 0, upper: Number.POSITIVE_INFINITY } : null);
    return { name, start, fixed: fixed !== undefined, lower: b?.lower, upper: b?.upper };
  });
  parameterise(specs); // starts inside bounds, lower < upper: checked here, before any run
  const parameters = specs.map((s) => ({
    name: s.name,
    start: s.start,
    lower: s.lower === undefined || !Number.isFinite(s.lower) ? null : s.lower,
    upper: s.upper === undefined || !Number.isFinite(s.upper) ? null : s.upper,
    fixed: s.fixed === true,
  }));
  return { model, data, constObject, parameters: parameters satisfies FitParameter[] };
}
