import { readFileSync } from "node:fs";
import type { CurveFunction } from "../../../src/core/curve.js";
import { compileFormula } from "../../../src/formula/index.js";
import type { CurveData } from "../../../src/nls/curve-problem.js";
import { type CurveFit, fitCurve } from "../../../src/nls/fit-curve.js";
import { findModel } from "../../../src/nls/library/index.js";
import type { ParameterSpec } from "../../../src/nls/parameters.js";

/** Test helpers: a library model compiled, self-started and fitted, and a tiny CSV reader. */
export interface LibraryFit {
  curve: CurveFunction;
  data: CurveData;
  specs: ParameterSpec[];
  fit: CurveFit;
}

export function libraryFit(
  model: string,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  bounds: Record<string, { lower?: number; upper?: number }> = {},
): LibraryFit {
  const lib = findModel(model)!;
  const curve = compileFormula(lib.formula, {
    params: lib.params,
    variables: lib.variables,
    constants: {},
  });
  const data = { columns: [Float64Array.from(x)], y: Float64Array.from(y), weights: null };
  const start = lib.selfStart(data.columns, data.y);
  const specs = lib.params.map((name) => ({ name, start: start[name]!, ...bounds[name] }));
  return { curve, data, specs, fit: fitCurve(curve, data, specs) };
}

/** Rows of a CSV in examples/ (numbers where they parse), optionally filtered. */
export function readExample(
  file: string,
  keep: (row: Record<string, string>) => boolean = () => true,
): Record<string, string>[] {
  const text = readFileSync(new URL(`../../../examples/${file}`, import.meta.url), "utf8");
  const [head, ...lines] = text.trim().split(/\r?\n/);
  const names = head!.split(",");
  return lines
    .map((line) => Object.fromEntries(line.split(",").map((v, i) => [names[i]!, v])))
    .filter(keep);
}

export function column(rows: Record<string, string>[], name: string): number[] {
  return rows.map((r) => Number(r[name]));
}
