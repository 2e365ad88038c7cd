import { InputError } from "../core/errors.js";
import { parseWith } from "../core/schema.js";
import { type CompiledFormula, compileFormula } from "../formula/compile.js";
import { type ParameterSpec, parameterise } from "../nls/parameters.js";
import { checkFormulaUses, type ResolvedModel, resolveModel, startExample } from "./curve-model.js";
import { computeWeights, parseWeights } from "./curve-weights.js";
import { numericColumns, sourceName } from "./data-source.js";
import { applyLogX, logXWarnings, type RequestWarning } from "./fit-curve-log-x.js";
import {
  type FieldLabels,
  type FitCurveRequest,
  fitCurveRequestSchema,
  JSON_LABELS,
} from "./fit-curve-request.js";

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
 * The curve-fit recipe in one place: validate the request, resolve the model and its columns,
 * read the data, compile the formula, self-start, turn a library model's `positive` parameters
 * into lower bounds at 0, and build the parameter specs (checked: starts inside bounds).
 */
export function prepareCurveFit(
  input: unknown,
  labels: FieldLabels = JSON_LABELS,
): PreparedCurveFit {
  const request = parseWith(fitCurveRequestSchema, input, "request");
  const model = resolveModel(request, labels);
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

  const source = sourceName(request.data);
  const weightSpec = request.weights ? parseWeights(labels.weights, request.weights) : null;
  const weightColumn = weightSpec?.kind === "column" ? [weightSpec.column] : [];
  const data = numericColumns(request.data, [...model.columns, ...weightColumn], request.y);
  const rawColumns = data.columns.slice(0, model.columns.length);
  const logX = request.logX ?? [];
  const columns = applyLogX(model.columns, rawColumns, logX, labels);
  const warnings = logXWarnings(model.name, model.columns, rawColumns, logX, labels);
  const weights = weightSpec
    ? computeWeights(weightSpec, data.y, data.columns[model.columns.length] ?? null, source)
    : null;

  const selfStart = model.library ? model.library.selfStart(columns, data.y, constants) : {};
  const positive = new Set(model.library?.positive ?? []);
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
