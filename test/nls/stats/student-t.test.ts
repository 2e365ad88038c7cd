import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { studentTCdf, studentTQuantile, twoSidedPValue } from "../../../src/nls/stats/student-t.js";

/** Against scipy.stats.t (fixtures/make_student_t.py → fixtures/student-t.json). */
interface Fixture {
  source: string;
  cdf: { t: number; df: number; value: number }[];
  twoSided: { t: number; df: number; value: number }[];
  quantile: { q: number; df: number; value: number }[];
  quantileByDf: { q: number; df: number; value: number }[];
}

const fixture: Fixture = JSON.parse(
  readFileSync(new URL("./fixtures/student-t.json", import.meta.url), "utf8"),
);

const relErr = (x: number, ref: number) =>
  ref === 0 ? Math.abs(x) : Math.abs(x - ref) / Math.abs(ref);

describe(`Student t against ${fixture.source}`, () => {
  test("cdf to 1e-13 relative", () => {
    for (const c of fixture.cdf) {
      expect(relErr(studentTCdf(c.t, c.df), c.value), `cdf(${c.t}, ${c.df})`).toBeLessThan(1e-13);
    }
  });

  test("two-sided p values to 1e-13 relative, including tiny ones", () => {
    for (const c of fixture.twoSided) {
      expect(relErr(twoSidedPValue(c.t, c.df), c.value), `p(${c.t}, ${c.df})`).toBeLessThan(1e-13);
    }
    expect(fixture.twoSided.some((c) => c.value < 1e-30)).toBe(true);
  });

  test("quantile to 1e-13 relative", () => {
    for (const c of fixture.quantile) {
      expect(relErr(studentTQuantile(c.q, c.df), c.value), `q(${c.q}, ${c.df})`).toBeLessThan(
        1e-13,
      );
    }
  });

  test("quantiles at every df 1…300 to 1e-13 relative, the same when asked again (cached)", () => {
    for (const c of fixture.quantileByDf) {
      const first = studentTQuantile(c.q, c.df);
      expect(relErr(first, c.value), `q(${c.q}, ${c.df})`).toBeLessThan(1e-13);
      expect(studentTQuantile(c.q, c.df)).toBe(first);
    }
  });

  test("quantile and cdf are inverse to each other, on both sides", () => {
    for (const df of [1, 2, 3, 4.5, 9, 40, 2000]) {
      for (const q of [1e-12, 0.01, 0.3, 0.5, 0.7, 0.999]) {
        expect(relErr(studentTCdf(studentTQuantile(q, df), df), q), `${q}, ${df}`).toBeLessThan(
          1e-13,
        );
      }
    }
  });

  test("edge values", () => {
    expect(studentTQuantile(0, 4)).toBe(Number.NEGATIVE_INFINITY);
    expect(studentTQuantile(1, 4)).toBe(Number.POSITIVE_INFINITY);
    expect(studentTQuantile(0.5, 4)).toBe(0);
    expect(studentTQuantile(Number.NaN, 4)).toBeNaN();
    expect(studentTCdf(0, 3)).toBe(0.5);
    expect(studentTCdf(-1e200, 3)).toBe(0); // ≈ 1e-600 underflows
    expect(studentTCdf(1e200, 3)).toBe(1);
    expect(twoSidedPValue(Number.POSITIVE_INFINITY, 5)).toBe(0);
    expect(twoSidedPValue(0, 5)).toBe(1);
    expect(twoSidedPValue(Number.NaN, 5)).toBeNaN();
    expect(studentTQuantile(0.975, 12)).toBeCloseTo(2.178812829667228, 14);
  });
});
