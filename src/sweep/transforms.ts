import { chain } from "../transforms/chain.js";
import { clipByGlobalNorm } from "../transforms/clip-by-global-norm.js";
import { clipByNorm } from "../transforms/clip-by-norm.js";
import { clipByValue } from "../transforms/clip-by-value.js";
import type { NonFinitePolicy } from "../transforms/non-finite.js";
import { adam, adamw, sgd } from "../transforms/optimizers.js";
import type { AnyTransform } from "../transforms/types.js";
import type { ClipSetting, OptimizerSetting } from "./spec.js";

/** The clip transform of a setting, or null for the unclipped baseline. */
export function clipTransform(
  clip: ClipSetting,
  onNonFinite: NonFinitePolicy,
): AnyTransform | null {
  switch (clip.kind) {
    case "none":
      return null;
    case "value":
      return clipByValue({ max: clip.threshold, onNonFinite });
    case "norm":
      return clipByNorm({ maxNorm: clip.threshold, onNonFinite });
    case "global-norm":
      return clipByGlobalNorm({ maxNorm: clip.threshold, onNonFinite });
    case "global-norm-inf":
      return clipByGlobalNorm({ maxNorm: clip.threshold, norm: "linf", onNonFinite });
  }
}

/** The optimizer transform (constant learning rate: every run of a sweep is comparable). */
export function optimizerTransform(o: OptimizerSetting): AnyTransform {
  switch (o.name) {
    case "sgd":
      return sgd({ lr: o.lr, momentum: o.momentum, nesterov: o.nesterov });
    case "adam":
      return adam({ lr: o.lr, b1: o.b1, b2: o.b2, eps: o.eps });
    case "adamw":
      return adamw({ lr: o.lr, b1: o.b1, b2: o.b2, eps: o.eps, weightDecay: o.weightDecay });
  }
}

/** chain(clip, optimizer), or chain(optimizer) for the baseline, plus extra transforms after. */
export function runTransform(
  clip: ClipSetting,
  optimizer: OptimizerSetting,
  onNonFinite: NonFinitePolicy,
  ...after: AnyTransform[]
): AnyTransform {
  const c = clipTransform(clip, onNonFinite);
  const o = optimizerTransform(optimizer);
  return c ? chain(c, o, ...after) : chain(o, ...after);
}
