import { describe, expect, it } from "vitest";
import { logisticRegression } from "../../src/nn/models/logistic.js";
import { mlpModel, type NetData } from "../../src/nn/models/mlp.js";

function data(n: number, classes: number): NetData {
  const x = Float64Array.from({ length: 2 * n }, (_, i) => Math.sin(i));
  const y = Float64Array.from({ length: n }, (_, i) => (classes === 0 ? Math.cos(i) : i % classes));
  return { features: ["a", "b"], rows: n, x, y };
}

describe("MLP options and data checks", () => {
  it("rejects bad options and data by name", () => {
    const reg = data(5, 0);
    const cls = data(5, 3);
    expect(() => mlpModel(reg, { spec: "mlp:3", hidden: 3 } as never)).toThrow(
      /mlpModel: unknown option "hidden"/,
    );
    expect(() => mlpModel(reg, { spec: "mlp:3", classes: 3 })).toThrow(
      /classes must be unset \(it applies to task "classify"\)/,
    );
    expect(() => mlpModel(cls, { spec: "mlp:3", task: "classify", loss: "huber" })).toThrow(
      /loss must be unset/,
    );
    expect(() => mlpModel(cls, { spec: "mlp:3", task: "classify", classWeights: [1, 2] })).toThrow(
      /classWeights must be an array of 3 weights/,
    );
    expect(() => mlpModel(cls, { spec: "mlp:3", task: "classify", classes: 2 })).toThrow(
      /classes must be an integer > 2/,
    );
    expect(() =>
      mlpModel(
        { ...cls, y: Float64Array.of(0, 1, 0.5, 1, 0) },
        { spec: "mlp:3", task: "classify" },
      ),
    ).toThrow("mlpModel: label of row 3 is 0.5; expected a class index 0, 1, 2, …");
    expect(() => mlpModel(reg, { spec: "mlp:3", dropout: 1 })).toThrow(
      /dropout must be a number in \[0, 1\)/,
    );
    expect(() => mlpModel(reg, { spec: "mlp:3:relu", slope: 0.1 })).toThrow(/slope must be unset/);
    expect(() => logisticRegression(cls, { spec: "mlp:3" } as never)).toThrow(
      /logisticRegression: unknown option "spec"/,
    );
  });

  it("says which labels do not fit and what the data shape should be", () => {
    expect(() =>
      mlpModel({ ...data(4, 0), y: Float64Array.of(1, Number.NaN, 2, 3) }, { spec: "mlp:2" }),
    ).toThrow("mlpModel: target of row 2 is NaN; expected a finite number");
    expect(() => mlpModel({ ...data(4, 0), rows: 5 }, { spec: "mlp:2" })).toThrow(
      "mlpModel: x has 8 values and y 4; expected 5×2 and 5",
    );
    expect(() =>
      mlpModel(data(4, 2), { spec: "mlp:2", task: "classify", classWeights: [0, 0] }),
    ).toThrow(/classWeights must be weights with at least one > 0/);
    expect(() =>
      mlpModel(data(4, 0), { spec: "mlp:2", initDistribution: "cauchy" } as never),
    ).toThrow(/initDistribution must be one of "uniform", "normal"/);
  });
});
