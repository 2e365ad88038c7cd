import { InputError, OptionError } from "../core/errors.js";
import { checkOptions } from "../core/options.js";
import { createRng, type RngAlgorithm, shuffleInPlace } from "../core/rng.js";
import type { Dataset } from "../data/dataset.js";
import { apportion, stratifiedQuotas } from "./quotas.js";

/**
 * A seeded train / validation / test split of row indices.
 *
 * Sizes: n·f for each part, rounded by largest remainder (ties to the earlier part) so the
 * three sizes sum to n. A part with a fraction > 0 must get at least one row.
 *
 * Rows: one Fisher–Yates shuffle of 0..n−1 by `createRng(seed, algorithm)`; unstratified,
 * the first n_train shuffled rows are the training part, the next n_validation the
 * validation part, the rest the test part. Stratified (class index per row), each class's
 * rows are divided in the same proportions — class k gets round(n_k·f) rows of each part
 * (largest remainder; see `quotas.ts`), at least one of each part with a fraction > 0 —
 * and the rows of class k are dealt to its quotas in shuffled order. The part sizes are
 * then the unstratified ones whenever the class sizes allow it.
 *
 * Each part's indices are returned in increasing order (file order). The same rows,
 * fractions, classes, seed and algorithm always give the same split.
 */
export interface SplitFractions {
  readonly train: number;
  readonly validation: number;
  readonly test: number;
}

export interface SplitOptions {
  /** Fractions of the rows, each in [0, 1], summing to 1, train > 0 (default 0.7/0.15/0.15). */
  fractions?: SplitFractions;
  /** Generator seed, an integer in [0, 2^32) (default 42). */
  seed?: number;
  /** Generator (default "xoshiro"; see `rng.ts`). */
  algorithm?: RngAlgorithm;
  /** Class index (integer ≥ 0) of each row, to stratify by. */
  stratify?: ArrayLike<number>;
}

export interface SplitIndices {
  readonly train: Uint32Array;
  readonly validation: Uint32Array;
  readonly test: Uint32Array;
}

export const DEFAULT_FRACTIONS: SplitFractions = { train: 0.7, validation: 0.15, test: 0.15 };

const PARTS = ["train", "validation", "test"] as const;

/** Splits the row indices 0..rows−1 (see the module notes). */
export function splitIndices(rows: number, options: SplitOptions = {}): SplitIndices {
  checkSplitOptions(options);
  if (!Number.isInteger(rows) || rows < 1) {
    throw new OptionError("splitIndices", "rows", rows, "an integer >= 1");
  }
  const f = options.fractions ?? DEFAULT_FRACTIONS;
  const fractions = PARTS.map((p) => f[p]);
  const sizes = apportion(rows, fractions);
  sizes.forEach((size, j) => {
    if (size === 0 && fractions[j]! > 0) {
      throw new InputError(
        `--split: ${rows} rows are too few for a ${PARTS[j]} part of ${fractions[j]} (it would be empty); use more rows or set its fraction to 0`,
      );
    }
  });

  const order = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  shuffleInPlace(order, createRng(options.seed ?? 42, options.algorithm));

  const part = new Uint8Array(rows); // which part each row goes to
  if (options.stratify === undefined) {
    let k = 0;
    sizes.forEach((size, j) => {
      for (let m = 0; m < size; m++) part[order[k++]!] = j;
    });
  } else {
    const labels = options.stratify;
    if (labels.length !== rows) {
      throw new InputError(
        `splitIndices: stratify has ${labels.length} class labels for ${rows} rows`,
      );
    }
    const counts: number[] = [];
    for (let i = 0; i < rows; i++) {
      const k = labels[i]!;
      if (!Number.isInteger(k) || k < 0) {
        throw new InputError(
          `splitIndices: stratify[${i}] is ${k}; class labels must be integers >= 0 (class indices)`,
        );
      }
      while (counts.length <= k) counts.push(0);
      counts[k]! += 1;
    }
    const quotas = stratifiedQuotas(counts, fractions, sizes, PARTS);
    const taken = quotas.map((q) => q.map(() => 0));
    for (let m = 0; m < rows; m++) {
      const i = order[m]!;
      const k = labels[i]!;
      const q = quotas[k]!;
      const t = taken[k]!;
      let j = 0;
      while (t[j]! >= q[j]!) j++;
      t[j]! += 1;
      part[i] = j;
    }
  }
  const out = PARTS.map(() => [] as number[]);
  for (let i = 0; i < rows; i++) out[part[i]!]!.push(i);
  return {
    train: Uint32Array.from(out[0]!),
    validation: Uint32Array.from(out[1]!),
    test: Uint32Array.from(out[2]!),
  };
}

export interface DatasetSplitOptions extends Omit<SplitOptions, "stratify"> {
  /** Stratify by `data.y` (class indices, as `encodeLabels` gives them). Default false. */
  stratify?: boolean;
}

export interface DatasetSplit {
  readonly train: Dataset;
  readonly validation: Dataset;
  readonly test: Dataset;
  readonly indices: SplitIndices;
}

/** Splits a data set's rows (see `splitIndices`); `source` gains `#train` etc. */
export function splitDataset(data: Dataset, options: DatasetSplitOptions = {}): DatasetSplit {
  const { stratify, ...rest } = options;
  if (stratify !== undefined && typeof stratify !== "boolean") {
    throw new OptionError("splitDataset", "stratify", stratify, "a boolean");
  }
  if (stratify === true && data.y.length !== data.rows) {
    throw new InputError(`splitDataset: ${data.source} has no target (y) to stratify by`);
  }
  const indices = splitIndices(data.rows, stratify === true ? { ...rest, stratify: data.y } : rest);
  return {
    train: takeRows(data, indices.train, "train"),
    validation: takeRows(data, indices.validation, "validation"),
    test: takeRows(data, indices.test, "test"),
    indices,
  };
}

/** The rows `rows` of `data` (in that order) as a new data set; `part` is appended to `source`. */
export function takeRows(data: Dataset, rows: ArrayLike<number>, part?: string): Dataset {
  const p = data.features.length;
  const hasY = data.y.length === data.rows;
  const x = new Float64Array(rows.length * p);
  const y = new Float64Array(hasY ? rows.length : 0);
  for (let m = 0; m < rows.length; m++) {
    const i = rows[m]!;
    if (!Number.isInteger(i) || i < 0 || i >= data.rows) {
      throw new RangeError(`takeRows: row ${i} is outside 0..${data.rows - 1}`);
    }
    x.set(data.x.subarray(i * p, i * p + p), m * p);
    if (hasY) y[m] = data.y[i]!;
  }
  return {
    features: [...data.features],
    target: data.target,
    rows: rows.length,
    x,
    y,
    source: part === undefined ? data.source : `${data.source}#${part}`,
  };
}

/**
 * Wrong types (a library caller's mistake) are OptionErrors naming the option; values a
 * command-line user can type (fractions that are numbers, a seed that is a number) are
 * InputErrors naming `--split` and `--seed`.
 */
function checkSplitOptions(options: SplitOptions): void {
  const f = options?.fractions as Record<string, unknown> | undefined;
  const numbers =
    typeof f === "object" &&
    f !== null &&
    Object.keys(f).length === 3 &&
    PARTS.every((p) => typeof f[p] === "number");
  if (numbers) {
    const values = PARTS.map((p) => f[p] as number);
    const sum = values.reduce((a, b) => a + b, 0);
    const inRange = values.every((x) => Number.isFinite(x) && x >= 0 && x <= 1);
    if (!inRange || !(Math.abs(sum - 1) <= 1e-9) || !(values[0]! > 0)) {
      throw new InputError(
        `--split: expected fractions train,validation,test in [0, 1] summing to 1, with train > 0, got ${values.join(",")}`,
      );
    }
  }
  const seed = options?.seed;
  if (typeof seed === "number" && !(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) {
    throw new InputError(`--seed: expected an integer in [0, 2^32), got ${seed}`);
  }
  checkOptions("splitIndices", options, {
    fractions: () => (numbers ? null : "{ train, validation, test }: three numbers"),
    seed: (v) => (typeof v === "number" ? null : "an integer in [0, 2^32)"),
    algorithm: (v) => (v === "xoshiro" || v === "numpy" ? null : 'one of "xoshiro", "numpy"'),
    stratify: (v) =>
      typeof v === "object" && v !== null && typeof (v as ArrayLike<number>).length === "number"
        ? null
        : "an array of class indices",
  });
}
