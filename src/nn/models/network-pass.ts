import type { Rng } from "../../core/rng.js";
import { activationBackward, activationForward } from "../layers/activations.js";
import { denseBackward, denseForward } from "../layers/dense.js";
import { applyMask, drawDropoutMask } from "../layers/dropout.js";
import type { Network } from "./network.js";

/**
 * Forward and backward through a `Network` for one chunk of `batch` ≤ maxBatch rows; the
 * input x (batch × inputs) is read from `xOffset`. Formulas (l = hidden layer):
 *
 *   forward   z_l = a_{l−1}·W_l + b_l,   h_l = f(z_l),   a_l = h_l ⊙ m_l,   out = a_L·W + b
 *   backward  ∂W_l += a_{l−1}ᵀ·∂z_l,   ∂b_l += Σ_rows ∂z_l,   ∂a_{l−1} = ∂z_l·W_lᵀ,
 *             ∂h_l = ∂a_l ⊙ m_l,       ∂z_l = ∂h_l ⊙ f′(z_l)
 *
 * starting from ∂out = net.dOut (written by the loss). Gradients accumulate into `grad`, so
 * the chunks of one mini-batch add up. Dropout masks are drawn from `dropoutRng` in the
 * forward pass when it is given (training); with null there is no dropout (prediction).
 * Nothing is allocated.
 */
export function networkForward(
  net: Network,
  params: Float64Array,
  x: Float64Array,
  xOffset: number,
  batch: number,
  dropoutRng: Rng | null,
): Float64Array {
  const { layers, activation, z, h, masks, a } = net;
  const hidden = layers.length - 1;
  const dropping = dropoutRng !== null && net.dropout > 0;
  let input = x;
  let offset = xOffset;
  for (let l = 0; l < hidden; l++) {
    const count = batch * layers[l]!.outputs;
    denseForward(layers[l]!, params, input, offset, batch, z[l]!, net.products);
    activationForward(activation, z[l]!, h[l]!, count);
    if (net.dropout > 0) {
      // Without a generator (prediction) the layer is the identity: a = h.
      if (dropping) drawDropoutMask(masks[l]!, count, net.dropout, dropoutRng);
      else masks[l]!.fill(1, 0, count);
      applyMask(h[l]!, masks[l]!, a[l]!, count);
    }
    input = a[l]!;
    offset = 0;
  }
  denseForward(layers[hidden]!, params, input, offset, batch, net.out, net.products);
  return net.out;
}

/** Backward pass after `networkForward` on the same chunk, from net.dOut into `grad`. */
export function networkBackward(
  net: Network,
  params: Float64Array,
  x: Float64Array,
  xOffset: number,
  batch: number,
  grad: Float64Array,
): void {
  const { layers, activation, z, h, masks, a, delta } = net;
  let dz = net.dOut;
  for (let l = layers.length - 1; l >= 0; l--) {
    const input = l === 0 ? x : a[l - 1]!;
    const offset = l === 0 ? xOffset : 0;
    const dIn = l === 0 ? null : delta[l % 2]!;
    denseBackward(layers[l]!, params, input, offset, dz, batch, grad, dIn, net.products);
    if (dIn === null) break;
    const count = batch * layers[l - 1]!.outputs;
    if (net.dropout > 0) applyMask(dIn, masks[l - 1]!, dIn, count);
    activationBackward(activation, z[l - 1]!, h[l - 1]!, dIn, dIn, count);
    dz = dIn;
  }
}
