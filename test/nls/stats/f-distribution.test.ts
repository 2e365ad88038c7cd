import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { fUpperTail } from "../../../src/nls/stats/compare-f-distribution.js";
import { incompleteBeta } from "../../../src/nls/stats/incomplete-beta.js";
import { logBeta, logGamma } from "../../../src/nls/stats/log-gamma.js";

/** Against scipy (fixtures/make_f_distribution.py → fixtures/f-distribution.json). */
interface Fixture {
  source: string;
  fUpper: { f: number; d1: number; d2: number; value: number }[];
  betainc: { a: number; b: number; x: number; value: number }[];
}

const fixture: Fixture = JSON.parse(
  readFileSync(new URL("./fixtures/f-distribution.json", import.meta.url), "utf8"),
);

/** Relative, except among subnormal numbers (below 1e-300), where only absolute makes sense. */
const relErr = (x: number, ref: number) =>
  Math.abs(ref) < 1e-300 ? Math.abs(x - ref) * 1e300 : Math.abs(x - ref) / Math.abs(ref);

describe(`F distribution and incomplete beta against ${fixture.source}`, () => {
  test("P(F ≥ f) to 1e-12 relative, tiny tails included", () => {
    for (const c of fixture.fUpper) {
      const got = fUpperTail(c.f, c.d1, c.d2);
      expect(relErr(got, c.value), `sf(${c.f}; ${c.d1}, ${c.d2}) = ${got}`).toBeLessThan(1e-12);
    }
    expect(fixture.fUpper.some((c) => c.value > 0 && c.value < 1e-50)).toBe(true);
  });

  test("I_x(a, b) to 1e-12 relative for small, large and lopsided a, b", () => {
    for (const c of fixture.betainc) {
      const got = incompleteBeta(c.a, c.b, c.x, 1 - c.x);
      expect(relErr(got, c.value), `I(${c.x}; ${c.a}, ${c.b}) = ${got}`).toBeLessThan(1e-12);
    }
  });

  test("closed forms: I_x(a, 1) = x^a, I_x(1, b) = 1 − (1 − x)^b, F(1, d) = t(d)²", () => {
    for (const x of [0.01, 0.3, 0.77]) {
      expect(relErr(incompleteBeta(3.5, 1, x, 1 - x), x ** 3.5)).toBeLessThan(1e-14);
      expect(relErr(incompleteBeta(1, 25, x, 1 - x), 1 - (1 - x) ** 25)).toBeLessThan(1e-14);
    }
    // Γ(n) = (n − 1)! and B(a, b) = Γ(a)Γ(b)/Γ(a + b) on both sides of the Stirling cut.
    expect(relErr(logGamma(6), Math.log(120))).toBeLessThan(1e-15);
    expect(relErr(logGamma(21), Math.log(2432902008176640000))).toBeLessThan(1e-15);
    expect(relErr(logGamma(0.5), 0.5 * Math.log(Math.PI))).toBeLessThan(1e-14);
    expect(relErr(logBeta(30, 0.5), logGamma(30) + logGamma(0.5) - logGamma(30.5))).toBeLessThan(
      1e-14,
    );
  });

  test("edge values", () => {
    expect(fUpperTail(0, 2, 5)).toBe(1);
    expect(fUpperTail(-3, 2, 5)).toBe(1);
    expect(fUpperTail(Number.POSITIVE_INFINITY, 2, 5)).toBe(0);
    expect(fUpperTail(Number.NaN, 2, 5)).toBeNaN();
    expect(incompleteBeta(2, 3, 0, 1)).toBe(0);
    expect(incompleteBeta(2, 3, 1, 0)).toBe(1);
  });
});
