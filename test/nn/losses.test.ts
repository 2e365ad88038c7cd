import { describe, expect, it } from "vitest";
import { bceWithLogitsLoss } from "../../src/nn/losses/binary.js";
import { huberLoss, mseLoss } from "../../src/nn/losses/regression.js";
import { softmaxCrossEntropyLoss } from "../../src/nn/losses/softmax.js";
import { numericGradient, randomBuffer, relativeError } from "./reference.js";

/** A loss as a function of its outputs: (out, dOut) → loss. */
type Loss = (out: Float64Array, dOut: Float64Array) => number;

function gradientError(loss: Loss, out: Float64Array): number {
  const d = new Float64Array(out.length);
  loss(out, d);
  const scratch = new Float64Array(out.length);
  return relativeError(
    d,
    numericGradient((o) => loss(o, scratch), out),
  );
}

const labels = (rows: number, classes: number, seed: number) =>
  randomBuffer(rows, seed).map((v) => Math.floor(Math.abs(v * 7919)) % classes);

describe("losses: ∂loss/∂output matches central differences (rel. error < 1e-6)", () => {
  for (const rows of [1, 3, 17]) {
    const out = randomBuffer(rows, rows, 2);
    const t = randomBuffer(rows, rows + 1, 2);
    it(`MSE, ${rows} rows`, () => {
      expect(gradientError((o, d) => mseLoss(o, t, rows, d), out)).toBeLessThan(1e-6);
    });
    it(`Huber δ = 0.7 (both branches), ${rows} rows`, () => {
      expect(gradientError((o, d) => huberLoss(o, t, rows, d, 0.7), out)).toBeLessThan(1e-6);
    });
    const bits = t.map((v) => (v > 0 ? 1 : 0));
    const soft = t.map((v) => 1 / (1 + Math.exp(-v)));
    it(`BCE from logits (0/1 and soft targets, class weights), ${rows} rows`, () => {
      const w = Float64Array.of(0.3, 2.5);
      expect(gradientError((o, d) => bceWithLogitsLoss(o, bits, rows, d), out)).toBeLessThan(1e-6);
      expect(gradientError((o, d) => bceWithLogitsLoss(o, soft, rows, d), out)).toBeLessThan(1e-6);
      expect(gradientError((o, d) => bceWithLogitsLoss(o, bits, rows, d, w), out)).toBeLessThan(
        1e-6,
      );
    });
    for (const k of [3, 5]) {
      it(`softmax cross-entropy, K = ${k} (with and without class weights), ${rows} rows`, () => {
        const logits = randomBuffer(rows * k, rows + k, 3);
        const y = labels(rows, k, rows * k);
        const w = Float64Array.from({ length: k }, (_, j) => 0.5 + j);
        expect(
          gradientError((o, d) => softmaxCrossEntropyLoss(o, y, rows, k, d), logits),
        ).toBeLessThan(1e-6);
        expect(
          gradientError((o, d) => softmaxCrossEntropyLoss(o, y, rows, k, d, w), logits),
        ).toBeLessThan(1e-6);
      });
    }
  }
});

describe("loss values", () => {
  const d = new Float64Array(8);

  it("MSE and Huber are the means of their definitions (no ½ in MSE)", () => {
    const p = Float64Array.of(1, 2, 5);
    const t = Float64Array.of(0, 2, 2);
    expect(mseLoss(p, t, 3, d)).toBeCloseTo((1 + 0 + 9) / 3, 15);
    expect(Array.from(d.subarray(0, 3))).toEqual([2 / 3, 0, 2]);
    // δ = 1: r = 1 → ½; r = 3 → 1·(3 − ½) = 2.5; mean (0.5 + 0 + 2.5)/3.
    expect(huberLoss(p, t, 3, d, 1)).toBeCloseTo(1, 15);
    expect(Array.from(d.subarray(0, 3))).toEqual([1 / 3, 0, 1 / 3]);
  });

  it("BCE: log 2 at z = 0, stable at |z| = 1000, and the weighted mean Σ w·l / Σ w", () => {
    expect(bceWithLogitsLoss(Float64Array.of(0), Float64Array.of(1), 1, d)).toBe(Math.LN2);
    expect(bceWithLogitsLoss(Float64Array.of(1000, -1000), Float64Array.of(1, 0), 2, d)).toBe(0);
    expect(bceWithLogitsLoss(Float64Array.of(-1000), Float64Array.of(1), 1, d)).toBe(1000);
    expect(d[0]).toBe(-1);
    const z = Float64Array.of(0.3, -1.2, 2);
    const t = Float64Array.of(1, 0, 0);
    const l = (zi: number, ti: number) =>
      -ti * Math.log(1 / (1 + Math.exp(-zi))) - (1 - ti) * Math.log(1 - 1 / (1 + Math.exp(-zi)));
    const w = [0.5, 3]; // [negative, positive]
    const want = (3 * l(0.3, 1) + 0.5 * l(-1.2, 0) + 0.5 * l(2, 0)) / (3 + 0.5 + 0.5);
    expect(bceWithLogitsLoss(z, t, 3, d, Float64Array.from(w))).toBeCloseTo(want, 14);
  });

  it("softmax CE: log K at equal logits, stable at logits ±1000, weighted mean Σ w_y·l / Σ w_y", () => {
    expect(
      softmaxCrossEntropyLoss(Float64Array.of(5, 5, 5), Float64Array.of(2), 1, 3, d),
    ).toBeCloseTo(Math.log(3), 15);
    expect(
      softmaxCrossEntropyLoss(Float64Array.of(1000, -1000, 0), Float64Array.of(0), 1, 3, d),
    ).toBe(0);
    expect(
      softmaxCrossEntropyLoss(Float64Array.of(1000, -1000, 0), Float64Array.of(1), 1, 3, d),
    ).toBe(2000);
    const z = Float64Array.of(1, 2, 3, 0, 0, 1);
    const y = Float64Array.of(2, 0);
    const lse = (a: number, b: number, c: number) =>
      Math.log(Math.exp(a) + Math.exp(b) + Math.exp(c));
    const w = Float64Array.of(4, 1, 0.5);
    const want = (0.5 * (lse(1, 2, 3) - 3) + 4 * (lse(0, 0, 1) - 0)) / (0.5 + 4);
    expect(softmaxCrossEntropyLoss(z, y, 2, 3, d, w)).toBeCloseTo(want, 14);
  });

  it("a batch whose weights sum to 0 has loss 0 and gradient 0 (not 0/0)", () => {
    d.fill(9);
    expect(
      bceWithLogitsLoss(Float64Array.of(0.4), Float64Array.of(1), 1, d, Float64Array.of(1, 0)),
    ).toBe(0);
    expect(d[0] === 0).toBe(true); // ±0
    expect(
      softmaxCrossEntropyLoss(
        Float64Array.of(1, 2, 3),
        Float64Array.of(1),
        1,
        3,
        d,
        Float64Array.of(1, 0, 1),
      ),
    ).toBe(0);
  });

  it("chunks with the whole batch's scale add up to the batch loss and gradient", () => {
    const z = randomBuffer(10, 1);
    const t = z.map((_, i) => (i % 3 === 0 ? 1 : 0));
    const w = Float64Array.of(1, 4);
    const whole = new Float64Array(10);
    const total = bceWithLogitsLoss(z, t, 10, whole, w);
    const wsum = Array.from(t).reduce((s, ti) => s + (ti ? 4 : 1), 0);
    const parts = new Float64Array(10);
    const first = bceWithLogitsLoss(z, t, 4, parts, w, 1 / wsum);
    const second = bceWithLogitsLoss(
      z.subarray(4),
      t.subarray(4),
      6,
      parts.subarray(4),
      w,
      1 / wsum,
    );
    expect(first + second).toBeCloseTo(total, 15);
    expect(relativeError(parts, whole)).toBeLessThan(1e-15);
  });

  it("rejects labels that are not class indices, naming the row", () => {
    expect(() =>
      softmaxCrossEntropyLoss(Float64Array.of(1, 2, 3, 4, 5, 6), Float64Array.of(0, 3), 2, 3, d),
    ).toThrow("softmaxCrossEntropyLoss: labels[1] is 3; expected a class index 0..2");
    expect(() => huberLoss(d, d, 1, d, 0)).toThrow(/delta must be a finite number > 0/);
  });
});
