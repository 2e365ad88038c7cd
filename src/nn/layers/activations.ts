import { OptionError } from "../../core/errors.js";
import {
  copy,
  geluBackward,
  geluForward,
  leakyBackward,
  leakyForward,
  reluForward,
  sigmoidBackward,
  sigmoidForward,
  softplusBackward,
  softplusForward,
  tanhBackward,
  tanhForward,
} from "./activation-kernels.js";

/**
 * Element-wise activations y = f(z) and their backward pass ∂L/∂z = ∂L/∂y · f′(z):
 *
 *   relu        f = max(z, 0)                     f′ = 1 if z > 0, else 0 (0 at z = 0)
 *   leaky-relu  f = z if z > 0, else s·z          f′ = 1 if z > 0, else s (s at z = 0)
 *   tanh        f = tanh z                        f′ = 1 − y²
 *   sigmoid     f = σ(z) = 1/(1 + e^(−z))         f′ = y(1 − y)
 *   gelu        f = z·Φ(z)  (exact, erf-based)    f′ = Φ(z) + z·φ(z)
 *   softplus    f = log(1 + e^z)                  f′ = σ(z)
 *   identity    f = z                             f′ = 1
 *
 * GELU is the exact form z·½(1 + erf(z/√2)) (PyTorch's approximate="none"), not the tanh
 * approximation; Φ and φ come from math/erf.ts. σ and softplus use the stable forms
 * σ(z) = e^z/(1 + e^z) for z < 0, softplus(z) = max(z, 0) + log1p(e^(−|z|)), so neither
 * overflows. NaN propagates through every forward (relu(NaN) is NaN, not 0: a diverging
 * network is never hidden).
 *
 * Buffers: `z` (pre-activation) and `y` (= f(z)) hold `count` = rows × width entries; the
 * backward pass reads y where that is cheaper (tanh, sigmoid) and may write dz into dy's
 * buffer (in place). The loops are module-level functions in activation-kernels.ts;
 * dispatch is one switch per call, outside the loops.
 */
export const ACTIVATIONS = [
  "relu",
  "leaky-relu",
  "tanh",
  "sigmoid",
  "gelu",
  "softplus",
  "identity",
] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

export interface Activation {
  readonly name: ActivationName;
  /** Negative-side slope of leaky-relu (default 0.01, as PyTorch); 0 for the others. */
  readonly slope: number;
}

export function activation(name: ActivationName, options: { slope?: number } = {}): Activation {
  if (!(ACTIVATIONS as readonly string[]).includes(name)) {
    throw new OptionError("activation", "name", name, `one of ${ACTIVATIONS.join(", ")}`);
  }
  const slope = options.slope ?? (name === "leaky-relu" ? 0.01 : 0);
  if (!Number.isFinite(slope))
    throw new OptionError("activation", "slope", slope, "a finite number");
  if (name !== "leaky-relu" && slope !== 0) {
    throw new OptionError(
      "activation",
      "slope",
      slope,
      `unset (${name} has no slope; only leaky-relu has)`,
    );
  }
  return { name, slope };
}

/** y[0..count) = f(z[0..count)). */
export function activationForward(
  act: Activation,
  z: Float64Array,
  y: Float64Array,
  count: number,
): void {
  switch (act.name) {
    case "relu":
      reluForward(z, y, count);
      break;
    case "leaky-relu":
      leakyForward(z, y, count, act.slope);
      break;
    case "tanh":
      tanhForward(z, y, count);
      break;
    case "sigmoid":
      sigmoidForward(z, y, count);
      break;
    case "gelu":
      geluForward(z, y, count);
      break;
    case "softplus":
      softplusForward(z, y, count);
      break;
    case "identity":
      copy(z, y, count);
  }
}

/** dz[0..count) = dy · f′(z), with y = f(z) from the forward pass; dz may be dy. */
export function activationBackward(
  act: Activation,
  z: Float64Array,
  y: Float64Array,
  dy: Float64Array,
  dz: Float64Array,
  count: number,
): void {
  switch (act.name) {
    case "relu":
      leakyBackward(z, dy, dz, count, 0);
      break;
    case "leaky-relu":
      leakyBackward(z, dy, dz, count, act.slope);
      break;
    case "tanh":
      tanhBackward(y, dy, dz, count);
      break;
    case "sigmoid":
      sigmoidBackward(y, dy, dz, count);
      break;
    case "gelu":
      geluBackward(z, dy, dz, count);
      break;
    case "softplus":
      softplusBackward(z, dy, dz, count);
      break;
    case "identity":
      copy(dy, dz, count);
  }
}
