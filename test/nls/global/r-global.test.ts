import { describe, expect, it } from "vitest";
import { fitGlobalCompared, type GlobalFit } from "../../../src/nls/global/index.js";
import { digits } from "../../helpers/r-reference.js";
import { loadCase, R_GLOBAL, type RGlobalFit } from "./global-cases.js";

/** Estimates, SEs and RSS to 5 digits, df/n exactly, logLik/AIC/AICc/BIC to 6 (acceptance 2). */
function expectMatches(fit: GlobalFit, ref: RGlobalFit): void {
  const s = fit.summary;
  expect(fit.converged).toBe(true);
  expect([...s.names].sort()).toEqual([...ref.params].sort());
  expect(s.names).toEqual(ref.params); // R's order: per parameter, P or P[level] by level
  ref.params.forEach((name, j) => {
    expect(digits(s.estimates[j]!, ref.estimate[j]!), name).toBeGreaterThanOrEqual(5);
    expect(digits(fit.estimates[name]!, ref.estimate[j]!), name).toBeGreaterThanOrEqual(5);
    expect(digits(s.standardErrors![j]!, ref.std_error[j]!), `se ${name}`).toBeGreaterThanOrEqual(
      5,
    );
  });
  expect(digits(s.rss, ref.rss)).toBeGreaterThanOrEqual(5);
  expect(s.df).toBe(ref.df);
  expect(s.n).toBe(ref.n);
  expect(digits(s.sigma!, ref.sigma)).toBeGreaterThanOrEqual(5);
  for (const [mine, theirs] of [
    [s.logLik, ref.logLik],
    [s.aic, ref.AIC],
    [s.aicc!, ref.AICc],
    [s.bic, ref.BIC],
  ] as const) {
    expect(digits(mine, theirs)).toBeGreaterThanOrEqual(6);
  }
}

/** The group blocks of the covariance against R's vcov (where the fixture stores it). */
function expectCovariance(fit: GlobalFit, ref: RGlobalFit): void {
  if (ref.vcov === null) return;
  const cov = fit.summary.groupCovariance!;
  fit.groups.forEach((_, g) => {
    const names = fit.summary.groupParams[g]!;
    const q = names.length;
    names.forEach((a, i) => {
      names.forEach((b, j) => {
        const want = ref.vcov![ref.params.indexOf(a)]![ref.params.indexOf(b)]!;
        const got = cov[g]![i * q + j]!;
        // Off-diagonal entries can be near zero: relative to the diagonal scale.
        const scale = Math.sqrt(
          ref.vcov![ref.params.indexOf(a)]![ref.params.indexOf(a)]! *
            ref.vcov![ref.params.indexOf(b)]![ref.params.indexOf(b)]!,
        );
        expect(Math.abs(got - want) / scale, `${a},${b}`).toBeLessThan(1e-5);
      });
    });
  });
}

describe("fitGlobal against R nls with shared parameters (r-global-reference.json)", () => {
  for (const [name, c] of Object.entries(R_GLOBAL.cases)) {
    it(`${name}: shared and separate fits, F test and ΔAICc`, () => {
      const { curve, groups, specs } = loadCase(c);
      const { shared, separate, comparison } = fitGlobalCompared(curve, groups, specs);
      expectMatches(shared, c.shared);
      expectMatches(separate, c.separate);
      expectCovariance(shared, c.shared);
      expectCovariance(separate, c.separate);
      expect(shared.shared).toEqual([c.shared_params].flat());
      expect(comparison.dfShared).toBe(c.anova.res_df[0]);
      expect(comparison.dfSeparate).toBe(c.anova.res_df[1]);
      expect(comparison.df).toBe(c.anova.df);
      expect(digits(comparison.F, c.anova.F)).toBeGreaterThanOrEqual(4);
      expect(digits(comparison.p, c.anova.p_value)).toBeGreaterThanOrEqual(4);
      expect(digits(comparison.deltaAICc!, c.delta_AICc)).toBeGreaterThanOrEqual(4);
      expect(digits(comparison.akaikeWeightShared!, c.akaike_weight_shared)).toBeGreaterThanOrEqual(
        4,
      );
      expect(shared.warnings).toEqual([]);
    });
  }
});
