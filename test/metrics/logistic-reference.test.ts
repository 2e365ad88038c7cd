import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Dataset } from "../../src/data/dataset.js";
import { type CategoricalColumn, readTable, tableColumn } from "../../src/data/table.js";
import {
  accuracy,
  argmaxClasses,
  logLoss,
  logLossMulticlass,
  thresholdClasses,
} from "../../src/metrics/classification.js";
import { rocAuc, rocAucOvr } from "../../src/metrics/roc-auc.js";
import { fitFeatureEncoder, tableToDataset } from "../../src/prep/features.js";
import { fitLabels, type LabelTask } from "../../src/prep/labels.js";
import { fitStandardizer, standardize } from "../../src/prep/standardize.js";
import { reference as metricsRef, near } from "./helpers.js";

/**
 * Checks the logistic-regression reference (test/fixtures/sklearn/logistic-reference.json)
 * with biograd's own reading, labels, standardisation and metrics: at the reference
 * coefficients the mean log-loss is the reference's and its gradient vanishes. This ties
 * the fixture to the committed CSVs and to src/prep, for the logistic model to be checked
 * against later.
 */
interface Case {
  data: string;
  label: { column: string };
  rows: number;
  features: string[];
  standardisation: { means: number[]; sds: number[] };
  log_loss: number;
  probabilities_first_5_rows: number[] | number[][];
}
const ref = JSON.parse(readFileSync("test/fixtures/sklearn/logistic-reference.json", "utf8")) as {
  binary: Case & { coef: number[]; intercept: number; label: { positive: string } };
  multinomial: Case & {
    sum_to_zero: { coef: number[][]; intercept: number[] };
    reference_class_0: { coef: number[][]; intercept: number[] };
  };
};

function load(
  c: Case,
  task: LabelTask,
): { data: Dataset; z: Float64Array; levels: readonly string[] } {
  const table = readTable(c.data, {
    columns: [
      { name: c.label.column, type: "categorical" },
      ...c.features.map((name) => ({ name, type: "numeric" as const })),
    ],
  });
  const labels = fitLabels(tableColumn(table, c.label.column) as CategoricalColumn, { task });
  const data = tableToDataset(table, fitFeatureEncoder(table, c.features), { labels });
  const s = fitStandardizer(data); // every row, ddof 0, as the reference
  s.means.forEach((m, j) => {
    expect(near(m, c.standardisation.means[j]!, 1e-13)).toBe(true);
  });
  s.sds.forEach((sd, j) => {
    expect(near(sd, c.standardisation.sds[j]!, 1e-13)).toBe(true);
  });
  return { data, z: standardize(s, data), levels: labels.levels };
}

/** Row-major softmax probabilities of z·Wᵀ + b (W: K × p). */
function softmax(z: Float64Array, p: number, w: number[][], b: number[]): Float64Array {
  const n = z.length / p;
  const k = w.length;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const eta = w.map((row, c) => row.reduce((s, wj, j) => s + wj * z[i * p + j]!, b[c]!));
    const m = Math.max(...eta);
    const e = eta.map((v) => Math.exp(v - m));
    const sum = e.reduce((a, v) => a + v, 0);
    e.forEach((v, c) => {
      out[i * k + c] = v / sum;
    });
  }
  return out;
}

describe("binary reference (breast cancer, 10 mean features)", () => {
  const c = ref.binary;
  const { data, z, levels } = load(c, "binary");
  const p = c.features.length;
  const prob = new Float64Array(data.rows);
  for (let i = 0; i < data.rows; i++) {
    let eta = c.intercept;
    for (let j = 0; j < p; j++) eta += c.coef[j]! * z[i * p + j]!;
    prob[i] = 1 / (1 + Math.exp(-eta));
  }

  it("labels M as the positive class, as the reference", () => {
    expect(levels).toEqual(["B", c.label.positive]);
    expect(data.rows).toBe(c.rows);
  });

  it("has the reference log-loss and a vanishing gradient at the reference coefficients", () => {
    expect(near(logLoss(data.y, prob), c.log_loss, 1e-12)).toBe(true);
    const grad = new Float64Array(p + 1);
    for (let i = 0; i < data.rows; i++) {
      const r = (prob[i]! - data.y[i]!) / data.rows;
      for (let j = 0; j < p; j++) grad[j]! += r * z[i * p + j]!;
      grad[p]! += r;
    }
    expect(Math.max(...grad.map(Math.abs))).toBeLessThan(1e-12);
    (c.probabilities_first_5_rows as number[]).forEach((q, i) => {
      expect(near(prob[i]!, q, 1e-12)).toBe(true);
    });
  });

  it("agrees with the metrics fixture (AUC, accuracy)", () => {
    const m = metricsRef.binary.breast_cancer!;
    expect(near(rocAuc(data.y, prob), m.roc_auc, 1e-14)).toBe(true);
    expect(accuracy(data.y, thresholdClasses(prob))).toBe(m.accuracy_threshold_0_5);
  });
});

describe("multinomial reference (wine, first six columns)", () => {
  const c = ref.multinomial;
  const { data, z } = load(c, "multiclass");
  const p = c.features.length;
  const k = c.sum_to_zero.coef.length;
  const probs = softmax(z, p, c.sum_to_zero.coef, c.sum_to_zero.intercept);

  it("both parameterisations give the same probabilities", () => {
    const r = c.reference_class_0;
    const alt = softmax(z, p, [new Array(p).fill(0), ...r.coef], [0, ...r.intercept]);
    for (let t = 0; t < probs.length; t++)
      expect(Math.abs(alt[t]! - probs[t]!)).toBeLessThan(1e-13);
  });

  it("has the reference log-loss and a vanishing gradient", () => {
    const opts = { classes: k };
    expect(near(logLossMulticlass(data.y, probs, opts), c.log_loss, 1e-12)).toBe(true);
    let worst = 0;
    for (let cls = 0; cls < k; cls++) {
      const g = new Float64Array(p + 1);
      for (let i = 0; i < data.rows; i++) {
        const r = (probs[i * k + cls]! - (data.y[i] === cls ? 1 : 0)) / data.rows;
        for (let j = 0; j < p; j++) g[j]! += r * z[i * p + j]!;
        g[p]! += r;
      }
      worst = Math.max(worst, ...g.map(Math.abs));
    }
    expect(worst).toBeLessThan(1e-12);
    const m = metricsRef.multiclass.wine!;
    expect(near(rocAucOvr(data.y, probs, opts), m.roc_auc_ovr_macro, 1e-14)).toBe(true);
    expect(accuracy(data.y, argmaxClasses(probs, opts))).toBe(m.accuracy_argmax);
  });
});
