import { InputError } from "../core/errors.js";
import { type CompiledFormula, compileFormula } from "../formula/compile.js";
import { type ParameterSpec, parameterise } from "../nls/parameters.js";
import { checkFormulaUses, type ResolvedModel, resolveModel, startExample } from "./curve-model.js";
import { parseWeights, type WeightsSpec } from "./curve-weights.js";
import type { FieldLabels, FitCurveRequest } from "./fit-curve-request.js";

/** The data-free half of a curve fit, done once however many curves it is applied to. */
export interface CurveRecipe {
  model: ResolvedModel;
  curve: CompiledFormula;
  constants: Record<string, number>;
  weights: WeightsSpec | null;
  /** The numeric columns to read: the variables' columns, the response, a weight column if any. */
  numeric: string[];
  /**
   * The parameter specs for one curve's data: `--fix`, then `--start`, then the library's
   * self-start; a library model's `positive` parameters bounded below at 0 unless `--bounds`
   * says otherwise; checked (starts inside bounds, lower < upper).
   */
  specsFor(columns: readonly Float64Array[], y: Float64Array): ParameterSpec[];
}

/**
 * The curve-fit recipe in one place, used by a single fit (`prepareCurveFit`), grouped fits and
 * the sweep's fit cells: resolve the model and its columns, check every named parameter,
 * compile the formula, and build parameter specs from a curve's data.
 */
export function curveRecipe(
  request: Omit<FitCurveRequest, "task" | "data">,
  labels: FieldLabels,
): CurveRecipe {
  const model = resolveModel(request as FitCurveRequest, labels);
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
    parameterise(specs); // starts inside bounds, lower < upper: checked before any run
    return specs;
  };
  return { model, curve, constants, weights, numeric, specsFor };
}
