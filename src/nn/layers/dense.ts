import { BiogradError } from "../../core/errors.js";
import { findEntry, type Layout } from "../../core/layout.js";
import { float64Products, type MatrixProducts } from "../kernels/gemm.js";

/**
 * A fully connected layer on a batch of rows. Weights W have shape (in, out), row-major
 * (W[i·out + j] connects input i to output j), so the batch product is X·W:
 *
 *   forward   Z = X·W + 1·bᵀ              X batch×in, Z batch×out
 *   backward  ∂W += Xᵀ·∂Z,  ∂b += Σ_rows ∂Z,  ∂X = ∂Z·Wᵀ
 *
 * The layer is a descriptor of where its tensors live in the flat parameter vector (layout
 * entries "<name>.W" and "<name>.b"); the same offsets index the gradient buffer. Inputs
 * are read at an offset (a contiguous slice of the data set is used in place); outputs go
 * into caller-owned buffers sized for the largest batch. Nothing is allocated per call.
 * `products` picks the precision of the matrix products (float64 unless a network asks for
 * float32, see gemm.ts); the bias loops are float64 either way.
 */
export interface DenseLayer {
  readonly name: string;
  readonly inputs: number;
  readonly outputs: number;
  /** Offset of "<name>.W" (in×out) in the parameter and gradient buffers. */
  readonly weights: number;
  /** Offset of "<name>.b" (out). */
  readonly bias: number;
}

/** Layout specs of a dense layer: "<name>.W" [in, out], then "<name>.b" [out]. */
export function denseSpecs(
  name: string,
  inputs: number,
  outputs: number,
): { name: string; shape: number[] }[] {
  return [
    { name: `${name}.W`, shape: [inputs, outputs] },
    { name: `${name}.b`, shape: [outputs] },
  ];
}

/** The dense layer `name` of a layout made with `denseSpecs`. */
export function denseLayer(layout: Layout, name: string): DenseLayer {
  const w = findEntry(layout, `${name}.W`);
  const b = findEntry(layout, `${name}.b`);
  const [inputs, outputs] = w.shape;
  if (w.shape.length !== 2 || b.shape.length !== 1 || b.shape[0] !== outputs) {
    throw new BiogradError(
      "shape_mismatch",
      `dense layer "${name}": W has shape [${w.shape.join(", ")}] and b [${b.shape.join(", ")}]; expected [in, out] and [out]`,
    );
  }
  return { name, inputs: inputs!, outputs: outputs!, weights: w.offset, bias: b.offset };
}

/** z[0..batch·out) = x·W + b, x read from `xOffset` (batch×in). */
export function denseForward(
  layer: DenseLayer,
  params: Float64Array,
  x: Float64Array,
  xOffset: number,
  batch: number,
  z: Float64Array,
  products: MatrixProducts = float64Products,
): void {
  const { inputs, outputs, weights, bias } = layer;
  for (let r = 0; r < batch; r++) {
    const row = r * outputs;
    for (let j = 0; j < outputs; j++) z[row + j] = params[bias + j]!;
  }
  products.matmul(batch, outputs, inputs, x, xOffset, params, weights, z, 0, 1);
}

/**
 * Accumulates ∂W += xᵀ·dz and ∂b += column sums of dz into `grad` (same layout as params);
 * writes dx = dz·Wᵀ (batch×in, overwritten) unless `dx` is null (the first layer's input is
 * data, which needs no gradient).
 */
export function denseBackward(
  layer: DenseLayer,
  params: Float64Array,
  x: Float64Array,
  xOffset: number,
  dz: Float64Array,
  batch: number,
  grad: Float64Array,
  dx: Float64Array | null,
  products: MatrixProducts = float64Products,
): void {
  const { inputs, outputs, weights, bias } = layer;
  products.matmulTransA(inputs, outputs, batch, x, xOffset, dz, 0, grad, weights, 1);
  for (let r = 0; r < batch; r++) {
    const row = r * outputs;
    for (let j = 0; j < outputs; j++) grad[bias + j]! += dz[row + j]!;
  }
  if (dx !== null) products.matmulTransB(batch, inputs, outputs, dz, 0, params, weights, dx, 0, 0);
}
