import { BiogradError } from "../../core/errors.js";
import { createLayout, type Layout } from "../../core/layout.js";
import type { Rng } from "../../core/rng.js";
import type { DType, MatrixProducts } from "../kernels/gemm.js";
import type { Activation } from "../layers/activations.js";
import { type DenseLayer, denseLayer, denseSpecs } from "../layers/dense.js";
import { initDense, schemeFor } from "../layers/init.js";
import { networkBuffers } from "./network-buffers.js";

/**
 * A stack of dense layers with one activation (and optional dropout) after every hidden
 * layer and a linear output layer:
 *
 *   a₀ = x;   z_l = a_{l−1}·W_l + b_l,   h_l = f(z_l),   a_l = h_l ⊙ m_l   (l = 1…L hidden)
 *   out = z_{L+1} = a_L·W_{L+1} + b_{L+1}   (logits or the regression value)
 *
 * Layout: "dense1.W" [in, h1], "dense1.b" [h1], "dense2.W" [h1, h2], … up to the output
 * layer "dense{L+1}.W" [h_L, outputs], "dense{L+1}.b" — layer by layer, W before b.
 *
 * All activation buffers are allocated here, once, for `maxBatch` rows: the gathered input
 * batch; per hidden layer z_l, h_l and (with dropout) the mask m_l and a_l; the output z; the
 * gradient ∂out written by the loss; two ping-pong buffers for ∂a/∂z on the way back. The
 * passes (network-pass.ts) only write into them. With float64 products on WebAssembly they
 * live in the memory of the network's own GEMM instance, so the products use them without
 * copies (network-buffers.ts); they may then have a few rows more than maxBatch.
 *
 * `dtype` is the precision of the layers' matrix products: "float64" (default) or "float32"
 * (operands rounded to float32 and multiplied by the f32x4 kernel, see gemm-f32-wasm.ts).
 * Everything else — parameters, activations, losses, gradients' accumulation — is float64.
 */
export interface Network {
  readonly layout: Layout;
  readonly layers: readonly DenseLayer[];
  readonly activation: Activation;
  /** Dropout rate after each hidden activation (0: none). */
  readonly dropout: number;
  readonly maxBatch: number;
  readonly dtype: DType;
  /** The matrix products of that precision. */
  readonly products: MatrixProducts;
  /** A batch of inputs gathered from shuffled rows, maxBatch × inputs. */
  readonly input: Float64Array;
  /** Pre-activations z_l per hidden layer, maxBatch × width. */
  readonly z: readonly Float64Array[];
  /** h_l = f(z_l) per hidden layer. */
  readonly h: readonly Float64Array[];
  /** Dropout masks per hidden layer (empty arrays without dropout). */
  readonly masks: readonly Float64Array[];
  /** a_l = h_l ⊙ m_l per hidden layer (the same arrays as h without dropout). */
  readonly a: readonly Float64Array[];
  /** The output layer's z, maxBatch × outputs. */
  readonly out: Float64Array;
  /** ∂loss/∂out, written by the loss, maxBatch × outputs. */
  readonly dOut: Float64Array;
  /** Two maxBatch × (widest hidden layer) buffers for the backward pass. */
  readonly delta: readonly [Float64Array, Float64Array];
}

export interface NetworkShape {
  inputs: number;
  hidden: readonly number[];
  outputs: number;
  activation: Activation;
  dropout: number;
  maxBatch: number;
  /** Precision of the matrix products (default "float64"). */
  dtype?: DType;
}

export function createNetwork(shape: NetworkShape): Network {
  const { inputs, hidden, outputs, activation, dropout, maxBatch } = shape;
  const dtype = shape.dtype ?? "float64";
  const widths = [inputs, ...hidden, outputs];
  const buffers = networkBuffers(widths, dropout, maxBatch, dtype);
  if (buffers === null) {
    throw new BiogradError(
      "invalid_option",
      'dtype "float32" needs WebAssembly SIMD, which this JavaScript runtime lacks; use "float64"',
    );
  }
  const names = hidden.map((_, l) => `dense${l + 1}`).concat(`dense${hidden.length + 1}`);
  const layout = createLayout(
    names.flatMap((name, l) => denseSpecs(name, widths[l]!, widths[l + 1]!)),
  );
  const layers = names.map((name) => denseLayer(layout, name));
  const { products, input, z, h, masks, a, out, dOut, delta } = buffers;
  return {
    layout,
    layers,
    activation,
    dropout,
    maxBatch,
    dtype,
    products,
    input,
    z,
    h,
    masks,
    a,
    out,
    dOut,
    delta,
  };
}

export interface NetworkInit {
  distribution: "uniform" | "normal";
  scale: number;
}

/**
 * Starting values: hidden layers by their activation (He for the relu family, Glorot for
 * tanh/sigmoid/identity), the linear output layer Glorot; all biases 0. Layers are drawn in
 * layout order from `rng`.
 */
export function initNetwork(net: Network, params: Float64Array, rng: Rng, init: NetworkInit): void {
  const last = net.layers.length - 1;
  net.layers.forEach((layer, l) => {
    const scheme = l === last ? "glorot" : schemeFor(net.activation);
    const slope = net.activation.slope;
    initDense(layer, params, rng, {
      scheme,
      slope,
      distribution: init.distribution,
      scale: init.scale,
    });
  });
}
