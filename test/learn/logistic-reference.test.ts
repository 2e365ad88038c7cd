import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { logisticRegression } from "../../src/nn/index.js";
import {
  fitFeatureEncoder,
  fitLabels,
  readTable,
  tableColumn,
  tableToDataset,
} from "../../src/prep/index.js";
import { train } from "../../src/train/trainer.js";
import { adam, chain, clipByGlobalNorm, cosineDecay } from "../../src/transforms/index.js";

/** Written by test/fixtures/sklearn/make_logistic_reference.py (statsmodels/sklearn, no penalty). */
const REF = JSON.parse(
  readFileSync(new URL("../fixtures/sklearn/logistic-reference.json", import.meta.url), "utf8"),
);
const example = (name: string) => new URL(`../../examples/${name}`, import.meta.url).pathname;

/** The fixture's data: its features, standardised exactly as the reference was (all rows). */
function load(
  ref: {
    data: string;
    features: string[];
    label: { column: string };
    standardisation: { means: number[]; sds: number[] };
  },
  positive?: string,
) {
  const file = example(ref.data.replace("examples/", ""));
  const table = readTable(file, {
    columns: [
      ...ref.features.map((name) => ({ name, type: "numeric" as const })),
      { name: ref.label.column, type: "categorical" as const },
    ],
  });
  const column = tableColumn(table, ref.label.column) as unknown as {
    name: string;
    levels: string[];
  };
  const labels = fitLabels(
    column,
    positive ? { task: "binary", positive } : { task: "multiclass" },
  );
  const data = tableToDataset(table, fitFeatureEncoder(table, ref.features), { labels });
  const p = ref.features.length;
  const { means, sds } = ref.standardisation;
  const x = Float64Array.from(data.x, (v, k) => (v - means[k % p]!) / sds[k % p]!);
  return { ...data, x };
}

/** Full-batch clipped Adam, learning rate cosine-decayed to 1e-6: a first-order fit to the MLE. */
function fitByAdam(model: ReturnType<typeof logisticRegression>, epochs: number) {
  return train(model, {
    epochs,
    start: new Float64Array(model.layout.size),
    transform: chain(
      clipByGlobalNorm({ maxNorm: 1 }),
      adam({ lr: cosineDecay({ lr: 0.1, steps: epochs, minLr: 1e-6 }) }),
    ),
  });
}

describe("logistic regression against unpenalised reference fits", () => {
  it("binary (breast cancer, 10 mean features): coefficients and intercept to 1e-6", () => {
    const ref = REF.binary;
    const model = logisticRegression(load(ref, "M"));
    const r = fitByAdam(model, 20_000);
    const p = ref.features.length;
    for (let j = 0; j < p; j++) expect(Math.abs(r.params[j]! - ref.coef[j])).toBeLessThan(1e-6);
    expect(Math.abs(r.params[p]! - ref.intercept)).toBeLessThan(1e-6);
    expect(Math.abs(r.finalLoss - ref.log_loss)).toBeLessThan(1e-12);
  });

  it("multinomial (wine, 6 features): coefficients relative to class 0 to 1e-6", () => {
    // K softmax logits are identified only up to a common shift, so compare W[:,k] − W[:,0]
    // with the reference-class parameterisation.
    const ref = REF.multinomial;
    const model = logisticRegression(load(ref), { classes: 3 });
    const r = fitByAdam(model, 20_000);
    const p = ref.features.length;
    const K = 3;
    const W = (j: number, k: number) => r.params[j * K + k]!;
    const b = (k: number) => r.params[p * K + k]!;
    for (let k = 1; k < K; k++) {
      for (let j = 0; j < p; j++) {
        expect(Math.abs(W(j, k) - W(j, 0) - ref.reference_class_0.coef[k - 1][j])).toBeLessThan(
          1e-6,
        );
      }
      expect(Math.abs(b(k) - b(0) - ref.reference_class_0.intercept[k - 1])).toBeLessThan(1e-6);
    }
    expect(Math.abs(r.finalLoss - ref.log_loss)).toBeLessThan(1e-10);
  });
});
