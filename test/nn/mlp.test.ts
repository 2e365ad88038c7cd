import { describe, expect, it } from "vitest";
import type { RowRange } from "../../src/core/model.js";
import { createRng } from "../../src/core/rng.js";
import { logisticRegression } from "../../src/nn/models/logistic.js";
import { type MlpModel, mlpModel, type NetData } from "../../src/nn/models/mlp.js";
import type { MlpOptions } from "../../src/nn/models/mlp-options.js";
import { numericGradient, randomBuffer, relativeError } from "./reference.js";

/** n rows of p features; y: a smooth function (regression) or class indices 0..K−1. */
function data(n: number, p: number, classes: number, seed: number): NetData {
  const x = randomBuffer(n * p, seed);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = x.subarray(i * p, i * p + p).reduce((a, v, j) => a + (j + 1) * v, 0);
    y[i] = classes === 0 ? Math.sin(s) + 0.5 : Math.floor(Math.abs(s * 2.3)) % classes;
  }
  return { features: Array.from({ length: p }, (_, j) => `x${j + 1}`), rows: n, x, y };
}

/** lossAndGrad vs central differences of the loss, at random (moderate) parameters. */
function gradientError(model: MlpModel, range: RowRange, seed: number, reseed = false): number {
  const params = new Float64Array(model.layout.size);
  model.init(params, createRng(seed));
  for (let i = 0; i < params.length; i++) params[i]! += 0.1 * Math.sin(7 * i + seed); // non-zero biases
  const grad = new Float64Array(params.length);
  if (reseed) model.reseedDropout(5);
  model.lossAndGrad(params, grad, range);
  const scratch = new Float64Array(params.length);
  const fd = numericGradient((t) => {
    if (reseed) model.reseedDropout(5); // the same dropout masks for every evaluation
    return model.lossAndGrad(t, scratch, range);
  }, params);
  return relativeError(grad, fd);
}

const all = (n: number): RowRange => ({ order: null, start: 0, end: n });

const CASES: { name: string; classes: number; options: MlpOptions }[] = [
  { name: "regress, MSE, tanh", classes: 0, options: { spec: "mlp:4,3:tanh" } },
  {
    name: "regress, Huber δ = 0.3, gelu",
    classes: 0,
    options: { spec: "mlp:5:gelu", loss: "huber", huberDelta: 0.3 },
  },
  { name: "regress, relu (He init)", classes: 0, options: { spec: "mlp:6,5:relu" } },
  { name: "regress, identity", classes: 0, options: { spec: "mlp:3:identity" } },
  {
    name: "binary, softplus, class weights",
    classes: 2,
    options: { spec: "mlp:4,3:softplus", task: "classify", classWeights: [0.5, 2] },
  },
  { name: "binary, sigmoid", classes: 2, options: { spec: "mlp:3:sigmoid", task: "classify" } },
  {
    name: "3 classes, leaky-relu 0.1",
    classes: 3,
    options: { spec: "mlp:5:leaky-relu", slope: 0.1, task: "classify" },
  },
  {
    name: "4 classes, tanh, class weights",
    classes: 4,
    options: { spec: "mlp:4,4:tanh", task: "classify", classWeights: [1, 2, 0.5, 3] },
  },
  {
    name: "regress, tanh, dropout 0.3 (fixed masks)",
    classes: 0,
    options: { spec: "mlp:6,5:tanh", dropout: 0.3 },
  },
  {
    name: "3 classes, gelu, dropout 0.5 (fixed masks)",
    classes: 3,
    options: { spec: "mlp:7:gelu", task: "classify", dropout: 0.5 },
  },
];

describe("MLP lossAndGrad matches central differences (rel. error < 1e-6)", () => {
  for (const { name, classes, options } of CASES) {
    const reseed = (options.dropout ?? 0) > 0;
    it(`${name}: 11 rows, 1 row, a shuffled chunked range`, () => {
      const d = data(11, 3, classes, name.length);
      const model = mlpModel(d, { ...options, classes: classes || undefined });
      expect(gradientError(model, all(11), 1, reseed)).toBeLessThan(1e-6);
      expect(gradientError(model, { order: null, start: 4, end: 5 }, 2, reseed)).toBeLessThan(1e-6);
      const chunked = mlpModel(d, { ...options, classes: classes || undefined, maxBatch: 3 });
      const order = Uint32Array.of(10, 2, 7, 0, 5, 3, 9, 1, 8, 4, 6);
      expect(gradientError(chunked, { order, start: 1, end: 9 }, 3, reseed)).toBeLessThan(1e-6);
    });
  }

  it("logistic regression, binary and multinomial (3 classes, weighted)", () => {
    expect(gradientError(logisticRegression(data(9, 4, 2, 1)), all(9), 4)).toBeLessThan(1e-6);
    const multi = logisticRegression(data(9, 4, 3, 2), { classes: 3, classWeights: [1, 0.2, 5] });
    expect(gradientError(multi, all(9), 5)).toBeLessThan(1e-6);
  });
});

describe("MLP model", () => {
  it("names its layout dense1.W, dense1.b, … with W as (in, out)", () => {
    const model = mlpModel(data(4, 5, 0, 1), { spec: "mlp:64,32:relu" });
    expect(model.layout.entries.map((e) => `${e.name} [${e.shape.join(",")}]`)).toEqual([
      "dense1.W [5,64]",
      "dense1.b [64]",
      "dense2.W [64,32]",
      "dense2.b [32]",
      "dense3.W [32,1]",
      "dense3.b [1]",
    ]);
    expect([model.kind, model.spec, model.outputs, model.classes]).toEqual([
      "mlp",
      "mlp:64,32:relu",
      1,
      0,
    ]);
    const multi = mlpModel(data(6, 2, 3, 1), { spec: "mlp:4:tanh", task: "classify" });
    expect([multi.outputs, multi.classes, multi.layout.entries.at(-1)!.shape]).toEqual([3, 3, [3]]);
  });

  it("gives the same loss and gradient whatever the chunk size, and a shuffled range equals its rows", () => {
    const d = data(23, 4, 3, 7);
    const order = Uint32Array.from({ length: 23 }, (_, i) => (i * 7) % 23);
    const results = [1, 4, 23].map((maxBatch) => {
      const model = mlpModel(d, {
        spec: "mlp:6:tanh",
        task: "classify",
        classWeights: [1, 2, 3],
        maxBatch,
      });
      const params = new Float64Array(model.layout.size);
      model.init(params, createRng(1));
      const grad = new Float64Array(params.length);
      const loss = model.lossAndGrad(params, grad, { order, start: 2, end: 20 });
      return { loss, grad };
    });
    for (const r of results.slice(1)) {
      expect(r.loss).toBeCloseTo(results[0]!.loss, 14);
      expect(relativeError(r.grad, results[0]!.grad)).toBeLessThan(1e-13);
    }
    // The rows order[2..20) as their own data set, contiguous.
    const rows = Array.from(order.subarray(2, 20));
    const sub: NetData = {
      ...d,
      rows: rows.length,
      x: Float64Array.from(rows.flatMap((i) => Array.from(d.x.subarray(i * 4, i * 4 + 4)))),
      y: Float64Array.from(rows.map((i) => d.y[i]!)),
    };
    const model = mlpModel(sub, {
      spec: "mlp:6:tanh",
      task: "classify",
      classes: 3,
      classWeights: [1, 2, 3],
    });
    const params = new Float64Array(model.layout.size);
    model.init(params, createRng(1));
    const grad = new Float64Array(params.length);
    expect(model.lossAndGrad(params, grad, all(rows.length))).toBeCloseTo(results[0]!.loss, 14);
    expect(relativeError(grad, results[0]!.grad)).toBeLessThan(1e-13);
  });

  it("predicts values, P(y = 1), or K probabilities summing to 1, in chunks, without dropout", () => {
    const d = data(10, 3, 3, 3);
    const base = { spec: "mlp:5,4:relu", task: "classify", maxBatch: 4 } as const;
    const model = mlpModel(d, base);
    const dropped = mlpModel(d, { ...base, dropout: 0.5 });
    const params = new Float64Array(model.layout.size);
    model.init(params, createRng(2));
    const out = new Float64Array(30);
    const outDropped = new Float64Array(30);
    model.predict(params, d.x, 10, out);
    dropped.predict(params, d.x, 10, outDropped);
    expect(outDropped).toEqual(out); // dropout is off in predict
    for (let i = 0; i < 10; i++) {
      const row = out.subarray(3 * i, 3 * i + 3);
      expect(row.every((v) => v > 0 && v < 1)).toBe(true);
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 15);
    }
    // Cross-entropy from the predicted probabilities equals the model's loss.
    const ce = -Array.from(d.y).reduce((s, y, i) => s + Math.log(out[3 * i + y]!), 0) / 10;
    expect(model.lossAndGrad(params, new Float64Array(params.length), all(10))).toBeCloseTo(ce, 13);

    const bin = mlpModel(data(6, 2, 2, 4), { spec: "mlp:3:tanh", task: "classify" });
    const reg = mlpModel(data(6, 2, 0, 4), { spec: "mlp:3:tanh" });
    const pb = new Float64Array(bin.layout.size);
    bin.init(pb, createRng(3));
    const prob = new Float64Array(6);
    bin.predict(pb, data(6, 2, 2, 4).x, 6, prob);
    const value = new Float64Array(6);
    reg.predict(pb, data(6, 2, 0, 4).x, 6, value); // same layout: the logits themselves
    for (let i = 0; i < 6; i++) expect(prob[i]).toBeCloseTo(1 / (1 + Math.exp(-value[i]!)), 15);
  });
});
