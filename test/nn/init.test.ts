import { describe, expect, it } from "vitest";
import { createLayout } from "../../src/core/layout.js";
import { createRng } from "../../src/core/rng.js";
import { activation } from "../../src/nn/layers/activations.js";
import { denseLayer, denseSpecs } from "../../src/nn/layers/dense.js";
import { initDense, initStd, schemeFor } from "../../src/nn/layers/init.js";
import { sameBits } from "./reference.js";

const [IN, OUT] = [300, 200];
const layout = createLayout(denseSpecs("dense1", IN, OUT));
const layer = denseLayer(layout, "dense1");

function stats(params: Float64Array) {
  const w = params.subarray(0, IN * OUT);
  const mean = w.reduce((s, v) => s + v, 0) / w.length;
  const std = Math.sqrt(w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length);
  const max = w.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return { mean, std, max };
}

describe("He and Glorot initialisation", () => {
  it("has the stated standard deviations", () => {
    expect(initStd(layer, { scheme: "he" })).toBeCloseTo(Math.sqrt(2 / IN), 15);
    expect(initStd(layer, { scheme: "he", slope: 0.2 })).toBeCloseTo(Math.sqrt(2 / 1.04 / IN), 15);
    expect(initStd(layer, { scheme: "glorot" })).toBeCloseTo(Math.sqrt(2 / (IN + OUT)), 15);
    expect(initStd(layer, { scheme: "glorot", scale: 4 })).toBeCloseTo(
      4 * Math.sqrt(2 / (IN + OUT)),
      15,
    );
  });

  for (const scheme of ["he", "glorot"] as const) {
    for (const distribution of ["uniform", "normal"] as const) {
      it(`${scheme} ${distribution}: 60 000 draws have mean ≈ 0, the stated std, biases 0`, () => {
        const params = new Float64Array(layout.size).fill(7);
        initDense(layer, params, createRng(3), { scheme, distribution });
        const want = initStd(layer, { scheme });
        const s = stats(params);
        expect(Math.abs(s.mean)).toBeLessThan(5 * (want / Math.sqrt(IN * OUT)));
        expect(Math.abs(s.std / want - 1)).toBeLessThan(0.01);
        if (distribution === "uniform") expect(s.max).toBeLessThanOrEqual(Math.sqrt(3) * want);
        expect(Array.from(params.subarray(IN * OUT))).toEqual(new Array(OUT).fill(0));
      });
    }
  }

  it("is reproducible from the seed", () => {
    const a = new Float64Array(layout.size);
    const b = new Float64Array(layout.size);
    initDense(layer, a, createRng(11), { scheme: "he" });
    initDense(layer, b, createRng(11), { scheme: "he" });
    expect(sameBits(a, b)).toBe(true);
  });

  it("uses He for the relu family and Glorot for tanh, sigmoid and identity", () => {
    const pick = (n: Parameters<typeof activation>[0]) => schemeFor(activation(n));
    expect(["relu", "leaky-relu", "gelu", "softplus"].map((n) => pick(n as never))).toEqual([
      "he",
      "he",
      "he",
      "he",
    ]);
    expect(["tanh", "sigmoid", "identity"].map((n) => pick(n as never))).toEqual([
      "glorot",
      "glorot",
      "glorot",
    ]);
  });
});
