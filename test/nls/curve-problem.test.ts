import { describe, expect, it } from "vitest";
import { curveProblem } from "../../src/nls/curve-problem.js";
import { firstOrder } from "../../src/nls/first-order.js";
import { parameterise, toInternal } from "../../src/nls/parameters.js";
import { sgd } from "../../src/transforms/optimizers.js";
import { expDecay } from "../helpers/curves.js";
import { centralDifferences, maxRelativeError } from "../helpers/finite-diff.js";

const x = Float64Array.from({ length: 12 }, (_, i) => i * 0.5);
const y = Float64Array.from(x, (v) => 5 * Math.exp(-0.8 * v) + 0.01 * Math.sin(7 * v));

describe("curve problem", () => {
  it("the Jacobian in internal coordinates matches finite differences (weights, bounds, fixed)", () => {
    const weights = Float64Array.from(x, (v) => 1 + v);
    for (const specs of [
      [
        { name: "A", start: 3 },
        { name: "k", start: 0.5, lower: 0 },
      ],
      [
        { name: "A", start: 3, lower: 1, upper: 10 },
        { name: "k", start: 0.5 },
      ],
      [
        { name: "A", start: 5, fixed: true },
        { name: "k", start: 0.5, upper: 3 },
      ],
    ]) {
      const param = parameterise(specs);
      const prob = curveProblem(expDecay, { columns: [x], y, weights }, param);
      const phi = toInternal(param);
      const r = new Float64Array(prob.n);
      const jac = new Float64Array(prob.n * prob.p);
      prob.residuals(phi, r, jac);
      for (let i = 0; i < prob.n; i++) {
        const row = (t: Float64Array) => {
          const rr = new Float64Array(prob.n);
          prob.residuals(t, rr, null);
          return rr[i]!;
        };
        const fd = centralDifferences(row, phi, 1e-6);
        expect(maxRelativeError(jac.subarray(i * prob.p, (i + 1) * prob.p), fd)).toBeLessThan(1e-6);
      }
    }
  });

  it("first-order phase: clipped Adam gets close from poor starts; plain gradient descent stalls", () => {
    // Both parameters positive (log coordinates). From ×10 starts the curve exp(−8x) is flat
    // at every x > 0: the gradient almost vanishes and plain GD stops far from the optimum,
    // while Adam's per-coordinate normalisation (with the clip capping its first steps) walks out.
    for (const [A, k] of [
      [0.05, 0.008],
      [50, 8],
    ]) {
      const param = parameterise([
        { name: "A", start: A!, lower: 0 },
        { name: "k", start: k!, lower: 0 },
      ]);
      const prob = curveProblem(expDecay, { columns: [x], y, weights: null }, param);
      const result = firstOrder(prob, toInternal(param), { maxSteps: 4000 });
      expect(result.loss).toBeLessThan(1e-3);
    }
    const param = parameterise([
      { name: "A", start: 50, lower: 0 },
      { name: "k", start: 8, lower: 0 },
    ]);
    const prob = curveProblem(expDecay, { columns: [x], y, weights: null }, param);
    const plain = firstOrder(prob, toInternal(param), {
      maxSteps: 4000,
      transform: sgd({ lr: 0.1 }),
    });
    expect(plain.loss).toBeGreaterThan(1);
  });
});
