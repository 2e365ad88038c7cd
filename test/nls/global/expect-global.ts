import { expect } from "vitest";
import type { GlobalFit } from "../../../src/nls/global/index.js";
import { digits } from "../../helpers/r-reference.js";
import type { RGlobalFit } from "./global-cases.js";

/**
 * Checks of a global fit against a reference fit in r-global-reference.json's layout (R's nls,
 * or scipy's multistart for the constructed steep case), shared by the reference tests.
 */

/** Estimates, SEs and RSS to 5 digits, df/n exactly, logLik/AIC/AICc/BIC to 6 (acceptance 2). */
export function expectMatches(fit: GlobalFit, ref: RGlobalFit): void {
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
export function expectCovariance(fit: GlobalFit, ref: RGlobalFit): void {
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
