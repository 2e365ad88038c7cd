import { chain } from "./chain.js";
import { adaptiveClip } from "./clip-adaptive-unitwise.js";
import { autoClip } from "./clip-auto.js";
import { clipByBlockRms } from "./clip-by-block-rms.js";
import { clipByGlobalNorm } from "./clip-by-global-norm.js";
import { clipByNorm } from "./clip-by-norm.js";
import { clipByValue } from "./clip-by-value.js";
import { zClip } from "./clip-zscore.js";
import { guardNonFinite } from "./guard.js";
import { adam, adamw, sgd } from "./optimizers.js";
import {
  constant,
  cosineDecay,
  exponentialDecay,
  type LearningRate,
  type Schedule,
  stepDecay,
  warmup,
} from "./schedules.js";
import type { ClipSpec, OptimizerSpec, ScheduleSpec, TransformSpecInput } from "./spec.js";
import type { AnyTransform } from "./types.js";

/**
 * The one builder of the transform spec (spec.ts):
 *   chain(guardNonFinite(guard), clip?, optimizer with its schedule)
 * The guard comes first in every chain, also without a clip. `totalSteps` (optimizer steps
 * of the whole run) is the horizon of a cosine schedule after its warm-up.
 */
export function buildTransform(
  spec: TransformSpecInput,
  options: { totalSteps: number },
): AnyTransform {
  const parts: AnyTransform[] = [guardNonFinite({ policy: spec.guard ?? "error" })];
  const clip = buildClip(spec.clip ?? { kind: "none" });
  if (clip !== null) parts.push(clip);
  parts.push(buildOptimizer(spec.optimizer, learningRate(spec, options.totalSteps)));
  return chain(...parts);
}

/** The clip transform of a clip spec, or null for `none`. */
export function buildClip(spec: ClipSpec): AnyTransform | null {
  switch (spec.kind) {
    case "none":
      return null;
    case "value":
      return clipByValue({ max: spec.threshold, min: spec.min, onNonFinite: spec.onNonFinite });
    case "norm":
      return clipByNorm({ maxNorm: spec.threshold, onNonFinite: spec.onNonFinite });
    case "global-norm":
      return clipByGlobalNorm({ maxNorm: spec.threshold, onNonFinite: spec.onNonFinite });
    case "global-norm-inf":
      return clipByGlobalNorm({
        maxNorm: spec.threshold,
        norm: "linf",
        onNonFinite: spec.onNonFinite,
      });
    case "block-rms":
      return clipByBlockRms({ threshold: spec.threshold, onNonFinite: spec.onNonFinite });
    case "agc": {
      const { threshold, kind: _, ...rest } = spec;
      return adaptiveClip({ clipping: threshold, ...rest });
    }
    case "autoclip": {
      const { threshold, kind: _, ...rest } = spec;
      return autoClip({ percentile: threshold, ...rest });
    }
    case "zclip": {
      const { threshold, kind: _, maxNorm, ...rest } = spec;
      const cap = maxNorm === null ? Number.POSITIVE_INFINITY : maxNorm;
      return zClip({ zThreshold: threshold, ...rest, maxNorm: cap });
    }
  }
}

/** The optimizer of a spec, at `lr` (a schedule) or at its own constant rate. */
export function buildOptimizer(spec: OptimizerSpec, lr: LearningRate = spec.lr): AnyTransform {
  switch (spec.name) {
    case "sgd":
      return sgd({ lr, momentum: spec.momentum, nesterov: spec.nesterov });
    case "adam":
      return adam({ lr, b1: spec.b1, b2: spec.b2, eps: spec.eps });
    case "adamw":
      return adamw({ lr, b1: spec.b1, b2: spec.b2, eps: spec.eps, weightDecay: spec.weightDecay });
  }
}

/**
 * The optimizer's learning rate: its constant `lr`, or the schedule starting from it. A
 * constant schedule without warm-up is the plain number (as if no schedule were given).
 */
function learningRate(spec: TransformSpecInput, totalSteps: number): LearningRate {
  const lr = spec.optimizer.lr;
  const s: ScheduleSpec | undefined = spec.schedule;
  if (s === undefined) return lr;
  const warmupSteps = s.warmup ?? 0;
  if (s.kind === "constant" && warmupSteps === 0) return lr;
  const base = baseSchedule(s, lr, Math.max(totalSteps - warmupSteps, 1));
  return warmupSteps === 0 ? base : warmup({ steps: warmupSteps, after: base });
}

function baseSchedule(s: ScheduleSpec, lr: number, decaySteps: number): Schedule {
  switch (s.kind) {
    case "constant":
      return constant(lr);
    case "step":
      return stepDecay({ lr, every: s.every, gamma: s.gamma });
    case "exp":
      return exponentialDecay({ lr, gamma: s.gamma });
    case "cosine":
      return cosineDecay({ lr, steps: decaySteps, minLr: s.minLr });
  }
}
