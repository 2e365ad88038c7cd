import { InputError } from "../core/errors.js";
import { type CompiledFormula, compileFormula } from "../formula/compile.js";
import { type ParameterSpec, parameterise } from "../nls/parameters.js";
import { checkFormulaUses, type ResolvedModel, resolveModel, startExample } from "./curve-model.js";
import { parseWeights, type WeightsSpec } from "./curve-weights.js";
import type { FieldLabels, FitCurveRequest } from "./fit-curve-request.js";
import type { FitGroupsRequest } from "./fit-groups-request.js";

/** The model of a grouped fit, compiled once and used for every group. */
export interface GroupsModel {
  model: ResolvedModel;
  curve: CompiledFormula;
  constants: Record<string, number>;
  weights: WeightsSpec | null;
  /** The numeric columns to read: the variables' columns, the response, a weight column if any. */
  numeric: string[];
  /** A group's parameter specs: its self-start under `--start`/`--fix`, the bounds. */
  specsFor(columns: readonly Float64Array[], y: Float64Array): ParameterSpec[];
}

/**
 * The part of `prepareCurveFit` that does not depend on the data, done once for all groups
 * (names checked, formula compiled), and the part that does (`specsFor`), done per group with
 * exactly the single fit's rules — so a group's fit is the single fit of its rows.
 */
export function prepareGroupsModel(request: FitGroupsRequest, labels: FieldLabels): GroupsModel {
  const asCurve = { ...request, task: "fit-curve" } as unknown as FitCurveRequest;
  const model = resolveModel(asCurve, labels);
  const starts = request.start ?? {};
  const fixes = request.fix ?? {};
  const bounds = request.bounds ?? {};
  for (const [label, record] of [
    [labels.start, starts],
    [labels.fix, fixes],
    [labels.bounds, bounds],
  ] as const) {
    for (const name of Object.keys(record)) {
      if (!model.params.includes(name)) {
        throw new InputError(
          `${label}: "${name}" is not a parameter of the model (parameters: ${model.params.join(", ")})`,
        );
      }
    }
  }
  for (const name of Object.keys(fixes)) {
    if (Object.hasOwn(starts, name)) {
      throw new InputError(`${labels.fix}: "${name}" has a start value too; give one or the other`);
    }
  }
  for (const name of request.share ?? []) {
    if (!model.params.includes(name)) {
      throw new InputError(
        `--share: "${name}" is not a parameter of the model (parameters: ${model.params.join(", ")})`,
      );
    }
  }
  const constants = { ...(request.constants ?? {}) };
  const curve = compileFormula(model.formula, {
    params: model.params,
    variables: model.variables,
    constants,
    codegen: request.codegen,
  });
  checkFormulaUses(model, labels);
  const weights = request.weights ? parseWeights(labels.weights, request.weights) : null;
  const numeric = [
    ...model.columns,
    request.y,
    ...(weights?.kind === "column" ? [weights.column] : []),
  ];
  const positive = new Set(model.library?.positive ?? []);

  const specsFor = (columns: readonly Float64Array[], y: Float64Array): ParameterSpec[] => {
    const selfStart = model.library ? model.library.selfStart(columns, y, constants) : {};
    const specs: ParameterSpec[] = model.params.map((name) => {
      const fixed = fixes[name];
      const start = fixed ?? starts[name] ?? selfStart[name];
      if (start === undefined) {
        throw new InputError(
          `${labels.start}: no start value for ${name} (e.g. ${startExample(labels, [name])})`,
        );
      }
      const b = bounds[name];
      const lower = b ? (b.lower ?? Number.NEGATIVE_INFINITY) : positive.has(name) ? 0 : undefined;
      const upper = b
        ? (b.upper ?? Number.POSITIVE_INFINITY)
        : positive.has(name)
          ? Infinity
          : undefined;
      return { name, start, fixed: fixed !== undefined, lower, upper };
    });
    parameterise(specs);
    return specs;
  };
  return { model, curve, constants, weights, numeric, specsFor };
}
