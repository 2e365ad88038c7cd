import { describe, expect, it } from "vitest";
import { createLayout } from "../../src/core/layout.js";
import { createRng } from "../../src/core/rng.js";
import { denseBackward, denseForward, denseLayer, denseSpecs } from "../../src/nn/layers/dense.js";
import { applyMask, checkDropoutRate, drawDropoutMask } from "../../src/nn/layers/dropout.js";
import {
  naiveProduct,
  numericGradient,
  randomBuffer,
  relativeError,
  sameBits,
} from "./reference.js";

function setup(batch: number, inputs: number, outputs: number, seed: number) {
  const layout = createLayout([
    { name: "pre", shape: [2] },
    ...denseSpecs("dense1", inputs, outputs),
  ]);
  const layer = denseLayer(layout, "dense1");
  const params = randomBuffer(layout.size, seed);
  const xOffset = 3; // inputs read at an offset, as a contiguous slice of a data set
  const x = randomBuffer(xOffset + batch * inputs, seed + 1);
  const c = randomBuffer(batch * outputs, seed + 2); // L = Σ c ⊙ Z
  const z = new Float64Array(batch * outputs);
  const loss = (p: Float64Array, xs: Float64Array) => {
    denseForward(layer, p, xs, xOffset, batch, z);
    return z.reduce((s, v, i) => s + c[i]! * v, 0);
  };
  return { layout, layer, params, x, xOffset, c, z, loss };
}

describe("dense layer (W: in × out row-major, Z = X·W + b)", () => {
  it.each([
    [1, 1, 1],
    [1, 4, 3],
    [3, 5, 7],
    [6, 2, 9],
  ])(
    "forward is X·W + b and backward matches central differences (batch %i, %i → %i)",
    (batch, inputs, outputs) => {
      const s = setup(batch, inputs, outputs, batch * 100 + inputs * 10 + outputs);
      const { layer, params, x, xOffset, c, z, loss } = s;
      loss(params, x);
      const w = (i: number, j: number) => params[layer.weights + i * outputs + j]!;
      const xw = naiveProduct(batch, outputs, inputs, (r, i) => x[xOffset + r * inputs + i]!, w);
      const want = xw.map((v, q) => v + params[layer.bias + (q % outputs)]!);
      expect(relativeError(z, want)).toBeLessThan(1e-14);

      const grad = new Float64Array(params.length).fill(0.25); // accumulates onto what is there
      const dx = new Float64Array(batch * inputs).fill(Number.NaN); // overwritten
      denseBackward(layer, params, x, xOffset, c, batch, grad, dx);
      const fdParams = numericGradient((p) => loss(p, x), params);
      for (let i = 0; i < 2; i++) expect(grad[i]).toBe(0.25); // entries of other tensors untouched
      const own = grad.subarray(2).map((g) => g - 0.25);
      expect(relativeError(own, fdParams.subarray(2))).toBeLessThan(1e-6);
      const fdX = numericGradient((xs) => loss(params, xs), x).subarray(xOffset);
      expect(relativeError(dx, fdX)).toBeLessThan(1e-6);
    },
  );

  it("names its tensors <name>.W [in, out] and <name>.b [out], W first", () => {
    const { layout, layer } = setup(2, 3, 4, 1);
    expect(layout.entries.map((e) => [e.name, e.shape])).toEqual([
      ["pre", [2]],
      ["dense1.W", [3, 4]],
      ["dense1.b", [4]],
    ]);
    expect(layer).toEqual({ name: "dense1", inputs: 3, outputs: 4, weights: 2, bias: 14 });
  });
});

describe("inverted dropout", () => {
  it("with a fixed mask is y = x ⊙ m, and its backward matches central differences", () => {
    for (const count of [1, 5, 33]) {
      const mask = new Float64Array(count);
      drawDropoutMask(mask, count, 0.4, createRng(count));
      const x = randomBuffer(count, count + 1);
      const c = randomBuffer(count, count + 2);
      const y = new Float64Array(count);
      const loss = (xs: Float64Array) => {
        applyMask(xs, mask, y, count);
        return y.reduce((s, v, i) => s + c[i]! * v, 0);
      };
      const dx = new Float64Array(count);
      applyMask(c, mask, dx, count);
      expect(relativeError(dx, numericGradient(loss, x))).toBeLessThan(1e-6);
    }
  });

  it("keeps a fraction ≈ 1 − rate of units, scaled by 1/(1 − rate), reproducibly from the seed", () => {
    const n = 20_000;
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    drawDropoutMask(a, n, 0.25, createRng(9));
    drawDropoutMask(b, n, 0.25, createRng(9));
    expect(sameBits(a, b)).toBe(true);
    const kept = a.filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([1 / 0.75]));
    expect(Math.abs(kept.length / n - 0.75)).toBeLessThan(0.01); // 3.3 σ of a binomial
    expect(a.reduce((s, v) => s + v, 0) / n).toBeCloseTo(1, 1); // E[m] = 1
  });

  it("rejects rates outside [0, 1)", () => {
    expect(() => checkDropoutRate("mlp", 1)).toThrow(/mlp: dropout must be a number in \[0, 1\)/);
    expect(() => checkDropoutRate("mlp", -0.1)).toThrow();
  });
});
