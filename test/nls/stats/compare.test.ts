import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fUpperTail } from "../../../src/nls/stats/compare-f-distribution.js";
import { compareModels, extraSumOfSquaresTest } from "../../../src/nls/stats/compare-models.js";
import {
  akaikeWeights,
  fitStats,
  informationOf,
  type ModelFitStats,
  pooledFitStats,
} from "../../../src/nls/stats/compare-stats.js";
import { twoSidedPValue } from "../../../src/nls/stats/student-t.js";
import { digits } from "../../helpers/r-reference.js";
import { column, libraryFit, readExample } from "../quality/library-fit.js";

interface RFit {
  model?: string;
  rss: number;
  df: number;
  n: number;
  AIC: number;
  AICc: number;
}
interface Anova {
  res_df: number[];
  rss: number[];
  df: number;
  ss: number;
  F: number;
  p_value: number;
}
interface Comparison {
  simple: RFit;
  complex: RFit;
  anova: Anova;
  delta_AICc: number;
  akaike_weight_simple: number;
  akaike_weight_complex: number;
  preferred_F: string;
  preferred_AICc: string;
}
const load = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/r/${name}`, import.meta.url), "utf8"));
const COMPARE = load("r-compare-reference.json") as {
  cases: {
    dnase1_4pl_vs_5pl: Comparison;
    dnase1_logistic_vs_4pl: Comparison;
    dnase_per_run_4pl_vs_5pl: { groups: Record<string, Comparison | { failed: true }> };
  };
};
const GLOBAL = load("r-global-reference.json") as {
  cases: Record<
    string,
    {
      shared: RFit;
      separate: RFit;
      anova: Anova;
      delta_AICc: number;
      akaike_weight_shared: number;
    }
  >;
};

const statsOf = (f: RFit): ModelFitStats => ({
  rss: f.rss,
  n: f.n,
  p: f.n - f.df,
  sumLogWeights: 0,
});

function expectMatchesR(
  out: ReturnType<typeof compareModels>,
  anova: Anova,
  digitsF: number,
): void {
  const f = out.fTest!;
  expect([f.dfNumerator, f.dfDenominator]).toEqual([anova.df, anova.res_df[1]]);
  expect(digits(f.F, anova.F)).toBeGreaterThanOrEqual(digitsF);
  expect(digits(f.pValue, anova.p_value)).toBeGreaterThanOrEqual(digitsF);
}

describe("compareModels against R's anova and AICc (r-compare-reference.json)", () => {
  const cases = COMPARE.cases;
  for (const key of ["dnase1_4pl_vs_5pl", "dnase1_logistic_vs_4pl"] as const) {
    it(`${key}: from R's fits, F, p, AICc, weights and the preferred model`, () => {
      const c = cases[key];
      const out = compareModels(
        { name: c.simple.model!, ...statsOf(c.simple) },
        { name: c.complex.model!, ...statsOf(c.complex) },
      );
      expectMatchesR(out, c.anova, 8);
      expect(digits(out.simple.aic, c.simple.AIC)).toBeGreaterThanOrEqual(10);
      expect(digits(out.complex.aicc!, c.complex.AICc)).toBeGreaterThanOrEqual(10);
      expect(digits(out.deltaAICc!, c.delta_AICc)).toBeGreaterThanOrEqual(9);
      expect(digits(out.simple.akaikeWeight!, c.akaike_weight_simple)).toBeGreaterThanOrEqual(9);
      expect(digits(out.complex.akaikeWeight!, c.akaike_weight_complex)).toBeGreaterThanOrEqual(9);
      expect([out.preferredByF, out.preferredByAICc]).toEqual([c.preferred_F, c.preferred_AICc]);
      expect(out.warnings).toEqual([]);
    });
  }

  it("end to end: biograd's own 4pl, 5pl and logistic fits of DNase run 1, F and p to 4 digits", () => {
    const rows = readExample("dnase.csv", (r) => r.run === "1");
    const x = column(rows, "log10conc");
    const y = column(rows, "density");
    const fits = Object.fromEntries(
      ["logistic", "4pl", "5pl"].map((m) => [m, libraryFit(m, x, y).fit]),
    );
    for (const [simple, complex, key] of [
      ["4pl", "5pl", "dnase1_4pl_vs_5pl"],
      ["logistic", "4pl", "dnase1_logistic_vs_4pl"],
    ] as const) {
      expect(fits[simple]!.converged && fits[complex]!.converged).toBe(true);
      const out = compareModels(
        { name: simple, ...fitStats(fits[simple]!) },
        { name: complex, ...fitStats(fits[complex]!) },
      );
      expectMatchesR(out, cases[key].anova, 4);
      expect(digits(out.deltaAICc!, cases[key].delta_AICc)).toBeGreaterThanOrEqual(4);
      expect(out.preferredByAICc).toBe(cases[key].preferred_AICc);
    }
  });

  it("per run (dnase_per_run_4pl_vs_5pl): every run R could compare, from R's fits", () => {
    let compared = 0;
    for (const [run, c] of Object.entries(cases.dnase_per_run_4pl_vs_5pl.groups)) {
      if ("failed" in c) continue;
      const out = compareModels(
        { name: "4pl", ...statsOf(c.simple) },
        { name: "5pl", ...statsOf(c.complex) },
      );
      expectMatchesR(out, c.anova, 8);
      expect(digits(out.deltaAICc!, c.delta_AICc), `run ${run}`).toBeGreaterThanOrEqual(9);
      expect(out.preferredByF).toBe(c.preferred_F);
      compared++;
    }
    expect(compared).toBe(9);
  });
});

describe("shared vs separate fits: R's anova and ΔAICc (r-global-reference.json)", () => {
  for (const [key, c] of Object.entries(GLOBAL.cases)) {
    it(key, () => {
      const out = compareModels(
        { name: "shared", ...statsOf(c.shared) },
        { name: "separate", ...statsOf(c.separate) },
      );
      expectMatchesR(out, c.anova, 8);
      expect(digits(out.fTest!.ss, c.anova.ss)).toBeGreaterThanOrEqual(8);
      // The fixture's ΔAICc is shared − separate, i.e. simple − complex.
      expect(digits(-out.deltaAICc!, c.delta_AICc)).toBeGreaterThanOrEqual(8);
      expect(digits(out.simple.akaikeWeight!, c.akaike_weight_shared)).toBeGreaterThanOrEqual(8);
      expect(digits(out.simple.aicc!, c.shared.AICc)).toBeGreaterThanOrEqual(10);
    });
  }

  it("pools per-group fits into the separate model (RSS, n, p add; one σ)", () => {
    const c = GLOBAL.cases.s_alba_hill4_shared_n!;
    const halves: ModelFitStats[] = [
      { rss: c.separate.rss * 0.3, n: 30, p: 4, sumLogWeights: 0 },
      { rss: c.separate.rss * 0.7, n: c.separate.n - 30, p: 4, sumLogWeights: 0 },
    ];
    const pooled = pooledFitStats(halves);
    expect(pooled).toEqual({ rss: c.separate.rss, n: c.separate.n, p: 8, sumLogWeights: 0 });
    expect(digits(informationOf(pooled).aicc!, c.separate.AICc)).toBeGreaterThanOrEqual(10);
  });
});

describe("comparison edge cases", () => {
  const a: ModelFitStats = { rss: 10, n: 20, p: 3, sumLogWeights: 0 };
  const b: ModelFitStats = { rss: 6, n: 20, p: 4, sumLogWeights: 0 };

  it("F by hand, and F(1, d) = t² against the t distribution", () => {
    const f = extraSumOfSquaresTest(a, b);
    expect(f.F).toBeCloseTo(4 / (6 / 16), 12);
    // P(F(1, d) ≥ t²) = P(|T_d| ≥ t), through stdlib's t cdf (a separate code path).
    for (const [t, d] of [
      [2, 16],
      [0.3, 5],
      [7.5, 40],
    ] as const) {
      expect(digits(fUpperTail(t * t, 1, d), twoSidedPValue(t, d))).toBeGreaterThanOrEqual(12);
    }
  });

  it("no F test for a pair declared non-nested; AICc weights still", () => {
    const out = compareModels({ name: "a", ...a }, { name: "b", ...b }, { nested: false });
    expect(out.fTest).toBeNull();
    expect(out.preferredByF).toBeNull();
    expect(out.preferredByAICc).toBe("b");
    expect(out.simple.akaikeWeight! + out.complex.akaikeWeight!).toBeCloseTo(1, 14);
  });

  it("warns when the complex model fits worse; refuses different data or wrong nesting", () => {
    const worse = compareModels({ name: "a", ...a }, { name: "b", ...b, rss: 11 });
    expect(worse.fTest!.pValue).toBe(1);
    expect(worse.warnings[0]).toMatch(/"b" fits worse .* did not reach its optimum/);
    expect(() => compareModels({ name: "a", ...a }, { name: "b", ...b, n: 19 })).toThrow(
      /different numbers of observations \(20 and 19\)/,
    );
    expect(() => extraSumOfSquaresTest(b, a)).toThrow(/fewer parameters than the complex one/);
  });

  it("Akaike weights are stable for large criteria and sum to 1", () => {
    const w = akaikeWeights([1e6, 1e6 + 2, 1e6 + 100]);
    expect(w[0]! / w[1]!).toBeCloseTo(Math.E, 12);
    expect(w.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
  });
});
