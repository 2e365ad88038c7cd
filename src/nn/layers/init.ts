import { OptionError } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import type { Activation } from "./activations.js";
import type { DenseLayer } from "./dense.js";

/**
 * Random starting weights for a dense layer (fan_in = in, fan_out = out); biases are 0.
 *
 *   He (Kaiming):  std = gain/√fan_in,  gain = √(2/(1 + s²))   (s = leaky-relu slope, 0 for relu)
 *   Glorot:        std = √(2/(fan_in + fan_out))
 *
 * drawn as uniform on [−√3·std, √3·std] (the default, as Keras' he_uniform/glorot_uniform
 * and PyTorch's kaiming_uniform_/xavier_uniform_) or normal N(0, std²) (not truncated).
 * `scale` multiplies std (default 1): a deliberately large start is `scale > 1`.
 *
 * He keeps the variance of relu-family activations constant through depth (relu,
 * leaky-relu, gelu and softplus use it); Glorot keeps both the forward and backward variance
 * of tanh/sigmoid/linear units (tanh, sigmoid, identity, and the linear output layer).
 * Weights are drawn in row-major order from the caller's seeded `Rng`.
 */
export type InitScheme = "he" | "glorot";
export type InitDistribution = "uniform" | "normal";

export interface InitOptions {
  scheme: InitScheme;
  distribution?: InitDistribution;
  /** Leaky-relu slope s for He's gain (default 0). */
  slope?: number;
  /** Multiplies the standard deviation (default 1). */
  scale?: number;
}

/** He for the relu family, Glorot for tanh, sigmoid and identity. */
export function schemeFor(act: Activation): InitScheme {
  return act.name === "tanh" || act.name === "sigmoid" || act.name === "identity" ? "glorot" : "he";
}

export function initStd(layer: DenseLayer, options: InitOptions): number {
  const scale = options.scale ?? 1;
  if (!(Number.isFinite(scale) && scale > 0))
    throw new OptionError("init", "scale", scale, "a finite number > 0");
  if (options.scheme === "he") {
    const s = options.slope ?? 0;
    return (scale * Math.sqrt(2 / (1 + s * s))) / Math.sqrt(layer.inputs);
  }
  return scale * Math.sqrt(2 / (layer.inputs + layer.outputs));
}

/** Writes W (random, as above) and b = 0 of `layer` into `params`. */
export function initDense(
  layer: DenseLayer,
  params: Float64Array,
  rng: Rng,
  options: InitOptions,
): void {
  const std = initStd(layer, options);
  const size = layer.inputs * layer.outputs;
  const w = layer.weights;
  if ((options.distribution ?? "uniform") === "uniform") {
    const bound = Math.sqrt(3) * std;
    for (let i = 0; i < size; i++) params[w + i] = (2 * rng.uniform() - 1) * bound;
  } else {
    for (let i = 0; i < size; i++) params[w + i] = rng.normal() * std;
  }
  for (let j = 0; j < layer.outputs; j++) params[layer.bias + j] = 0;
}
