import type { CurveRows } from "./curve-rows.js";
import type { CurveRange } from "./kernels.js";
import type { SigmoidWorkspace } from "./sigmoid-start.js";

/** How far outside the observed y range a fitted curve may go, in y-ranges, within the data. */
const REACH = 100;

/**
 * Whether the fitted curve (at rows.theta) has a pole inside the data range: for a model of
 * one variable it is evaluated at every distinct x and every midpoint between neighbours, and
 * a value that is not finite or lies more than 100 y-ranges outside the observed y means a
 * denominator crossed zero between the data (a rational formula fitted through a spike). For
 * models of several variables there is no order to take midpoints in: only the data are checked
 * (by the fit itself: non-finite residuals are never accepted), so this returns false. `ws`
 * holds the distinct x of the rows (averageReplicates, which the fitter runs once per curve).
 * A model whose values all lie in a range known from θ (`range`, kernels.ts: a 4PL between
 * its plateaus) has no pole, and is within reach wherever that range is: then nothing is
 * evaluated.
 */
export function hasPole(
  rows: CurveRows,
  ws: SigmoidWorkspace,
  x: Float64Array[],
  f: Float64Array,
  range: CurveRange | null = null,
): boolean {
  if (rows.columns.length !== 1) return false;
  let yMin = Number.POSITIVE_INFINITY;
  let yMax = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < rows.n; i++) {
    if (rows.y[i]! < yMin) yMin = rows.y[i]!;
    if (rows.y[i]! > yMax) yMax = rows.y[i]!;
  }
  const span = yMax > yMin ? yMax - yMin : Math.max(Math.abs(yMax), 1);
  if (range !== null) {
    range(rows.theta, f);
    if (f[0]! > yMin - REACH * span && f[1]! < yMax + REACH * span) return false;
  }
  const m = ws.m;
  const at = x[0]!;
  let count = 0;
  for (let i = 0; i < m; i++) {
    at[count++] = ws.t[i]!;
    if (i + 1 < m) at[count++] = 0.5 * (ws.t[i]! + ws.t[i + 1]!);
  }
  rows.curve.evaluate(rows.theta, x, count, f, null);
  for (let i = 0; i < count; i++) {
    const v = f[i]!;
    if (!(v >= yMin - REACH * span && v <= yMax + REACH * span)) return true;
  }
  return false;
}
