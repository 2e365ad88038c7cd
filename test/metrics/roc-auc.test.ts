import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.js";
import { rocAuc, rocAucOvr } from "../../src/metrics/roc-auc.js";
import { lcg } from "../helpers/float.js";
import { f64, near, reference, thrown } from "./helpers.js";

/** AUC by its definition: over all (positive, negative) pairs, 1 if the positive scores higher, ½ if tied. */
function pairwiseAuc(y: ArrayLike<number>, s: ArrayLike<number>): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < y.length; j++) {
      if (y[j] !== 0) continue;
      pairs++;
      wins += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

describe("rocAuc (binary, Mann–Whitney with midranks)", () => {
  it("matches hand-computed values, with ties counted as one half", () => {
    expect(rocAuc(f64([0, 0, 1, 1]), f64([0.1, 0.4, 0.35, 0.8]))).toBe(0.75);
    // Pairs (pos, neg): (0.5 vs 0.5) ½, (0.5 vs 0.2) 1, (0.9 vs 0.5) 1, (0.9 vs 0.2) 1 → 3.5/4.
    expect(rocAuc(f64([1, 0, 1, 0]), f64([0.5, 0.5, 0.9, 0.2]))).toBe(0.875);
    expect(rocAuc(f64([1, 0, 1, 0, 1]), f64([2, 2, 2, 2, 2]))).toBe(0.5);
    expect(rocAuc(f64([0, 1]), f64([1, 0]))).toBe(0);
    expect(rocAuc(f64([0, 1]), f64([-1e300, 1e300]))).toBe(1);
  });

  it("equals the pairwise definition on random vectors with many ties", () => {
    const rand = lcg(12345);
    for (let t = 0; t < 200; t++) {
      const n = 2 + Math.floor(rand() * 60);
      const y = f64(
        Array.from({ length: n }, (_, i) => (i < 1 ? 0 : i < 2 ? 1 : rand() < 0.4 ? 1 : 0)),
      );
      const s = f64(Array.from({ length: n }, () => Math.floor(rand() * 6) / 5));
      expect(rocAuc(y, s)).toBeCloseTo(pairwiseAuc(y, s), 14);
    }
  });

  it("is undefined (an error) with only one class", () => {
    const e = thrown(() => rocAuc(f64([1, 1]), f64([0.2, 0.3])));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatchInlineSnapshot(
      `"rocAuc: the AUC of class 1 is undefined: yTrue has only rows of class 1 (it needs both positives and negatives)"`,
    );
    expect(thrown(() => rocAuc(f64([0, 1]), f64([0.2, Number.NaN]))).message).toMatchInlineSnapshot(
      `"rocAuc: scores[1] is NaN; metrics need finite values"`,
    );
  });
});

describe("rocAucOvr (macro one-vs-rest)", () => {
  it("is the unweighted mean of each class against the rest", () => {
    const y = f64([0, 1, 2, 2]);
    const s = f64([0.6, 0.3, 0.1, 0.2, 0.5, 0.3, 0.3, 0.3, 0.4, 0.1, 0.1, 0.8]);
    const per = [0, 1, 2].map((c) =>
      pairwiseAuc(
        [...y].map((v) => (v === c ? 1 : 0)),
        [0, 1, 2, 3].map((i) => s[i * 3 + c]!),
      ),
    );
    expect(rocAucOvr(y, s, { classes: 3 })).toBeCloseTo((per[0]! + per[1]! + per[2]!) / 3, 15);
    expect(
      thrown(() => rocAucOvr(f64([0, 1]), f64([0.5, 0.5, 0, 0.2, 0.8, 0]), { classes: 3 })).message,
    ).toMatchInlineSnapshot(
      `"rocAucOvr: the AUC of class 2 is undefined: yTrue has no rows of class 2 (it needs both positives and negatives)"`,
    );
  });
});

describe("against sklearn.metrics.roc_auc_score (fixture)", () => {
  it("binary, including ties and all-tied scores", () => {
    for (const [name, c] of Object.entries(reference.binary)) {
      expect(near(rocAuc(f64(c.y_true), f64(c.score)), c.roc_auc, 1e-14), name).toBe(true);
    }
  });

  it("multiclass macro one-vs-rest, and each class's binary AUC", () => {
    for (const [name, c] of Object.entries(reference.multiclass)) {
      const y = f64(c.y_true);
      const probs = f64(c.prob_row_major);
      const k = c.classes;
      expect(near(rocAucOvr(y, probs, { classes: k }), c.roc_auc_ovr_macro, 1e-14), name).toBe(
        true,
      );
      c.roc_auc_ovr_per_class.forEach((auc, cls) => {
        const yc = f64([...y].map((v) => (v === cls ? 1 : 0)));
        const sc = f64(Array.from({ length: y.length }, (_, i) => probs[i * k + cls]!));
        expect(near(rocAuc(yc, sc), auc, 1e-14), `${name} class ${cls}`).toBe(true);
      });
    }
  });
});
