import { InputError } from "../core/errors.js";
import { checkClassCount, checkClasses, checkFinite, checkLengths } from "./check.js";

/**
 * Area under the ROC curve, computed from ranks (the Mann–Whitney U statistic):
 *
 *   AUC = (R₊ − n₊(n₊ + 1)/2) / (n₊ · n₋)
 *
 * where R₊ is the sum of the ranks (1..n, ascending score) of the positive rows and tied
 * scores share their average rank (midranks). It equals the probability that a random
 * positive scores above a random negative, counting ties as one half — the trapezoidal
 * area under the ROC curve, as scikit-learn's `roc_auc_score`. Sorting is O(n log n);
 * midranks are multiples of 1/2, so R₊ and U are exact and only the final division rounds.
 */

/** Binary AUC of `scores` (any finite numbers; larger = more positive) for labels 0/1. */
export function rocAuc(yTrue: Float64Array, scores: Float64Array): number {
  checkLengths("rocAuc", yTrue, "yTrue", scores, "scores");
  checkClasses("rocAuc", yTrue, "yTrue", 2);
  checkFinite("rocAuc", scores, "scores");
  return mannWhitneyAuc("rocAuc", scores, (i) => yTrue[i] === 1, "class 1");
}

/**
 * Multiclass AUC, macro-averaged one-vs-rest: for each class k, the binary AUC of
 * "class k" against "every other class" using column k of `scores` (n × K, row-major;
 * usually predicted probabilities), then the unweighted mean over the K classes — as
 * scikit-learn's `roc_auc_score(multi_class="ovr", average="macro")`. Every class must
 * occur in yTrue (otherwise its AUC is undefined and this throws).
 */
export function rocAucOvr(
  yTrue: Float64Array,
  scores: Float64Array,
  options: { classes: number },
): number {
  const k = checkClassCount("rocAucOvr", options?.classes);
  checkLengths("rocAucOvr", yTrue, "yTrue", scores, "scores", k);
  checkClasses("rocAucOvr", yTrue, "yTrue", k);
  checkFinite("rocAucOvr", scores, "scores");
  const n = yTrue.length;
  const column = new Float64Array(n);
  let sum = 0;
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) column[i] = scores[i * k + c]!;
    sum += mannWhitneyAuc("rocAucOvr", column, (i) => yTrue[i] === c, `class ${c}`);
  }
  return sum / k;
}

function mannWhitneyAuc(
  owner: string,
  scores: Float64Array,
  positive: (i: number) => boolean,
  what: string,
): number {
  const n = scores.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[a]! - scores[b]!);
  let nPos = 0;
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end]!] === scores[order[start]!]) end++;
    const midrank = (start + 1 + end) / 2; // average of ranks start+1..end
    for (let m = start; m < end; m++) {
      if (positive(order[m]!)) {
        nPos++;
        rankSum += midrank;
      }
    }
    start = end;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) {
    throw new InputError(
      `${owner}: the AUC of ${what} is undefined: yTrue has ${nPos === 0 ? `no rows of ${what}` : `only rows of ${what}`} (it needs both positives and negatives)`,
    );
  }
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
