import type { CurveFit } from "../nls/fit-curve.js";
import type { PreparedCurveFit } from "./prepare-curve-fit.js";

/**
 * Every row the fit used: its x column(s) as read (before any log10), y, the fitted value,
 * the residual y − fitted and the weight (1 when unweighted). What `fit --residuals FILE`
 * writes; columns are named after the data's columns.
 */
export interface CurveResiduals {
  columns: string[];
  rows: number[][];
}

export function curveResiduals(prepared: PreparedCurveFit, fit: CurveFit): CurveResiduals {
  const { curve, columns, rawColumns, y, weights, model, request } = prepared;
  const n = y.length;
  const fitted = new Float64Array(n);
  curve.evaluate(fit.theta, columns, n, fitted, null);
  const xNames = [...new Set(model.columns)];
  const xColumns = xNames.map((name) => rawColumns[model.columns.indexOf(name)]!);
  const rows = Array.from({ length: n }, (_, i) => [
    ...xColumns.map((c) => c[i]!),
    y[i]!,
    fitted[i]!,
    y[i]! - fitted[i]!,
    weights?.[i] ?? 1,
  ]);
  return { columns: [...xNames, request.y, "fitted", "residual", "weight"], rows };
}
