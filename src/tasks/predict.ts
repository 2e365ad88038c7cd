import { InputError } from "../core/errors.js";
import { parseWith } from "../core/schema.js";
import { readDataset } from "../data/csv.js";
import { type CompiledFormula, compileFormula } from "../formula/compile.js";
import { loadNetwork, predictNetwork, readJsonFile } from "../learn/saved-network.js";
import { type DataSource, inlineNumeric } from "./data-source.js";
import { savedBandModel, savedFitIntervals } from "./predict-bands.js";
import { linearPredictions, loadSavedLinear } from "./predict-linear.js";
import { type PredictRequest, predictRequestSchema } from "./predict-request.js";
import { loadSavedFit, type SavedFit } from "./saved-fit.js";

/** Predictions as a table: header and rows of text, as the CSV output shows them. */
export interface PredictResult {
  kind: "curve-fit" | "network" | "linear";
  columns: string[];
  rows: string[][];
}

/**
 * The `predict` task: a saved curve fit evaluated at new x (the columns it was fitted on, or
 * `at` values for a one-variable model), a linear `train --out` run or a saved network on a
 * file's rows. Saved files are
 * validated by schema; a fit that did not converge is refused unless `allowUnconverged`.
 */
export function runPredict(input: unknown): PredictResult {
  const request = parseWith(predictRequestSchema, input, "request");
  const where = "file" in request.model ? request.model.file : "model";
  const doc = "file" in request.model ? readJsonFile(request.model.file) : request.model.saved;
  const kind = (doc as { kind?: unknown } | null)?.kind;
  if ((kind === "network" || kind === "linear") && request.interval !== undefined) {
    throw new InputError("--interval: only for curve fits (the --out of `biograd fit`)");
  }
  if (kind === "network") return networkPredictions(request, where, doc);
  if ((doc as { kind?: unknown } | null)?.kind === "linear")
    return linearModelPredictions(request, where, doc);
  const saved = loadSavedFit(doc, where);
  if (!saved.result.converged && request.allowUnconverged !== true) {
    throw new InputError(
      `${where}: result.converged: the fit did not converge, so its estimates are not to be trusted ` +
        "(refit, or predict with --allow-unconverged)",
    );
  }
  const columns = curveInputs(request, saved);
  return { kind: "curve-fit", ...evaluateFit(saved, where, columns, request) };
}

function linearModelPredictions(
  request: PredictRequest,
  where: string,
  doc: unknown,
): PredictResult {
  const saved = loadSavedLinear(doc, where, request.allowUnconverged === true);
  if (request.at !== undefined)
    throw new InputError("--at: only for one-variable curve fits; give a data file");
  if (request.data === undefined) {
    throw new InputError(
      `predict: give a data file with columns ${saved.model.features.join(", ")}`,
    );
  }
  const columns = readColumns(request.data, saved.model.features);
  return { kind: "linear", ...linearPredictions(saved, columns) };
}

function networkPredictions(request: PredictRequest, where: string, doc: unknown): PredictResult {
  if (request.at !== undefined)
    throw new InputError("--at: only for one-variable curve fits; give a data file");
  if (request.data === undefined || !("file" in request.data))
    throw new InputError("predict: a network needs a data file with its feature columns");
  const saved = loadNetwork(where, doc);
  const p = predictNetwork(where, saved, request.data.file, {
    na: request.data.na,
    delimiter: request.data.delimiter,
    sheet: request.data.sheet,
  });
  return { kind: "network", columns: p.columns, rows: p.rows };
}

/** The model's variables' columns: from `at` (one variable) or from the data by column name. */
function curveInputs(request: PredictRequest, saved: SavedFit): Float64Array[] {
  const { model } = saved;
  if (request.at !== undefined) {
    if (request.data !== undefined)
      throw new InputError("predict: give either a data file or --at, not both");
    if (model.variables.length !== 1) {
      throw new InputError(
        `--at: the model takes ${model.variables.length} columns (${model.columns.join(", ")}); give a data file`,
      );
    }
    return [Float64Array.from(request.at)];
  }
  if (request.data === undefined) {
    throw new InputError(
      `predict: give a data file with columns ${model.columns.join(", ")} or --at values`,
    );
  }
  return readColumns(request.data, model.columns);
}

function readColumns(source: DataSource, names: readonly string[]): Float64Array[] {
  const distinct = [...new Set(names)];
  if (!("file" in source)) {
    const got = inlineNumeric(source, distinct).columns;
    return names.map((n) => got[distinct.indexOf(n)]!);
  }
  const data = readDataset(source.file, {
    x: distinct,
    na: source.na,
    delimiter: source.delimiter,
    sheet: source.sheet,
  });
  const p = distinct.length;
  return names.map((n) => {
    const k = distinct.indexOf(n);
    return Float64Array.from({ length: data.rows }, (_, i) => data.x[i * p + k]!);
  });
}

function evaluateFit(
  saved: SavedFit,
  where: string,
  raw: Float64Array[],
  request: PredictRequest,
): Omit<PredictResult, "kind"> {
  const { model } = saved;
  let curve: CompiledFormula;
  try {
    curve = compileFormula(model.formula, {
      params: model.params,
      variables: model.variables,
      constants: model.constants,
    });
  } catch (e) {
    // A formula a fit was saved with compiles; one that does not was edited or damaged.
    if (e instanceof InputError) throw new InputError(`${where}: model.formula: ${e.message}`);
    throw e;
  }
  const columns = logColumns(saved, raw);
  const n = columns[0]!.length;
  const xs = (i: number) => raw.map((c) => String(c[i]));
  if (request.interval !== undefined) {
    const band = savedBandModel(saved, where, curve);
    const b = savedFitIntervals(band, columns, request.interval, request.level ?? 0.95);
    const rows = Array.from({ length: n }, (_, i) => [
      ...xs(i),
      String(b.fit[i]),
      String(b.lower[i]),
      String(b.upper[i]),
    ]);
    return { columns: [...model.columns, "fit", "lower", "upper"], rows };
  }
  const theta = Float64Array.from(model.params, (name) => saved.result.estimates[name]!);
  const f = new Float64Array(n);
  curve.evaluate(theta, columns, n, f, null);
  const rows = Array.from({ length: n }, (_, i) => [...xs(i), String(f[i])]);
  return { columns: [...model.columns, `${saved.data.y}_predicted`], rows };
}

/** The model's inputs: the columns it was fitted on their log10 (`--x-log10`) transformed so. */
function logColumns(saved: SavedFit, raw: Float64Array[]): Float64Array[] {
  const logged = saved.model.log10Columns ?? [];
  return raw.map((column, k) => {
    const name = saved.model.columns[k]!;
    if (!logged.includes(name)) return column;
    return column.map((v, i) => {
      if (!(v > 0)) {
        throw new InputError(
          `predict: ${name}: the fit took its log10 (--x-log10), which needs values > 0; got ${v} in row ${i + 1}`,
        );
      }
      return Math.log10(v);
    });
  });
}
