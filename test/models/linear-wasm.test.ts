import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { RowRange } from "../../src/core/model.js";
import { createRng } from "../../src/core/rng.js";
import type { Dataset } from "../../src/data/dataset.js";
import { linearModel } from "../../src/models/linear.js";
import { type ParallelLinearModel, parallelLinearModel } from "../../src/models/parallel-linear.js";
import { centralDifferences, maxRelativeError } from "../helpers/finite-diff.js";

// 16,411 × 5 = 82,055 values of X: above the single-thread model's threshold for the wasm
// copy, and not a multiple of the 4-row block.
function randomData(n: number, p: number, seed: number): Dataset {
  const rng = createRng(seed);
  const x = Float64Array.from({ length: n * p }, () => rng.normal() * (1 + rng.uniform() * 100));
  const y = Float64Array.from({ length: n }, () => 3 * rng.normal() + 1);
  const features = Array.from({ length: p }, (_, j) => `x${j + 1}`);
  return { features, target: "y", rows: n, x, y, source: "test" };
}
const data = randomData(16_411, 5, 7);
const all: RowRange = { order: null, start: 0, end: data.rows };
const order = Uint32Array.from({ length: data.rows }, (_, i) => (i * 7919) % data.rows);
const batch: RowRange = { order, start: 1000, end: 1517 };
const params = Float64Array.from([0.3, -1.2, 0.01, 2, -0.5, 0.7]);

type Evaluable = { lossAndGrad: ParallelLinearModel["lossAndGrad"] };
function evaluate(model: Evaluable, range: RowRange) {
  const grad = new Float64Array(6).fill(Number.NaN);
  const loss = model.lossAndGrad(params, grad, range);
  return [loss, ...grad];
}
/** The JS kernel's numbers: the model built with BIOGRAD_LINEAR=js. */
function withJs<T>(build: () => T): T {
  process.env.BIOGRAD_LINEAR = "js";
  try {
    return build();
  } finally {
    delete process.env.BIOGRAD_LINEAR;
  }
}

const open: ParallelLinearModel[] = [];
afterAll(async () => {
  await Promise.all(open.map((m) => m.close()));
});
afterEach(() => {
  delete process.env.BIOGRAD_LINEAR;
});

describe("linear models on the f64x2 wasm kernel", () => {
  it("the single-thread model gives the JS kernel's loss and gradient bit for bit", () => {
    const wasm = linearModel(data);
    const js = withJs(() => linearModel(data));
    expect(wasm.backend()).toBe("undecided");
    for (const range of [all, batch, all]) {
      const got = evaluate(wasm, range);
      const ref = withJs(() => evaluate(js, range));
      expect(got).toEqual(ref);
    }
    expect(wasm.backend()).toBe("wasm-simd");
    expect(js.backend()).toBe("js");
    expect(linearModel(randomData(100, 5, 1)).backend()).not.toBe("wasm-simd"); // small: JS
  });

  it("the single-thread model's wasm gradient matches central finite differences", () => {
    const model = linearModel(data);
    const grad = new Float64Array(6);
    model.lossAndGrad(params, grad, all);
    const scratch = new Float64Array(6);
    const fd = centralDifferences((t) => model.lossAndGrad(t, scratch, all), params);
    expect(model.backend()).toBe("wasm-simd");
    expect(maxRelativeError(grad, fd)).toBeLessThan(1e-7);
  });

  for (const workers of [1, 2]) {
    it(`${workers} thread(s): wasm and JS kernels give the same numbers bit for bit`, () => {
      const wasm = parallelLinearModel(data, workers);
      const js = withJs(() => parallelLinearModel(data, workers));
      open.push(wasm, js);
      expect(wasm.backend()).toBe("wasm-simd");
      expect(js.backend()).toBe("js");
      for (const range of [all, batch]) expect(evaluate(wasm, range)).toEqual(evaluate(js, range));
      if (workers === 1) expect(evaluate(wasm, all)).toEqual(evaluate(linearModel(data), all));
    });
  }
});
