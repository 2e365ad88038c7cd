import { OptionError } from "../../core/errors.js";
import type { RowRange } from "../../core/model.js";
import { sigmoid } from "../layers/activation-kernels.js";
import { bceWithLogitsLoss, binaryWeight } from "../losses/binary.js";
import { huberLoss, mseLoss } from "../losses/regression.js";
import { softmaxCrossEntropyLoss, softmaxRows } from "../losses/softmax.js";
import { classWeightArray, invalidData, type MlpOptions } from "./mlp-options.js";

/**
 * What sits on top of the network's linear output, by task:
 *
 *   regress (mse | huber)  1 output, the value;               loss MSE or Huber(δ)
 *   binary (K = 2)         1 logit z, P(y = 1) = σ(z);        loss BCE from logits
 *   softmax (K ≥ 3)        K logits, P(y = k) = softmax(z)_k; loss softmax cross-entropy
 *
 * with the weighted-mean reductions of losses/*.ts. The loss of a batch split into chunks is
 * the sum of the chunks' losses with the whole batch's scale 1/Σw (1/rows unweighted).
 */
export interface Head {
  readonly kind: "mse" | "huber" | "binary" | "softmax";
  readonly outputs: number;
  /** K for classification, 0 for regression. */
  readonly classes: number;
  readonly delta: number;
  readonly weights: Float64Array | null;
}

/** Σ w_i over the rows of `range` (the row count when unweighted). */
export function headWeightTotal(head: Head, y: Float64Array, range: RowRange): number {
  const { order, start, end } = range;
  const w = head.weights;
  if (w === null) return end - start;
  let total = 0;
  for (let k = start; k < end; k++) {
    const t = y[order === null ? k : order[k]!]!;
    total += head.kind === "binary" ? binaryWeight(w, t) : w[t]!;
  }
  return total;
}

/** The chunk's loss (scaled by `scale`) with its gradient written into dOut. */
export function headLoss(
  head: Head,
  out: Float64Array,
  targets: Float64Array,
  rows: number,
  dOut: Float64Array,
  scale: number,
): number {
  switch (head.kind) {
    case "mse":
      return mseLoss(out, targets, rows, dOut, scale);
    case "huber":
      return huberLoss(out, targets, rows, dOut, head.delta, scale);
    case "binary":
      return bceWithLogitsLoss(out, targets, rows, dOut, head.weights, scale);
    case "softmax":
      return softmaxCrossEntropyLoss(out, targets, rows, head.classes, dOut, head.weights, scale);
  }
}

/** Predictions of `rows` rows into dest from `at`: values, P(y = 1), or K probabilities. */
export function headOutput(
  head: Head,
  out: Float64Array,
  rows: number,
  dest: Float64Array,
  at: number,
): void {
  switch (head.kind) {
    case "mse":
    case "huber":
      for (let i = 0; i < rows; i++) dest[at + i] = out[i]!;
      return;
    case "binary":
      for (let i = 0; i < rows; i++) dest[at + i] = sigmoid(out[i]!);
      return;
    case "softmax":
      softmaxRows(out, rows, head.classes, out);
      for (let i = 0; i < rows * head.classes; i++) dest[at + i] = out[i]!;
  }
}

/**
 * The head for `options.task`, checking the targets: finite values for regression; class
 * indices for classification, with K = options.classes or the largest label + 1 (at least 2).
 */
export function makeHead(owner: string, y: Float64Array, options: MlpOptions): Head {
  if ((options.task ?? "regress") === "regress") {
    for (let i = 0; i < y.length; i++) {
      if (!Number.isFinite(y[i]!))
        throw invalidData(owner, `target of row ${i + 1} is ${y[i]}; expected a finite number`);
    }
    const huber = options.loss === "huber";
    return {
      kind: huber ? "huber" : "mse",
      outputs: 1,
      classes: 0,
      delta: options.huberDelta ?? 1,
      weights: null,
    };
  }
  let largest = -1;
  for (let i = 0; i < y.length; i++) {
    const label = y[i]!;
    if (!(Number.isInteger(label) && label >= 0)) {
      throw invalidData(
        owner,
        `label of row ${i + 1} is ${label}; expected a class index 0, 1, 2, …`,
      );
    }
    largest = Math.max(largest, label);
  }
  const classes = options.classes ?? Math.max(2, largest + 1);
  if (largest >= classes) {
    throw new OptionError(
      owner,
      "classes",
      classes,
      `an integer > ${largest} (the largest label in the data)`,
    );
  }
  const weights = classWeightArray(owner, options.classWeights, classes);
  const binary = classes === 2;
  return {
    kind: binary ? "binary" : "softmax",
    outputs: binary ? 1 : classes,
    classes,
    delta: 0,
    weights,
  };
}
