import { near } from "../library/stats.js";
import type { CurveRows } from "./curve-rows.js";
import { quickLogisticStart, type SigmoidWorkspace } from "./sigmoid-start.js";

/**
 * Allocation-free self-starts for the many-curves path, by library model name: each writes a
 * start into `theta` (all parameters, the model's order) from the rows loaded in `rows`, whose
 * replicate means `ws` already holds (averageReplicates: the fitter computes them once per
 * curve), or returns false — then the fitter uses the library's own self-start. They are the
 * library rules without the final coordinate-search polish (sigmoid-start.ts says why).
 */
export type FastStart = (ws: SigmoidWorkspace, rows: CurveRows, theta: Float64Array) => boolean;

/**
 * 4PL (bottom, top, logEC50, hill on x = log10 concentration): the padded logistic start on
 * the replicate means (its tightest padding alone when that fits them, sigmoid-start.ts),
 * judged plausible as the library judges it (plateaus within 10 y-ranges, midpoint within
 * 3 x-ranges, slope at most 100 per x-range), the exact twin resolved so that top ≥ bottom.
 */
const fourPL: FastStart = (ws, _rows, theta) => {
  const m = ws.m;
  if (m < 2 || !quickLogisticStart(ws)) return false;
  let yMin = Number.POSITIVE_INFINITY;
  let yMax = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < m; i++) {
    if (ws.y[i]! < yMin) yMin = ws.y[i]!;
    if (ws.y[i]! > yMax) yMax = ws.y[i]!;
  }
  const xMin = ws.t[0]!;
  const xMax = ws.t[m - 1]!;
  let bottom = near(ws.bottom, yMin, yMax, 10);
  let top = near(ws.top, yMin, yMax, 10);
  const logEC50 = near(-ws.c0 / ws.c1, xMin, xMax, 3);
  let hill = ws.c1 / Math.LN10;
  if (!(Math.abs(hill) * (xMax - xMin) <= 100)) return false;
  if (!Number.isFinite(bottom) || !Number.isFinite(top) || !Number.isFinite(logEC50)) return false;
  if (top < bottom) {
    // The exact twin (bottom, top, hill) → (top, bottom, −hill) describes the same curve.
    const t = top;
    top = bottom;
    bottom = t;
    hill = -hill;
  }
  theta[0] = bottom;
  theta[1] = top;
  theta[2] = logEC50;
  theta[3] = hill;
  return true;
};

const FAST_STARTS: Readonly<Record<string, FastStart>> = { "4pl": fourPL };

export function fastStartFor(modelName: string): FastStart | null {
  return FAST_STARTS[modelName] ?? null;
}
