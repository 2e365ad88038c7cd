import { describe, expect, it } from "vitest";
import { ConstantModelTest, isFlat } from "../../../src/nls/quality/flat-test.js";
import { fUpperTail } from "../../../src/nls/stats/compare-f-distribution.js";

// isFlat decides P(F ≥ f) > α by a cached bracket of the critical F; it must give exactly the
// answer of fUpperTail(f) > α, near the threshold above all.
describe("isFlat", () => {
  const cases = [
    [3, 20, 0.05],
    [1, 1, 0.05],
    [4, 7, 0.01],
    [2, 500, 0.2],
    [3, 20, 0.05], // again: from the cache
  ] as const;

  it("equals fUpperTail(F) > alpha, across and at the critical F", () => {
    for (const [d1, d2, alpha] of cases) {
      // The critical F by bisection here, independently of the cache.
      let lo = 0;
      let hi = 1e6;
      for (let k = 0; k < 200; k++) {
        const mid = (lo + hi) / 2;
        if (fUpperTail(mid, d1, d2) <= alpha) hi = mid;
        else lo = mid;
      }
      const probes = [0, -1, 1e-300, 0.5, 1, 2, 1e3, 1e300, Number.POSITIVE_INFINITY, Number.NaN];
      for (const rel of [-1e-3, -1e-6, -1e-9, -1e-12, 0, 1e-12, 1e-9, 1e-6, 1e-3]) {
        probes.push(hi * (1 + rel), lo * (1 + rel));
      }
      let flat = 0;
      for (const f of probes) {
        const expected = fUpperTail(f, d1, d2) > alpha;
        expect(isFlat(f, d1, d2, alpha), `F = ${f}, (${d1}, ${d2}), α = ${alpha}`).toBe(expected);
        if (expected) flat++;
      }
      expect(flat).toBeGreaterThan(5);
      expect(flat).toBeLessThan(probes.length - 5);
    }
  });

  it("takes α outside (0, 1) and odd degrees of freedom exactly too", () => {
    for (const [f, d1, d2, alpha] of [
      [2, 3, 20, 1],
      [2, 3, 20, 0],
      [0, 3, 20, 1.5],
      [2, 0, 20, 0.05],
      [2, 3, Number.POSITIVE_INFINITY, 0.05],
    ] as const) {
      expect(isFlat(f, d1, d2, alpha)).toBe(fUpperTail(f, d1, d2) > alpha);
    }
  });
});

describe("ConstantModelTest", () => {
  it("reports the p value of the F test when read", () => {
    const t = new ConstantModelTest(100, 2.5, 3, 20);
    expect(t.tss).toBe(100);
    expect(t.F).toBe(2.5);
    expect(t.pValue).toBe(fUpperTail(2.5, 3, 20));
    expect(t.pValue).toBe(fUpperTail(2.5, 3, 20)); // read again: the same
  });
});
