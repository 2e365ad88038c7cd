import { afterAll, describe, expect, it } from "vitest";
import type { RowRange } from "../../src/core/model.js";
import { createRng } from "../../src/core/rng.js";
import type { Dataset } from "../../src/data/dataset.js";
import { linearModel } from "../../src/models/linear.js";
import { type ParallelLinearModel, parallelLinearModel } from "../../src/models/parallel-linear.js";
import { centralDifferences, maxRelativeError } from "../helpers/finite-diff.js";

function randomData(n: number, p: number, seed: number): Dataset {
  const rng = createRng(seed);
  const x = Float64Array.from({ length: n * p }, () => rng.normal());
  const y = Float64Array.from({ length: n }, () => 3 * rng.normal() + 1);
  const features = Array.from({ length: p }, (_, j) => `x${j + 1}`);
  return { features, target: "y", rows: n, x, y, source: "test" };
}

const open: ParallelLinearModel[] = [];
function parallel(data: Dataset, workers: number): ParallelLinearModel {
  const model = parallelLinearModel(data, workers);
  open.push(model);
  return model;
}
afterAll(async () => {
  await Promise.all(open.map((m) => m.close()));
});

function evaluate(
  model: { lossAndGrad: ParallelLinearModel["lossAndGrad"] },
  p: number,
  range: RowRange,
  seed = 3,
) {
  const rng = createRng(seed);
  const params = Float64Array.from({ length: p + 1 }, () => rng.normal());
  const grad = new Float64Array(p + 1).fill(Number.NaN);
  const loss = model.lossAndGrad(params, grad, range);
  return { loss, grad };
}

describe("parallel linear model (worker threads on SharedArrayBuffers)", () => {
  const data = randomData(1003, 5, 1); // 1003 rows: parts of unequal size, not multiples of 4
  const all: RowRange = { order: null, start: 0, end: data.rows };
  const single = evaluate(linearModel(data), 5, all);

  it("with one worker gives the single-thread model's loss and gradient bit for bit", () => {
    for (const p of [1, 5]) {
      const d = p === 5 ? data : randomData(50, 1, 2);
      const range: RowRange = { order: null, start: 0, end: d.rows };
      const one = evaluate(parallel(d, 1), p, range);
      const ref = evaluate(linearModel(d), p, range);
      expect(one.loss).toBe(ref.loss);
      expect([...one.grad]).toEqual([...ref.grad]);
    }
  });

  for (const workers of [2, 3]) {
    it(`with ${workers} workers matches the single-thread model to 1e-12 (summation order only)`, () => {
      const model = parallel(data, workers);
      const got = evaluate(model, 5, all);
      expect(Math.abs(got.loss - single.loss) / single.loss).toBeLessThan(1e-12);
      expect(maxRelativeError(got.grad, single.grad)).toBeLessThan(1e-12);
      // deterministic: the same numbers, bit for bit, on every call
      for (let r = 0; r < 3; r++) {
        const again = evaluate(model, 5, all);
        expect(again.loss).toBe(got.loss);
        expect([...again.grad]).toEqual([...got.grad]);
      }
      // and from a second team of the same size
      const other = evaluate(parallel(data, workers), 5, all);
      expect([...other.grad]).toEqual([...got.grad]);
    });
  }

  it("gives the same numbers for every worker count from 2 up (fixed chunks, chunk-order sum)", () => {
    const two = evaluate(parallel(data, 2), 5, all);
    for (const workers of [3, 4]) expect(evaluate(parallel(data, workers), 5, all)).toEqual(two);
  });

  it("covers shuffled mini-batches (an order and a sub-range) as the single-thread model does", () => {
    const rng = createRng(9);
    const order = Uint32Array.from({ length: data.rows }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const batch: RowRange = { order, start: 100, end: 231 };
    const ref = evaluate(linearModel(data), 5, batch);
    const got = evaluate(parallel(data, 2), 5, batch);
    expect(maxRelativeError(got.grad, ref.grad)).toBeLessThan(1e-12);
    expect(Math.abs(got.loss - ref.loss) / ref.loss).toBeLessThan(1e-12);
  });

  it("its gradient matches central finite differences (independent check)", () => {
    const model = parallel(data, 2);
    const rng = createRng(4);
    const params = Float64Array.from({ length: 6 }, () => rng.normal());
    const grad = new Float64Array(6);
    model.lossAndGrad(params, grad, all);
    const scratch = new Float64Array(6);
    const fd = centralDifferences((t) => model.lossAndGrad(t, scratch, all), params);
    expect(maxRelativeError(grad, fd)).toBeLessThan(1e-7);
  });

  it("close() ends its worker threads, and a closed model refuses work", async () => {
    const model = parallelLinearModel(data, 3);
    evaluate(model, 5, all);
    await expect(model.close()).resolves.toBeUndefined();
    expect(() => evaluate(model, 5, all)).toThrow(/closed/);
  });

  it("rejects a worker count that is not an integer >= 1", () => {
    expect(() => parallelLinearModel(data, 0)).toThrow(/workers must be an integer >= 1, got 0/);
  });
});
