/**
 * The argument checks of CurveFunction.evaluate, once per call (not per row), shared by
 * both evaluation modes: a wrong length is an error naming the array and the expectation,
 * never a silent read of `undefined` as NaN.
 */
import { BiogradError } from "../core/errors.js";

export type ShapeCheck = (
  theta: Float64Array,
  columns: readonly Float64Array[],
  n: number,
  f: Float64Array,
  jac: Float64Array | null,
) => void;

export function shapeCheck(params: readonly string[], variables: readonly string[]): ShapeCheck {
  const p = params.length;
  const fail = (message: string): never => {
    throw new BiogradError("shape_mismatch", `formula: ${message}`);
  };
  return (theta, columns, n, f, jac) => {
    if (!Number.isInteger(n) || n < 0) fail(`n must be an integer >= 0, got ${n}`);
    if (theta.length !== p) {
      fail(
        `theta has length ${theta.length}, expected ${p} (${params.join(", ") || "no parameters"})`,
      );
    }
    if (columns.length !== variables.length) {
      fail(
        `got ${columns.length} columns, expected ${variables.length} (${variables.join(", ") || "no variables"})`,
      );
    }
    columns.forEach((c, k) => {
      if (c.length < n) fail(`column "${variables[k]}" has ${c.length} rows, fewer than n = ${n}`);
    });
    if (f.length < n) fail(`f has length ${f.length}, fewer than n = ${n}`);
    if (jac !== null && jac.length < n * p) {
      fail(`jac has length ${jac.length}, fewer than n·p = ${n * p}`);
    }
  };
}
