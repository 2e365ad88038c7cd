import { createLayout, type Layout } from "../core/layout.js";
import type { Model, RowRange } from "../core/model.js";
import type { Rng } from "../core/rng.js";
import type { Dataset } from "../data/dataset.js";

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
      else sweepP(x, y, p, params, grad, order, start, end, sums);
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

/**
 * p features: Σr², Σr into sums; Xᵀr into grad[0..p). Four rows per pass so the four dot
 * products are independent chains (one row's chain is add-latency bound) and grad[j] is
 * read and written once per four rows. Every row's sums keep the one-row order, so the
 * results are bitwise the same as the one-row loop.
 */
function sweepP(
  x: Float64Array,
  y: Float64Array,
  p: number,
  params: Float64Array,
  grad: Float64Array,
  order: Uint32Array | null,
  start: number,
  end: number,
  sums: Float64Array,
): void {
  const b = params[p]!;
  let sse = 0;
  let sr = 0;
  let k = start;
  for (; k + 4 <= end; k += 4) {
    const i0 = order === null ? k : order[k]!;
    const i1 = order === null ? k + 1 : order[k + 1]!;
    const i2 = order === null ? k + 2 : order[k + 2]!;
    const i3 = order === null ? k + 3 : order[k + 3]!;
    const o0 = i0 * p;
    const o1 = i1 * p;
    const o2 = i2 * p;
    const o3 = i3 * p;
    let q0 = b;
    let q1 = b;
    let q2 = b;
    let q3 = b;
    for (let j = 0; j < p; j++) {
      const w = params[j]!;
      q0 += x[o0 + j]! * w;
      q1 += x[o1 + j]! * w;
      q2 += x[o2 + j]! * w;
      q3 += x[o3 + j]! * w;
    }
    const r0 = q0 - y[i0]!;
    const r1 = q1 - y[i1]!;
    const r2 = q2 - y[i2]!;
    const r3 = q3 - y[i3]!;
    sse += r0 * r0;
    sse += r1 * r1;
    sse += r2 * r2;
    sse += r3 * r3;
    sr += r0;
    sr += r1;
    sr += r2;
    sr += r3;
    for (let j = 0; j < p; j++) {
      let g = grad[j]!;
      g += x[o0 + j]! * r0;
      g += x[o1 + j]! * r1;
      g += x[o2 + j]! * r2;
      g += x[o3 + j]! * r3;
      grad[j] = g;
    }
  }
  for (; k < end; k++) {
    const i = order === null ? k : order[k]!;
    const o = i * p;
    let q = b;
    for (let j = 0; j < p; j++) q += x[o + j]! * params[j]!;
    const r = q - y[i]!;
    sse += r * r;
    sr += r;
    for (let j = 0; j < p; j++) grad[j]! += x[o + j]! * r;
  }
  sums[0] = sse;
  sums[1] = sr;
}
