import type { Layout } from "./layout.js";
import type { Rng } from "./rng.js";

/**
 * Which rows of the data a loss covers: rows `order[start..end)` when `order` is given
 * (a shuffled mini-batch), else rows `start..end` in storage order.
 */
export interface RowRange {
  order: Uint32Array | null;
  start: number;
  end: number;
}

/** A differentiable objective over (a slice of) a data set, with its parameter layout. */
export interface Model {
  readonly kind: string;
  readonly layout: Layout;
  /** Rows in the data the model was built on. */
  readonly rows: number;
  /** Writes starting values into `params`. */
  init(params: Float64Array, rng: Rng): void;
  /**
   * Mean loss over `rows`; writes ∂loss/∂θ into `grad` (overwriting it). One fused pass,
   * no allocation.
   */
  lossAndGrad(params: Float64Array, grad: Float64Array, rows: RowRange): number;
}
