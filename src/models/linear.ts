import { createLayout, type Layout } from "../core/layout.js";
import type { Rng } from "../core/rng.js";
import type { Dataset } from "../data/dataset.js";
import type { Model, RowRange } from "./types.js";

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
      const b = params[p]!;
      const { order, start, end } = range;
      let sse = 0;
      let sr = 0;
      if (p === 1) {
        // The seed's single-feature case, kept branch-free in the inner loop.
        const w = params[0]!;
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
      } else {
        for (let k = start; k < end; k++) {
          const i = order === null ? k : order[k]!;
          const row = i * p;
          let pred = b;
          for (let j = 0; j < p; j++) pred += x[row + j]! * params[j]!;
          const r = pred - y[i]!;
          sse += r * r;
          sr += r;
          for (let j = 0; j < p; j++) grad[j]! += x[row + j]! * r;
        }
      }
      const count = end - start;
      const scale = 2 / count;
      for (let j = 0; j < p; j++) grad[j]! *= scale;
      grad[p] = sr * scale;
      return sse / count;
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
