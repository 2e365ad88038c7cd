import { BiogradError, OptionError } from "../../core/errors.js";
import {
  type Checker,
  checkOptions,
  finite,
  nonNegativeInteger,
  oneOf,
  positive,
  positiveInteger,
  unitInterval,
} from "../../core/options.js";
import { type MlpSpec, parseMlpSpec } from "./spec.js";

/** Options of `mlpModel`; every default is stated. Unknown keys are rejected by name. */
export interface MlpOptions {
  /** Architecture, e.g. "mlp:64,32:relu" (see spec.ts) or `{ hidden, activation }`. */
  spec: string | MlpSpec;
  /** "regress" (default): one output; "classify": targets are class indices 0…K−1. */
  task?: "regress" | "classify";
  /** Regression loss: "mse" (default) or "huber". */
  loss?: "mse" | "huber";
  /** Huber's δ (default 1). */
  huberDelta?: number;
  /** Number of classes K ≥ 2 (default: largest label + 1). K = 2 is one logit with BCE. */
  classes?: number;
  /** Per-class weights, length K ([negative, positive] for K = 2); weighted-mean reduction. */
  classWeights?: readonly number[];
  /** Leaky-relu negative slope (default 0.01). */
  slope?: number;
  /** Dropout rate after each hidden activation, in [0, 1) (default 0), training only. */
  dropout?: number;
  /** Seed of the dropout masks' generator (default 0); independent of the trainer's seed. */
  seed?: number;
  /** He/Glorot weights drawn "uniform" (default) or "normal". */
  initDistribution?: "uniform" | "normal";
  /** Multiplies every layer's initial standard deviation (default 1). */
  initScale?: number;
  /** Rows per forward/backward chunk; buffers are sized for it (default min(rows, 256)). */
  maxBatch?: number;
  /**
   * Precision of the matrix products: "float64" (default) or "float32" — operands rounded to
   * float32 and multiplied by a WebAssembly f32x4 kernel (about twice the float64 kernel's
   * speed); parameters, activations, losses and the optimizer stay float64. Results differ
   * from float64 by float32 rounding (relative ≈ 1e-6 on a step's gradient).
   */
  dtype?: "float64" | "float32";
}

const specChecker: Checker = (v) =>
  typeof v === "string" || (typeof v === "object" && v !== null)
    ? null
    : 'a spec string like "mlp:64,32:relu"';
const weightsChecker: Checker = (v) =>
  Array.isArray(v) &&
  v.length > 0 &&
  v.every((w) => typeof w === "number" && Number.isFinite(w) && w >= 0)
    ? null
    : "an array of finite numbers >= 0, one per class";
const seedChecker: Checker = (v) =>
  nonNegativeInteger(v) === null && (v as number) <= 0xffffffff ? null : "an integer in [0, 2^32)";

/** The checker of every option, by name (logisticRegression uses a subset). */
export const MLP_CHECKERS: Record<string, Checker> = {
  spec: specChecker,
  task: oneOf("regress", "classify"),
  loss: oneOf("mse", "huber"),
  huberDelta: positive,
  classes: positiveInteger,
  classWeights: weightsChecker,
  slope: finite,
  dropout: unitInterval,
  seed: seedChecker,
  initDistribution: oneOf("uniform", "normal"),
  initScale: positive,
  maxBatch: positiveInteger,
  dtype: oneOf("float64", "float32"),
};

/** Checks `options` for `owner` and returns the parsed architecture. */
export function checkMlpOptions(owner: string, options: MlpOptions): MlpSpec {
  checkOptions(owner, options, MLP_CHECKERS, ["spec"]);
  const spec =
    typeof options.spec === "string"
      ? parseMlpSpec(options.spec)
      : checkSpecObject(owner, options.spec);
  const task = options.task ?? "regress";
  const onlyFor = (key: keyof MlpOptions, what: string) => {
    if (options[key] !== undefined)
      throw new OptionError(owner, key, options[key], `unset (${what})`);
  };
  if (task === "regress") {
    onlyFor("classes", 'it applies to task "classify"');
    onlyFor("classWeights", 'it applies to task "classify"');
  } else onlyFor("loss", 'classification uses cross-entropy; "loss" applies to task "regress"');
  if (options.huberDelta !== undefined && options.loss !== "huber")
    onlyFor("huberDelta", 'it needs loss "huber"');
  if (options.slope !== undefined && spec.activation !== "leaky-relu")
    onlyFor("slope", "it needs leaky-relu");
  if (options.classes !== undefined && options.classes < 2) {
    throw new OptionError(owner, "classes", options.classes, "an integer >= 2");
  }
  return spec;
}

function checkSpecObject(owner: string, spec: MlpSpec): MlpSpec {
  const { hidden, activation } = spec;
  if (!Array.isArray(hidden) || !hidden.every((h) => Number.isSafeInteger(h) && h >= 1)) {
    throw new OptionError(owner, "spec.hidden", hidden, "an array of integers >= 1");
  }
  const text = hidden.length === 0 ? "mlp" : `mlp:${hidden.join(",")}:${String(activation)}`;
  return parseMlpSpec(text);
}

/** The K class weights as a Float64Array (null when none are given); checks the length. */
export function classWeightArray(
  owner: string,
  weights: readonly number[] | undefined,
  classes: number,
): Float64Array | null {
  if (weights === undefined) return null;
  if (weights.length !== classes) {
    throw new OptionError(
      owner,
      "classWeights",
      weights,
      `an array of ${classes} weights (one per class)`,
    );
  }
  if (!weights.some((w) => w > 0))
    throw new OptionError(owner, "classWeights", weights, "weights with at least one > 0");
  return Float64Array.from(weights);
}

export function invalidData(owner: string, message: string): BiogradError {
  return new BiogradError("bad_input", `${owner}: ${message}`);
}
