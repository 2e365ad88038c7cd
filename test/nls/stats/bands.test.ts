import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fitCurve } from "../../../src/nls/fit-curve.js";
import { bandModel, curveBands } from "../../../src/nls/stats/bands.js";
import { michaelisMenten } from "../../helpers/curves.js";

/** test/fixtures/lmfit/lmfit-bands-reference.json (make_lmfit_bands.py). */
interface Half {
  level: number;
  t_quantile: number;
  confidence_half_width: number[];
  prediction_half_width: number[];
}
const REF = JSON.parse(
  readFileSync(new URL("../../fixtures/lmfit/lmfit-bands-reference.json", import.meta.url), "utf8"),
) as {
  data: { x: number[]; y: number[] };
  fit: { estimate: number[]; cov: number[][]; sigma: number; df: number };
  grid: number[];
  fitted_on_grid: number[];
  se_fit: number[];
  hand: Record<"level_95" | "level_6827", Half>;
  lmfit: Record<"sigma_0.95" | "sigma_1", { prob: number; dely: number[] }>;
};

const grid = [Float64Array.from(REF.grid)];
/** The fixture's own fit (estimate, covariance) as the band model: isolates the band. */
const fixtureModel = {
  curve: michaelisMenten,
  theta: Float64Array.from(REF.fit.estimate),
  free: [0, 1],
  covariance: Float64Array.from(REF.fit.cov.flat()),
  sigma: REF.fit.sigma,
  df: REF.fit.df,
};

function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (b[i] === 0) expect(a[i]).toBe(0);
    else worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.abs(b[i]!));
  }
  return worst;
}

describe("curveBands (delta method) on Puromycin treated", () => {
  for (const key of ["level_95", "level_6827"] as const) {
    it(`matches the hand computation at ${key} to 1e-9`, () => {
      const hand = REF.hand[key];
      const b = curveBands(fixtureModel, grid, { level: hand.level });
      expect(Math.abs(b.tQuantile - hand.t_quantile)).toBeLessThan(1e-9);
      expect(relDiff(b.fitted, REF.fitted_on_grid)).toBeLessThan(1e-12);
      expect(relDiff(b.seFit, REF.se_fit)).toBeLessThan(1e-9);
      expect(relDiff(b.confidence.halfWidth, hand.confidence_half_width)).toBeLessThan(1e-9);
      expect(relDiff(b.prediction.halfWidth, hand.prediction_half_width)).toBeLessThan(1e-9);
      for (let i = 0; i < grid[0]!.length; i++) {
        expect(b.confidence.upper[i]! - b.fitted[i]!).toBeCloseTo(b.confidence.halfWidth[i]!, 10);
        expect(b.fitted[i]! - b.prediction.lower[i]!).toBeCloseTo(b.prediction.halfWidth[i]!, 10);
      }
    });
  }

  it("matches lmfit's eval_uncertainty to 2e-3 (its Jacobian is a finite difference)", () => {
    for (const [key, level] of [
      ["sigma_0.95", 0.95],
      ["sigma_1", REF.lmfit.sigma_1.prob],
    ] as const) {
      const b = curveBands(fixtureModel, grid, { level });
      const d = relDiff(b.confidence.halfWidth, REF.lmfit[key].dely);
      expect(d).toBeLessThan(2e-3);
      expect(d).toBeGreaterThan(1e-4); // the finite-difference gap the fixture documents
    }
  });

  it("from biograd's own fit, agrees with the hand band to 1e-7", () => {
    const data = {
      columns: [Float64Array.from(REF.data.x)],
      y: Float64Array.from(REF.data.y),
      weights: null,
    };
    const fit = fitCurve(michaelisMenten, data, [
      { name: "Vm", start: 200 },
      { name: "K", start: 0.05 },
    ]);
    const b = curveBands(bandModel(michaelisMenten, fit), grid);
    expect(relDiff(b.confidence.halfWidth, REF.hand.level_95.confidence_half_width)).toBeLessThan(
      1e-7,
    );
    expect(relDiff(b.prediction.halfWidth, REF.hand.level_95.prediction_half_width)).toBeLessThan(
      1e-7,
    );
  });

  it("widens the prediction band for a new point of lower weight (variance s²/w)", () => {
    const w = Float64Array.from(REF.grid, () => 0.25);
    const b = curveBands(fixtureModel, grid, { weights: w });
    const t = b.tQuantile;
    for (let i = 0; i < REF.grid.length; i++) {
      const expected = t * Math.sqrt(4 * REF.fit.sigma ** 2 + REF.se_fit[i]! ** 2);
      expect(b.prediction.halfWidth[i]! / expected).toBeCloseTo(1, 10);
    }
  });

  it("refuses a fit without a covariance, saying why", () => {
    const data = {
      columns: [Float64Array.from(REF.data.x)],
      y: Float64Array.from(REF.data.y),
      weights: null,
    };
    const fit = fitCurve(michaelisMenten, data, [
      { name: "Vm", start: 200 },
      { name: "K", start: 0.05, upper: 0.06 },
    ]);
    expect(() => bandModel(michaelisMenten, fit)).toThrow(
      /no confidence or prediction band: the fit has no covariance \(K is at a bound/,
    );
  });
});
