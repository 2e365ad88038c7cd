import { createLayout, type Layout } from "../core/layout.js";
import type { Model, RowRange } from "../core/model.js";
import type { Rng } from "../core/rng.js";
import type { Dataset } from "../data/dataset.js";
import { linearPartial } from "../parallel/linear-partial.js";

const NO_ORDER = new Uint32Array(0);

/**
 * Linear regression ŷ = X·w + b with mean squared error
 *   L = (1/n) Σ (ŷ_i − y_i)²,   ∂L/∂w = (2/n) Xᵀ(ŷ − y),   ∂L/∂b = (2/n) Σ (ŷ_i − y_i).
 * Layout: `w` (one weight per feature, in column order), then `b`.
 * Starting values: w, b ~ N(0, 1) from the run's seeded generator (as the seed code does).
 */
export interface LinearModel extends Model {
  readonly kind: "linear";
  readonly features: readonly string[];
  /** Writes predictions for `n` rows of the row-major matrix `x` into `out`. */
  predict(params: Float64Array, x: Float64Array, out: Float64Array): void;
}

export function linearModel(data: Dataset): LinearModel {
  const p = data.features.length;
  const n = data.rows;
  const x = data.x;
  const y = data.y;
  const sums = new Float64Array(2); // [sse, Σr] handed back by the sweeps
  const partial = new Float64Array(p + 2); // Σ x_ij·r_i, sse, Σr of the multi-feature sweep
  const layout: Layout = createLayout([
    { name: "w", shape: [p] },
    { name: "b", shape: [] },
  ]);
  return {
    kind: "linear",
    layout,
    rows: n,
    features: data.features,
    init(params: Float64Array, rng: Rng): void {
      for (let j = 0; j <= p; j++) params[j] = rng.normal();
    },
    lossAndGrad(params: Float64Array, grad: Float64Array, range: RowRange): number {
      grad.fill(0);
      const { order, start, end } = range;
      if (p === 1) sweep1(x, y, params, grad, order, start, end, sums);
      else {
        // The multi-feature sweep is the parallel model's part function over all rows (one
        // loop for both, so one thread and N threads sum in the same order).
        linearPartial(
          x,
          y,
          p,
          params,
          order ?? NO_ORDER,
          order === null ? 0 : 1,
          start,
          end,
          partial,
          0,
        );
        grad.set(partial.subarray(0, p));
        sums[0] = partial[p]!;
        sums[1] = partial[p + 1]!;
      }
      const count = end - start;
      const scale = 2 / count;
      for (let j = 0; j < p; j++) grad[j]! *= scale;
      grad[p] = sums[1]! * scale;
      return sums[0]! / count;
    },
    predict(params: Float64Array, xs: Float64Array, out: Float64Array): void {
      const b = params[p]!;
      for (let i = 0; i < out.length; i++) {
        let pred = b;
        for (let j = 0; j < p; j++) pred += xs[i * p + j]! * params[j]!;
        out[i] = pred;
      }
    },
  };
}

// The row sweeps are module-level functions, not closures in linearModel: a closure's hot loop
// is compiled per closure by on-stack replacement, and on Node 20 (V8 11.3) every later model's
// closure re-enters that OSR code and deoptimizes after the loop ("insufficient type feedback"
// at 2 / count), so the loop runs mostly unoptimized with boxed doubles (≈2× slower, GC-heavy).
// One shared function is optimized once, for every model.

/** Single feature: Σr², Σr into sums; Σ x·r into grad[0]. */
function sweep1(
  x: Float64Array,
  y: Float64Array,
  params: Float64Array,
  grad: Float64Array,
  order: Uint32Array | null,
  start: number,
  end: number,
  sums: Float64Array,
): void {
  const w = params[0]!;
  const b = params[1]!;
  let sse = 0;
  let sr = 0;
  let sxr = 0;
  for (let k = start; k < end; k++) {
    const i = order === null ? k : order[k]!;
    const xi = x[i]!;
    const r = xi * w + b - y[i]!;
    sse += r * r;
    sr += r;
    sxr += xi * r;
  }
  grad[0] = sxr;
  sums[0] = sse;
  sums[1] = sr;
}
