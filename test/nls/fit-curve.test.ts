import { describe, expect, it } from "vitest";
import { fitCurve } from "../../src/nls/fit-curve.js";
import { michaelisMenten } from "../helpers/curves.js";
import { digits, R_REFERENCE } from "../helpers/r-reference.js";

const puromycin = R_REFERENCE.cases.puromycin_treated_mm!;

describe("fitCurve (hand-written curve, independent of the formula compiler)", () => {
  it("reproduces R nls on Puromycin (treated) to >= 6 digits, with the nls summary", () => {
    const fit = fitCurve(
      michaelisMenten,
      {
        columns: [Float64Array.from(puromycin.data.x)],
        y: Float64Array.from(puromycin.data.y),
        weights: null,
      },
      [
        { name: "Vm", start: puromycin.start.Vm!, lower: 0 },
        { name: "K", start: puromycin.start.K!, lower: 0 },
      ],
    );
    expect(fit.converged).toBe(true);
    // R's start is good: LM from it converges with R² ≥ 0.5, so the clipped phase is skipped.
    expect(fit.phases.map((p) => [p.phase, p.from])).toEqual([["levenberg-marquardt", "start"]]);
    expect(fit.phases.filter((p) => p.chosen)).toHaveLength(1);
    const s = fit.summary;
    for (let j = 0; j < 2; j++) {
      expect(digits(s.estimates[j]!, puromycin.estimate[j]!)).toBeGreaterThanOrEqual(6);
      expect(digits(s.standardErrors![j]!, puromycin.std_error[j]!)).toBeGreaterThanOrEqual(5);
      expect(digits(s.tValues![j]!, puromycin.t_value[j]!)).toBeGreaterThanOrEqual(5);
      expect(digits(s.pValues![j]!, puromycin.p_value[j]!)).toBeGreaterThanOrEqual(4);
    }
    expect(digits(fit.rss, puromycin.rss)).toBeGreaterThanOrEqual(9);
    expect(digits(s.sigma!, puromycin.sigma)).toBeGreaterThanOrEqual(8);
    expect(s.df).toBe(puromycin.df);
    expect(digits(s.aic, puromycin.AIC)).toBeGreaterThanOrEqual(8);
    expect(digits(s.bic, puromycin.BIC)).toBeGreaterThanOrEqual(8);
    expect(digits(s.correlation![1]!, puromycin.correlation[0]![1]!)).toBeGreaterThanOrEqual(5);
    expect(fit.warnings).toEqual([]);
  });

  it("from starts x10 and /10 still converges to the same optimum", () => {
    for (const f of [10, 0.1]) {
      const fit = fitCurve(
        michaelisMenten,
        {
          columns: [Float64Array.from(puromycin.data.x)],
          y: Float64Array.from(puromycin.data.y),
          weights: null,
        },
        [
          { name: "Vm", start: puromycin.start.Vm! * f, lower: 0 },
          { name: "K", start: puromycin.start.K! * f, lower: 0 },
        ],
      );
      expect(fit.converged).toBe(true);
      expect(digits(fit.estimates.Vm!, puromycin.estimate[0]!)).toBeGreaterThanOrEqual(6);
      expect(digits(fit.estimates.K!, puromycin.estimate[1]!)).toBeGreaterThanOrEqual(6);
    }
  });

  it("a fixed parameter stays put and is left out of the summary", () => {
    const fit = fitCurve(
      michaelisMenten,
      {
        columns: [Float64Array.from(puromycin.data.x)],
        y: Float64Array.from(puromycin.data.y),
        weights: null,
      },
      [
        { name: "Vm", start: 200, fixed: true },
        { name: "K", start: 0.05, lower: 0 },
      ],
    );
    expect(fit.estimates.Vm).toBe(200);
    expect(fit.summary.names).toEqual(["K"]);
    expect(fit.fixed).toEqual(["Vm"]);
  });

  it("rejects too few points, constant x, and parameter lists that do not match", () => {
    const x = Float64Array.of(1, 1, 1);
    const y = Float64Array.of(1, 2, 3);
    const specs = [
      { name: "Vm", start: 1 },
      { name: "K", start: 1 },
    ];
    expect(() => fitCurve(michaelisMenten, { columns: [x], y, weights: null }, specs)).toThrow(
      'fit: every value of "x" is 1; the curve cannot be fitted when x does not vary',
    );
    expect(() =>
      fitCurve(
        michaelisMenten,
        { columns: [Float64Array.of(1)], y: Float64Array.of(1), weights: null },
        specs,
      ),
    ).toThrow("fit: 1 data points for 2 free parameters");
    expect(() =>
      fitCurve(michaelisMenten, { columns: [x], y, weights: null }, [{ name: "Vm", start: 1 }]),
    ).toThrow("do not match the model's (Vm, K)");
  });
});
