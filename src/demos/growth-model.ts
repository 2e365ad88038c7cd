import { createLayout } from "../core/layout.js";
import type { Model, RowRange } from "../core/model.js";

/**
 * Exponential growth y = a·exp(b·t) on the mean squared error, by hand:
 *   r_i = a·e^{b t_i} − y_i,   L = (1/n) Σ r_i²,
 *   ∂L/∂a = (2/n) Σ r_i e^{b t_i},   ∂L/∂b = (2/n) Σ r_i a t_i e^{b t_i}.
 * Layout: `a`, then `b` (two scalars). The gradient in b carries a·t·e^{bt}: far above the
 * answer it is orders of magnitude larger than near it, which is what makes this model the
 * demonstration of clipping. Starting values always come from the caller (`start`).
 */
export interface GrowthModel extends Model {
  readonly kind: "exponential-growth";
  /** a·exp(b·t) for the parameters [a, b]. */
  predict(params: Float64Array, t: number): number;
}

export function exponentialGrowthModel(t: Float64Array, y: Float64Array): GrowthModel {
  if (t.length !== y.length || t.length === 0) {
    throw new Error("exponentialGrowthModel: t and y must be non-empty and of equal length");
  }
  const layout = createLayout([
    { name: "a", shape: [] },
    { name: "b", shape: [] },
  ]);
  return {
    kind: "exponential-growth",
    layout,
    rows: t.length,
    init(params: Float64Array): void {
      params.set([1, 0]);
    },
    lossAndGrad(params: Float64Array, grad: Float64Array, range: RowRange): number {
      const a = params[0]!;
      const b = params[1]!;
      let sse = 0;
      let ga = 0;
      let gb = 0;
      for (let k = range.start; k < range.end; k++) {
        const i = range.order ? range.order[k]! : k;
        const e = Math.exp(b * t[i]!);
        const r = a * e - y[i]!;
        sse += r * r;
        ga += r * e;
        gb += r * a * t[i]! * e;
      }
      const n = range.end - range.start;
      grad[0] = (2 / n) * ga;
      grad[1] = (2 / n) * gb;
      return sse / n;
    },
    predict(params: Float64Array, time: number): number {
      return params[0]! * Math.exp(params[1]! * time);
    },
  };
}
