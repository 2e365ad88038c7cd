import type { EpochRecord } from "../train/history.js";
import { type TrainResult, train } from "../train/trainer.js";
import { chain } from "../transforms/chain.js";
import { clipByValue } from "../transforms/clip-by-value.js";
import { sgd } from "../transforms/optimizers.js";
import type { AnyTransform } from "../transforms/types.js";
import { CARLSON_HOURS, CARLSON_YEAST, EXPONENTIAL_PHASE_END } from "./carlson-yeast.js";
import { exponentialGrowthModel, type GrowthModel } from "./growth-model.js";

/**
 * Where clipping is needed: the seed's own algorithm (gradient clipped to ±0.1, then plain
 * gradient descent) fitting y = a·exp(b·t) to the exponential phase of Carlson's yeast
 * culture (hours 0–7, the amount divided by 100 so that a and b are of order one).
 *
 * The learning rate 0.005 is stable near the answer (the loss's largest curvature there is
 * 276, so any rate below 2/276 ≈ 0.0073 converges), but the start a = 1, b = 1 per hour
 * predicts 11 at hour 7 instead of 2.57: there the gradient in b is 2.4e6 — a·t·e^{bt} is
 * that much larger far above the answer. Unclipped, the first step throws b to about −11,500
 * and the fitted curve collapses to zero after hour 0; its gradient vanishes with it and the
 * run never comes back. Clipped to ±0.1, no step is longer than 0.005·0.1 in each parameter:
 * the run walks down to where the rate is stable and converges to the least-squares fit.
 */
export const CLIPPING_DEFAULTS = {
  lr: 0.005,
  clip: 0.1,
  iterations: 3000,
  start: [1, 1] as readonly [number, number],
  /** The amount of yeast is divided by this (hundreds of Pearl's units). */
  scale: 100,
  logEvery: 500,
};

export interface ClippingDemoOptions {
  lr?: number;
  /** Symmetric clipping range α; null for plain gradient descent. */
  clip?: number | null;
  iterations?: number;
  start?: readonly [number, number];
  logEvery?: number;
  onLog?: (record: EpochRecord) => void;
}

export interface GrowthData {
  /** Hours since inoculation. */
  t: Float64Array;
  /** The amount of yeast divided by `CLIPPING_DEFAULTS.scale`. */
  y: Float64Array;
}

export interface ClippingDemoRun {
  data: GrowthData;
  model: GrowthModel;
  start: readonly [number, number];
  transform: AnyTransform;
  result: TrainResult;
}

/** The exponential phase of Carlson's culture, scaled as the demonstration fits it. */
export function yeastGrowthData(): GrowthData {
  const hours = CARLSON_HOURS.filter((h) => h <= EXPONENTIAL_PHASE_END);
  return {
    t: Float64Array.from(hours),
    y: Float64Array.from(hours, (_, i) => CARLSON_YEAST[i]! / CLIPPING_DEFAULTS.scale),
  };
}

export function runClippingDemo(options: ClippingDemoOptions = {}): ClippingDemoRun {
  const data = yeastGrowthData();
  const model = exponentialGrowthModel(data.t, data.y);
  const start = options.start ?? CLIPPING_DEFAULTS.start;
  const clip = options.clip === undefined ? CLIPPING_DEFAULTS.clip : options.clip;
  const step = sgd({ lr: options.lr ?? CLIPPING_DEFAULTS.lr });
  const transform: AnyTransform =
    clip === null ? chain(step) : chain(clipByValue({ max: clip }), step);
  const result = train(model, {
    transform,
    epochs: options.iterations ?? CLIPPING_DEFAULTS.iterations,
    start: Float64Array.from(start),
    logEvery: options.logEvery ?? CLIPPING_DEFAULTS.logEvery,
    onLog: options.onLog,
  });
  return { data, model, start, transform, result };
}
