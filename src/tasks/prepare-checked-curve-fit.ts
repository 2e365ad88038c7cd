import type { CompiledFormula } from "../formula/compile.js";
import type { ParameterSpec } from "../nls/parameters.js";
import type { ResolvedModel } from "./curve-model.js";
import { curveRecipe } from "./curve-recipe.js";
import { computeWeights } from "./curve-weights.js";
import { numericColumns, sourceName } from "./data-source.js";
import { applyLogX, logXWarnings, type RequestWarning } from "./fit-curve-log-x.js";
import type { FieldLabels, FitCurveRequest } from "./fit-curve-request.js";

/** Everything a curve fit needs, checked: what `fit-curve` runs and the sweep's fit cells use. */
export interface PreparedCurveFit {
  request: FitCurveRequest;
  model: ResolvedModel;
  curve: CompiledFormula;
  /** The variables' columns, in the order of `model.variables` (log10 where `logX` says). */
  columns: Float64Array[];
  /** The same columns as read, before any log10. */
  rawColumns: Float64Array[];
  /** Doubts about the request found before fitting (a 4pl on linear concentrations). */
  warnings: RequestWarning[];
  y: Float64Array;
  weights: Float64Array | null;
  specs: ParameterSpec[];
  constants: Record<string, number>;
  /** Where the data came from (a path or the inline table's name), for messages and results. */
  source: string;
}

/**
 * The curve-fit recipe in one place, for a request the schema has accepted (prepare-curve-fit.ts
 * checks one; `biograd fit` checks its own, without zod): resolve the model and its columns,
 * read the data, compile the formula, self-start, turn a library model's `positive` parameters
 * into lower bounds at 0, and build the parameter specs (checked: starts inside bounds).
 */
export function prepareCheckedCurveFit(
  request: FitCurveRequest,
  labels: FieldLabels,
): PreparedCurveFit {
  const recipe = curveRecipe(request, labels);
  const { model, curve, constants } = recipe;

  const source = sourceName(request.data);
  const weightSpec = recipe.weights;
  const weightColumn = weightSpec?.kind === "column" ? [weightSpec.column] : [];
  const data = numericColumns(request.data, [...model.columns, ...weightColumn], request.y);
  const rawColumns = data.columns.slice(0, model.columns.length);
  const logX = request.logX ?? [];
  const columns = applyLogX(model.columns, rawColumns, logX, labels);
  const warnings = logXWarnings(model.name, model.columns, rawColumns, logX, labels);
  const weights = weightSpec
    ? computeWeights(weightSpec, data.y, data.columns[model.columns.length] ?? null, source)
    : null;

  const specs = recipe.specsFor(columns, data.y);
  return {
    request,
    model,
    curve,
    columns,
    rawColumns,
    warnings,
    y: data.y,
    weights,
    specs,
    constants,
    source,
  };
}
