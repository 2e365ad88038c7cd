import { describe, expect, it } from "vitest";
import { looksOptimal, observableFits } from "../../../src/ode/fit/explained.js";
import { fitOde } from "../../../src/ode/fit/fit-ode.js";
import type { OdeCurve } from "../../../src/ode/fit/ode-curve.js";
import type { ResidualLayout } from "../../../src/ode/fit/residual-layout.js";
import { loadSetup } from "../../../src/ode/fit/setup.js";

/** A curve that returns fixed values, over a layout of one or two observables. */
function fixed(values: number[], y: number[], obs: number[]) {
  const curve = {
    params: ["a"],
    variables: ["t"],
    evaluate: (_t: Float64Array, _c: readonly Float64Array[], n: number, f: Float64Array) => {
      for (let k = 0; k < n; k++) f[k] = values[k]!;
    },
    failures: { count: 0, last: null },
    integrations: { count: 0, withSensitivities: 0 },
  } satisfies OdeCurve;
  const layout: ResidualLayout = {
    n: y.length,
    row: Uint32Array.from(y, (_, k) => k),
    obs: Uint32Array.from(obs),
    y: Float64Array.from(y),
    t: Float64Array.from(y, (_, k) => k),
    weights: null,
  };
  return { curve, layout };
}

describe("observableFits / looksOptimal", () => {
  it("computes R² and the Wald–Wolfowitz z per observable", () => {
    // Observable 0: residuals + + + − − − (2 runs; a = b = 3: μ = 4, σ² = 1.2).
    // Observable 1: residuals alternate (6 runs: z = +1.826).
    const y = [1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6];
    const values = [0, 1, 2, 5, 6, 7, 0, 3, 2, 5, 4, 7];
    const { curve, layout } = fixed(values, y, [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    const [a, b] = observableFits(curve, layout, 2, Float64Array.of(0));
    expect(a!.runsZ).toBeCloseTo(-2 / Math.sqrt(1.2), 12);
    expect(b!.runsZ).toBeCloseTo(2 / Math.sqrt(1.2), 12);
    // Σ(y − ȳ)² = 17.5 for 1…6, RSS = 6.
    expect(a!.r2).toBeCloseTo(1 - 6 / 17.5, 12);
    expect(looksOptimal([a!, b!])).toBe(true);
    expect(looksOptimal([{ r2: 0.49, runsZ: 0 }])).toBe(false);
    expect(looksOptimal([{ r2: 0.9, runsZ: -2.6 }])).toBe(false);
    // Too few cells for the runs test: R² alone decides.
    expect(looksOptimal([{ r2: 0.9, runsZ: Number.NaN }])).toBe(true);
  });

  it("treats residuals of one sign as a bias and an observable without variation as unexplained", () => {
    const { curve, layout } = fixed([0, 1, 2, 5], [1, 2, 3, 6], [0, 0, 0, 0]);
    const [a] = observableFits(curve, layout, 1, Float64Array.of(0));
    expect(a!.runsZ).toBe(Number.NEGATIVE_INFINITY);
    expect(looksOptimal([a!])).toBe(false);
    const flat = fixed([1, 1, 1], [2, 2, 2], [0, 0, 0]);
    const [c] = observableFits(flat.curve, flat.layout, 1, Float64Array.of(0));
    expect(c!.r2).toBeNaN();
    expect(looksOptimal([c!])).toBe(false);
  });

  it("needs the runs test: LM from a far start runs the yeast culture's capacity off to ∞ with R² 0.8", () => {
    const { model, data } = loadSetup({
      model: { file: "examples/ode/yeast-logistic.yaml" },
      overrides: { start: { r: 0.05, K: 60, N0: 1 } },
      data: { file: "examples/ode/yeast-carlson.csv", time: "t" },
      solve: {},
    });
    const alone = fitOde(model, data, { continuation: false, firstOrder: false });
    expect(alone.fit.converged).toBe(true);
    expect(alone.fit.estimates.K!).toBeGreaterThan(1e10);
    const [o] = observableFits(alone.curve, alone.layout, 1, alone.fit.theta);
    expect(o!.r2).toBeGreaterThan(0.5);
    expect(o!.runsZ).toBeLessThan(-3);
    // The default pipeline therefore goes on and reaches the optimum (RSS 194.325378).
    const full = fitOde(model, data);
    expect(full.fit.rss).toBeCloseTo(194.325378, 4);
    expect(full.fit.estimates.K!).toBeCloseTo(663.022, 2);
  }, 60_000);
});
