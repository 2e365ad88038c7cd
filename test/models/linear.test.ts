import { describe, expect, it } from "vitest";
import type { RowRange } from "../../src/core/model.js";
import { createRng } from "../../src/core/rng.js";
import type { Dataset } from "../../src/data/dataset.js";
import { linearModel } from "../../src/models/linear.js";
import { centralDifferences, maxRelativeError } from "../helpers/finite-diff.js";

function randomData(n: number, p: number, seed: number): Dataset {
  const rng = createRng(seed);
  const x = Float64Array.from({ length: n * p }, () => rng.normal());
  const y = Float64Array.from({ length: n }, () => 3 * rng.normal() + 1);
  const features = Array.from({ length: p }, (_, j) => `x${j + 1}`);
  return { features, target: "y", rows: n, x, y, source: "test" };
}

describe("linear model", () => {
  for (const p of [1, 3, 10]) {
    it(`gradient matches central finite differences to 1e-7 (p = ${p})`, () => {
      const data = randomData(17, p, p);
      const model = linearModel(data);
      const rng = createRng(100 + p);
      const params = Float64Array.from({ length: p + 1 }, () => 2 * rng.normal());
      const grad = new Float64Array(p + 1);
      const all: RowRange = { order: null, start: 0, end: data.rows };
      model.lossAndGrad(params, grad, all);
      const scratch = new Float64Array(p + 1);
      const fd = centralDifferences((t) => model.lossAndGrad(t, scratch, all), params);
      expect(maxRelativeError(grad, fd)).toBeLessThan(1e-7);
    });
  }

  it("a shuffled mini-batch gives the loss and gradient of exactly those rows", () => {
    const data = randomData(12, 2, 7);
    const model = linearModel(data);
    const params = Float64Array.of(0.5, -1, 2);
    const order = Uint32Array.of(11, 3, 5, 0, 8, 1, 2, 4, 6, 7, 9, 10);
    const grad = new Float64Array(3);
    const loss = model.lossAndGrad(params, grad, { order, start: 0, end: 4 });
    // Same rows as their own data set, in storage order.
    const rows = [11, 3, 5, 0];
    const sub: Dataset = {
      ...data,
      rows: 4,
      x: Float64Array.from(rows.flatMap((i) => [data.x[2 * i]!, data.x[2 * i + 1]!])),
      y: Float64Array.from(rows.map((i) => data.y[i]!)),
    };
    const expected = new Float64Array(3);
    const expectedLoss = linearModel(sub).lossAndGrad(params, expected, {
      order: null,
      start: 0,
      end: 4,
    });
    expect(loss).toBeCloseTo(expectedLoss, 14);
    for (let j = 0; j < 3; j++) expect(grad[j]).toBeCloseTo(expected[j]!, 13);
  });

  it("loss is the mean squared error computed by hand", () => {
    // x = [1, 2], y = [3, 5]; w = 2, b = 0 → residuals [-1, -1] → MSE 1;
    // dL/dw = 2/2·(1·-1 + 2·-1) = -3, dL/db = 2/2·(-2) = -2.
    const data: Dataset = {
      features: ["x"],
      target: "y",
      rows: 2,
      x: Float64Array.of(1, 2),
      y: Float64Array.of(3, 5),
      source: "hand",
    };
    const grad = new Float64Array(2);
    const loss = linearModel(data).lossAndGrad(Float64Array.of(2, 0), grad, {
      order: null,
      start: 0,
      end: 2,
    });
    expect(loss).toBe(1);
    expect(Array.from(grad)).toEqual([-3, -2]);
  });

  it("predict evaluates X·w + b", () => {
    const data = randomData(3, 2, 1);
    const out = new Float64Array(2);
    linearModel(data).predict(Float64Array.of(2, -1, 0.5), Float64Array.of(1, 1, 3, 4), out);
    expect(Array.from(out)).toEqual([1.5, 2.5]);
  });
});
