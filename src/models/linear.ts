import { createLayout, type Layout } from "../core/layout.js";
import type { Model, RowRange } from "../core/model.js";
import type { Rng } from "../core/rng.js";
import type { Dataset } from "../data/dataset.js";
import { linearPartial } from "../parallel/linear-partial.js";
import {
  instantiateLinearKernel,
  type LinearBuffers,
  type LinearKernel,
  linearBuffers,
  linearWasmWanted,
} from "../parallel/wasm-linear.js";

const NO_ORDER = new Uint32Array(0);
/**
 * From how many values of X (n·p) the multi-feature sweep copies the data into WebAssembly
 * memory for the f64x2 kernel (wasm-linear.ts: the same sums bit for bit, ≈3.5× the JS
 * kernel's flops). The copy (n·p·8 bytes more memory, made once, at the first call) and a
 * wasm memory per model pay off only on large data; small models stay on the JS kernel.
 */
const WASM_MIN_VALUES = 1 << 16;

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
  /**
   * Which kernel the loss and gradient run on: "wasm-simd" (the data copied into wasm memory)
   * or "js"; "undecided" before the first call (the copy is made then). Same numbers either way.
   */
  backend(): "wasm-simd" | "js" | "undecided";
}

export function linearModel(data: Dataset): LinearModel {
  const p = data.features.length;
  const n = data.rows;
  const x = data.x;
  const y = data.y;
  const sums = new Float64Array(2); // [sse, Σr] handed back by the sweeps
  const partial = new Float64Array(p + 2); // Σ x_ij·r_i, sse, Σr of the multi-feature sweep
  // The wasm copy of the data and this thread's kernel: undefined until the first call
  // decides, null when the JS kernel runs.
  let wasm: { buffers: LinearBuffers; kernel: LinearKernel } | null | undefined;
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
      // Every entry of grad is written below: no fill(0) (a builtin call, ≈25 ns per step).
      const { order, start, end } = range;
      if (p === 1) sweep1(x, y, params, grad, order, start, end, sums);
      else {
        // The multi-feature sweep is the parallel model's part function over all rows (one
        // loop for both, so one thread and N threads sum in the same order).
        if (wasm === undefined) wasm = wasmSweep(x, y, p);
        if (wasm === null) {
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
        } else wasmPartial(wasm.buffers, wasm.kernel, p, params, range, partial);
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
    backend: () => (p === 1 ? "js" : wasm === undefined ? "undecided" : wasm ? "wasm-simd" : "js"),
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

/** The wasm copy of the data and a kernel on it, or null for the JS kernel. */
function wasmSweep(x: Float64Array, y: Float64Array, p: number) {
  if (x.length < WASM_MIN_VALUES || !linearWasmWanted()) return null;
  const buffers = linearBuffers(x, y, p, 1);
  return buffers.wasm === null ? null : { buffers, kernel: instantiateLinearKernel(buffers.wasm) };
}

/** linearPartial's sums over `range` by the wasm kernel, into `partial`. */
function wasmPartial(
  b: LinearBuffers,
  kernel: LinearKernel,
  p: number,
  params: Float64Array,
  range: RowRange,
  partial: Float64Array,
): void {
  const at = b.wasm!.at;
  b.params.set(params.subarray(0, p + 1));
  let { start, end } = range;
  if (range.order !== null) {
    b.order.set(range.order.subarray(start, end));
    end -= start;
    start = 0;
  }
  kernel(at.x, at.y, p, at.params, at.order, range.order === null ? 0 : 1, start, end, at.partials);
  partial.set(b.partials.subarray(0, p + 2));
}

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
  // Two loops, the same sums in the same order: with the row choice inside one loop V8 tests
  // `order` and re-checks x and y on every row (≈15 % of a 100-row seed train() measured).
  if (order === null) {
    for (let i = start; i < end; i++) {
      const xi = x[i]!;
      const r = xi * w + b - y[i]!;
      sse += r * r;
      sr += r;
      sxr += xi * r;
    }
  } else {
    for (let k = start; k < end; k++) {
      const i = order[k]!;
      const xi = x[i]!;
      const r = xi * w + b - y[i]!;
      sse += r * r;
      sr += r;
      sxr += xi * r;
    }
  }
  grad[0] = sxr;
  sums[0] = sse;
  sums[1] = sr;
}
