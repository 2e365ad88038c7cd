import { OptionError } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";

/**
 * Inverted dropout with rate r (the probability of dropping a unit), keep probability
 * q = 1 − r:
 *
 *   mask  m_i = 1/q with probability q, else 0     (drawn as uniform() < q, in index order)
 *   forward   y = x ⊙ m        backward   ∂x = ∂y ⊙ m
 *
 * Scaling by 1/q at training time keeps E[y] = x, so prediction uses the layer as the
 * identity (no mask, no rescaling). Masks come from a seeded `Rng`, so a run is
 * reproducible; with a fixed mask the layer is linear and its gradient exact.
 */
export function checkDropoutRate(owner: string, rate: number): void {
  if (!(Number.isFinite(rate) && rate >= 0 && rate < 1)) {
    throw new OptionError(
      owner,
      "dropout",
      rate,
      "a number in [0, 1) (the probability of dropping a unit)",
    );
  }
}

/** Fills mask[0..count) for rate r: 1/(1 − r) for kept units, 0 for dropped ones. */
export function drawDropoutMask(mask: Float64Array, count: number, rate: number, rng: Rng): void {
  const keep = 1 - rate;
  const scale = 1 / keep;
  for (let i = 0; i < count; i++) mask[i] = rng.uniform() < keep ? scale : 0;
}

/** out[0..count) = x ⊙ mask: the forward pass, and (with ∂y, ∂x) the backward pass. */
export function applyMask(
  x: Float64Array,
  mask: Float64Array,
  out: Float64Array,
  count: number,
): void {
  for (let i = 0; i < count; i++) out[i] = x[i]! * mask[i]!;
}
