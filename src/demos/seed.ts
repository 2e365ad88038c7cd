import { createRng, type RngAlgorithm } from "../core/rng.js";
import type { Dataset } from "../data/dataset.js";
import { seedData } from "../data/synthetic.js";
import { linearModel } from "../models/linear.js";
import type { EpochRecord } from "../train/history.js";
import { type TrainResult, train } from "../train/trainer.js";
import { chain } from "../transforms/chain.js";
import { clipByValue } from "../transforms/clip-by-value.js";
import { freeze } from "../transforms/freeze.js";
import { sgd } from "../transforms/optimizers.js";
import type { AnyTransform } from "../transforms/types.js";
import { SEED_DEFAULTS } from "./seed-defaults.js";

/**
 * The seed document's worked example: y = wx + b on MSE, 100 points from
 * y = 4 + 3x + N(0,1) with x = 2·U(0,1), w, b ~ N(0,1), lr 0.01, gradient clipped to ±0.1,
 * 1000 iterations, the MSE reported every 100.
 *
 * Defaults replay the document's numpy run exactly (MT19937 seeded as `np.random.seed(42)`).
 * `faithful: true` keeps the document's bug: b is never updated (`freeze(["b"], …)`); by default
 * both w and b are clipped and updated. `clip: null` runs plain gradient descent (FAQ 1).
 */
export interface SeedDemoOptions {
  lr?: number;
  /** Symmetric clipping range α (the seed's 0.1); null for no clipping. */
  clip?: number | null;
  iterations?: number;
  seed?: number;
  rng?: RngAlgorithm;
  faithful?: boolean;
  logEvery?: number;
  /** Use these data and starting (w, b) instead of generating them. */
  data?: Dataset;
  start?: readonly [number, number];
  onLog?: (record: EpochRecord) => void;
}

export interface SeedDemoRun {
  data: Dataset;
  start: readonly [number, number];
  transform: AnyTransform;
  result: TrainResult;
}

export { SEED_DEFAULTS };

export function runSeedDemo(options: SeedDemoOptions = {}): SeedDemoRun {
  const seed = options.seed ?? SEED_DEFAULTS.seed;
  const generated = options.data && options.start ? null : generateSeedProblem(seed, options);
  const data = options.data ?? generated!.data;
  const start = options.start ?? generated!.start;
  const clip = options.clip === undefined ? SEED_DEFAULTS.clip : options.clip;
  const parts: AnyTransform[] = [];
  if (clip !== null) parts.push(clipByValue({ max: clip }));
  parts.push(sgd({ lr: options.lr ?? SEED_DEFAULTS.lr }));
  const inner = chain(...parts);
  const transform: AnyTransform = options.faithful ? freeze(["b"], inner) : inner;
  const result = train(linearModel(data), {
    transform,
    epochs: options.iterations ?? SEED_DEFAULTS.iterations,
    start: Float64Array.from(start),
    logEvery: options.logEvery ?? SEED_DEFAULTS.logEvery,
    onLog: options.onLog,
  });
  return { data, start, transform, result };
}

/** The document's draw order: X, then the noise, then w, then b. */
function generateSeedProblem(seed: number, options: SeedDemoOptions) {
  const rng = createRng(seed, options.rng ?? "numpy");
  const data = seedData({ n: 100, seed }, rng);
  const start: readonly [number, number] = [rng.normal(), rng.normal()];
  return { data, start };
}
