import { InputError, OptionError } from "../core/errors.js";
import { checkOptions } from "../core/options.js";

/**
 * Standardisation: feature j becomes z = (x − mean_j) / sd_j, with mean_j and sd_j
 * measured on the TRAINING rows only and then applied unchanged to validation, test and
 * prediction data (so those are not exactly centred — that is the point).
 *
 *   mean_j = (1/n) Σ_i x_ij
 *   sd_j   = sqrt( Σ_i (x_ij − mean_j)² / (n − ddof) )      (two passes over the data)
 *
 * `ddof` 0 (default) is the population sd, as numpy's `std()` and scikit-learn's
 * `StandardScaler`; 1 is the sample sd (R's `scale()`, pandas' `std()`).
 *
 * A constant training column (sd = 0) cannot be scaled and is an error naming the column.
 * Columns left out of `columns` pass through unchanged (stored as mean 0, sd 1).
 *
 * The fitted standardiser is plain data: `standardizerToJSON` gives
 * `{ kind: "standardizer", version: 1, ddof, columns, means, sds }` (doubles survive
 * `JSON.stringify`/`JSON.parse` exactly), `standardizerFromJSON` checks and loads it.
 */
export interface Standardizer {
  /** All feature names, in matrix column order. */
  readonly columns: readonly string[];
  readonly means: readonly number[];
  readonly sds: readonly number[];
  readonly ddof: 0 | 1;
}

export interface StandardizerJSON {
  kind: "standardizer";
  version: 1;
  ddof: 0 | 1;
  columns: string[];
  means: number[];
  sds: number[];
}

/** A row-major matrix with named columns (a `Dataset` is one). */
export interface NamedMatrix {
  readonly features: readonly string[];
  readonly x: Float64Array;
}

export interface StandardizeOptions {
  /** 0 (population sd, default) or 1 (sample sd). */
  ddof?: 0 | 1;
  /** Only these features are scaled (default: all); the rest pass through. */
  columns?: readonly string[];
}

/** Means and sds of the columns of `train` (its rows are the training part). */
export function fitStandardizer(
  train: NamedMatrix,
  options: StandardizeOptions = {},
): Standardizer {
  checkOptions("fitStandardizer", options, {
    ddof: (v) => (v === 0 || v === 1 ? null : "0 or 1"),
    columns: (v) =>
      Array.isArray(v) && v.every((c) => typeof c === "string") ? null : "a list of feature names",
  });
  const ddof = options.ddof ?? 0;
  const { features, x } = train;
  const p = features.length;
  const n = rowsOf("fitStandardizer", train);
  const scaled = new Set(options.columns ?? features);
  for (const name of scaled) {
    if (!features.includes(name)) {
      throw new OptionError(
        "fitStandardizer",
        "columns",
        name,
        `one of the features (${features.join(", ")})`,
      );
    }
  }
  if (n - ddof < 1) {
    throw new InputError(
      `${n} training ${n === 1 ? "row is" : "rows are"} too few to measure a standard deviation with ddof = ${ddof}`,
    );
  }
  checkFinite("fitStandardizer", train, n);
  const means = new Array<number>(p).fill(0);
  const sds = new Array<number>(p).fill(1);
  for (let j = 0; j < p; j++) {
    const name = features[j]!;
    if (!scaled.has(name)) continue;
    const first = x[j]!;
    let constant = true;
    for (let i = 1; i < n && constant; i++) constant = x[i * p + j] === first;
    if (constant) {
      throw new InputError(
        `column "${name}" is constant in the training rows (every value is ${first}), so its standard deviation is 0 and it cannot be scaled; drop it from the features (--x), or leave it unscaled (standardizer option columns)`,
      );
    }
    const { mean, sd } = meanAndSd(x, p, j, n, ddof);
    means[j] = mean;
    sds[j] = sd;
  }
  return { columns: [...features], means, sds, ddof };
}

/** `data` standardised (a new matrix); its features must be the standardiser's, in order. */
export function standardize(s: Standardizer, data: NamedMatrix): Float64Array {
  const n = checkColumns("standardize", s, data);
  checkFinite("standardize", data, n);
  const p = s.columns.length;
  const out = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) out[i * p + j] = (data.x[i * p + j]! - s.means[j]!) / s.sds[j]!;
  }
  return out;
}

/** The inverse: x = z·sd + mean (e.g. predictions of a standardised target). */
export function unstandardize(s: Standardizer, z: Float64Array): Float64Array {
  const p = s.columns.length;
  if (z.length % p !== 0) {
    throw new InputError(
      `unstandardize: ${z.length} values do not make whole rows of ${p} columns`,
    );
  }
  const out = new Float64Array(z.length);
  for (let k = 0; k < z.length; k++) out[k] = z[k]! * s.sds[k % p]! + s.means[k % p]!;
  return out;
}

export function standardizerToJSON(s: Standardizer): StandardizerJSON {
  return {
    kind: "standardizer",
    version: 1,
    ddof: s.ddof,
    columns: [...s.columns],
    means: [...s.means],
    sds: [...s.sds],
  };
}

/** Checks parsed JSON and returns the standardiser it describes. */
export function standardizerFromJSON(json: unknown): Standardizer {
  const bad = (what: string) => new InputError(`standardizer JSON: ${what}`);
  const o = json as Partial<Record<keyof StandardizerJSON, unknown>> | null;
  if (typeof o !== "object" || o === null || o.kind !== "standardizer") {
    throw bad('expected an object with kind "standardizer"');
  }
  if (o.version !== 1) throw bad(`unsupported version ${JSON.stringify(o.version)} (this reads 1)`);
  if (o.ddof !== 0 && o.ddof !== 1) throw bad("ddof must be 0 or 1");
  const { columns, means, sds } = o;
  if (
    !Array.isArray(columns) ||
    columns.length === 0 ||
    !columns.every((c) => typeof c === "string") ||
    new Set(columns).size !== columns.length
  ) {
    throw bad("columns must be a non-empty list of distinct names");
  }
  const numbers = (v: unknown, name: string, ok: (x: number) => boolean, what: string) => {
    if (!Array.isArray(v) || v.length !== columns.length) {
      throw bad(`${name} must be a list of ${columns.length} numbers, one per column`);
    }
    v.forEach((x, j) => {
      if (typeof x !== "number" || !ok(x)) {
        throw bad(
          `${name}[${j}] (column "${columns[j]}") must be ${what}, got ${JSON.stringify(x)}`,
        );
      }
    });
    return v as number[];
  };
  return {
    columns: [...(columns as string[])],
    means: [...numbers(means, "means", Number.isFinite, "a finite number")],
    sds: [...numbers(sds, "sds", (x) => Number.isFinite(x) && x > 0, "a finite number > 0")],
    ddof: o.ddof,
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * Mean and sd of column j by the plain two-pass formulas (as numpy, to the last bits for
 * ordinary data). If the sum overflows or the squares underflow or overflow (|x| beyond
 * ~1e154 or deviations below ~1e-154), the pass is redone scaled by the largest deviation,
 * so a column that varies always gets a finite sd > 0.
 */
function meanAndSd(
  x: Float64Array,
  p: number,
  j: number,
  n: number,
  ddof: number,
): { mean: number; sd: number } {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i * p + j]!;
  let mean = sum / n;
  if (!Number.isFinite(mean)) {
    mean = 0;
    for (let i = 0; i < n; i++) mean += x[i * p + j]! / n;
  }
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i * p + j]! - mean;
    ss += d * d;
  }
  let sd = Math.sqrt(ss / (n - ddof));
  if (!(sd > 0 && Number.isFinite(sd))) {
    let scale = 0;
    for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(x[i * p + j]! - mean));
    let s = 0;
    for (let i = 0; i < n; i++) {
      const d = (x[i * p + j]! - mean) / scale;
      s += d * d;
    }
    sd = scale * Math.sqrt(s / (n - ddof));
  }
  return { mean, sd };
}

function rowsOf(owner: string, data: NamedMatrix): number {
  const p = data.features.length;
  if (p === 0) throw new InputError(`${owner}: no feature columns`);
  if (data.x.length % p !== 0) {
    throw new InputError(
      `${owner}: ${data.x.length} values do not make whole rows of ${p} features`,
    );
  }
  return data.x.length / p;
}

function checkColumns(owner: string, s: Standardizer, data: NamedMatrix): number {
  const a = s.columns;
  const b = data.features;
  if (a.length !== b.length || a.some((name, j) => name !== b[j])) {
    const j = a.findIndex((name, k) => name !== b[k]);
    const at =
      j < 0
        ? `has ${b.length} columns, expected ${a.length}`
        : `column ${j + 1} is "${b[j] ?? "(none)"}", expected "${a[j]}"`;
    throw new InputError(
      `the data's features do not match the standardiser's (${at}); use the same columns in the same order as in training`,
    );
  }
  return rowsOf(owner, data);
}

function checkFinite(owner: string, data: NamedMatrix, n: number): void {
  const p = data.features.length;
  for (let k = 0; k < n * p; k++) {
    const v = data.x[k]!;
    if (!Number.isFinite(v)) {
      throw new InputError(
        `${owner}: column "${data.features[k % p]}", row ${Math.floor(k / p)} (0-based) is ${v}; features must be finite (read files with na tokens to drop rows with missing values)`,
      );
    }
  }
}
