import { OptionError } from "../core/errors.js";
import { checkOptions, finite, nonNegative, positiveInteger } from "../core/options.js";
import { createRng, type Rng } from "../core/rng.js";
import type { Dataset } from "./dataset.js";

/** Seed used when none is given (the seed document's `np.random.seed(42)`). */
export const DEFAULT_SEED = 42;

const seedChecker = (v: unknown): string | null =>
  typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 0xffffffff
    ? null
    : "an integer in [0, 2^32)";

export interface SeedDataOptions {
  /** Number of points (default 100). */
  n?: number;
  /** Seed for the generator, and for `source` (default 42). */
  seed?: number;
}

/**
 * The seed document's data: x_i = 2·U(0,1), y_i = 4 + 3·x_i + N(0,1), as in
 *   X = 2 * np.random.rand(n, 1); y = 4 + 3 * X + np.random.randn(n, 1)
 * Draw order: all n uniforms for x first, then all n normals for the noise. With `rng`
 * given, draws from it (and leaves it positioned after the 2n draws, so a caller can go on
 * to draw starting values as the document does); otherwise from `createRng(seed)`.
 * `source` is `synthetic:seed=<seed>`.
 */
export function seedData(options: SeedDataOptions = {}, rng?: Rng): Dataset {
  checkOptions("seedData", options, { n: positiveInteger, seed: seedChecker });
  const n = options.n ?? 100;
  const seed = options.seed ?? DEFAULT_SEED;
  const r = rng ?? createRng(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = 2 * r.uniform();
  for (let i = 0; i < n; i++) y[i] = 4 + 3 * x[i]! + r.normal();
  return { features: ["x"], target: "y", rows: n, x, y, source: `synthetic:seed=${seed}` };
}

export interface LinearDataOptions {
  /** Number of rows. */
  n: number;
  /** Number of features, named x1..xp. */
  p: number;
  /** Generator seed (default 42). */
  seed?: number;
  /** Standard deviation of the Gaussian noise added to y (default 0.1; 0 for none). */
  noise?: number;
  /** True weights, length p (default 1, 2, …, p). */
  weights?: readonly number[];
  /** True intercept (default 0.5). */
  intercept?: number;
}

/**
 * Linear-model data: X ~ N(0,1) (n×p, drawn row by row), then y = X·w + b + noise·N(0,1)
 * (the n noise values drawn after all of X, also when noise is 0, so the stream does not
 * depend on it). Features are named x1..xp; `source` is `synthetic:linear:seed=<seed>`.
 */
export function linearData(options: LinearDataOptions, rng?: Rng): Dataset {
  checkOptions(
    "linearData",
    options,
    {
      n: positiveInteger,
      p: positiveInteger,
      seed: seedChecker,
      noise: nonNegative,
      weights: (v) =>
        Array.isArray(v) && v.every((w) => finite(w) === null) ? null : "a list of finite numbers",
      intercept: finite,
    },
    ["n", "p"],
  );
  const { n, p } = options;
  const seed = options.seed ?? DEFAULT_SEED;
  const noise = options.noise ?? 0.1;
  const b = options.intercept ?? 0.5;
  const w = options.weights ?? Array.from({ length: p }, (_, j) => j + 1);
  if (w.length !== p) {
    throw new OptionError("linearData", "weights", w, `a list of p = ${p} numbers`);
  }
  const r = rng ?? createRng(seed);
  const x = new Float64Array(n * p);
  for (let k = 0; k < n * p; k++) x[k] = r.normal();
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b;
    for (let j = 0; j < p; j++) s += x[i * p + j]! * w[j]!;
    y[i] = s + noise * r.normal();
  }
  const features = Array.from({ length: p }, (_, j) => `x${j + 1}`);
  return { features, target: "y", rows: n, x, y, source: `synthetic:linear:seed=${seed}` };
}
