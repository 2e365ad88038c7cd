import { checkOptions } from "../../core/options.js";
import { buildMlp, type MlpModel, type NetData } from "./mlp.js";
import { MLP_CHECKERS, type MlpOptions } from "./mlp-options.js";

/**
 * Logistic regression as the network with no hidden layer: one dense layer "dense1"
 * (W: p × 1 or p × K, b) and the classification head.
 *
 *   binary (K = 2):       P(y = 1 | x) = σ(x·w + b),        loss BCE from logits
 *   multinomial (K ≥ 3):  P(y = k | x) = softmax(x·W + b)_k, loss softmax cross-entropy
 *
 * with the optional class weights and weighted-mean reduction of the losses. Unregularised
 * (add weight decay with adamw, or clip). Starting values: Glorot uniform weights (the
 * output-layer rule of every network here), bias 0. The loss is convex in (W, b), so the
 * start changes the path, not the optimum; on linearly separable data there is no finite
 * optimum (the weights grow without bound), as in any unregularised logistic regression.
 */
export type LogisticOptions = Pick<
  MlpOptions,
  "classes" | "classWeights" | "initDistribution" | "initScale" | "maxBatch" | "dtype"
>;

const KEYS = [
  "classes",
  "classWeights",
  "initDistribution",
  "initScale",
  "maxBatch",
  "dtype",
] as const;

export function logisticRegression(data: NetData, options: LogisticOptions = {}): MlpModel {
  const checkers = Object.fromEntries(KEYS.map((k) => [k, MLP_CHECKERS[k]!]));
  checkOptions("logisticRegression", options, checkers);
  return buildMlp("logisticRegression", "logistic", data, {
    ...options,
    spec: "mlp",
    task: "classify",
  });
}
