import { describe, expect, it } from "vitest";
import { compileFormula } from "../../../src/formula/compile.js";
import { fitGlobal } from "../../../src/nls/global/index.js";
import { findModel } from "../../../src/nls/library/registry.js";
import { fUpperTail } from "../../../src/nls/stats/compare-f-distribution.js";
import { twoSidedPValue } from "../../../src/nls/stats/index.js";
import { loadCase, R_GLOBAL } from "./global-cases.js";

const mm = findModel("michaelis-menten")!;
const curve = compileFormula(mm.formula, { params: mm.params, variables: mm.variables });
const { groups, specs } = loadCase(R_GLOBAL.cases.puromycin_mm_shared_Km!);

describe("fitGlobal refuses what it cannot fit, in the user's terms", () => {
  it("shared parameters with a single group", () => {
    expect(() => fitGlobal(curve, groups.slice(0, 1), specs)).toThrowErrorMatchingInlineSnapshot(
      `[InputError: global fit: shared parameters (Km) need at least two groups, got one (treated)]`,
    );
  });
  it("specs that do not match the model, duplicate groups, unknown options", () => {
    expect(() => fitGlobal(curve, groups, specs.slice(0, 1))).toThrow(
      "global fit: parameters given (Vmax) do not match the model's (Vmax, Km)",
    );
    expect(() => fitGlobal(curve, [groups[0]!, groups[0]!], specs)).toThrow(
      'global fit: group "treated" appears twice',
    );
    expect(() => fitGlobal(curve, groups, specs, { share: ["Km"] } as never)).toThrow(/share/);
    const bad = {
      ...groups[1]!,
      y: Float64Array.from(groups[1]!.y, (v, i) => (i === 2 ? Number.NaN : v)),
    };
    expect(() => fitGlobal(curve, [groups[0]!, bad], specs)).toThrow(
      'global fit: group "untreated": y at row 3 is NaN, not a finite number',
    );
  });
  it("a group that cannot be fitted on its own still joins the global fit, with the reason", () => {
    const tiny = {
      ...groups[1]!,
      columns: [groups[1]!.columns[0]!.slice(0, 1)],
      y: groups[1]!.y.slice(0, 1),
    };
    const fit = fitGlobal(curve, [groups[0]!, tiny], specs);
    expect(fit.starts[1]).toMatchObject({ group: "untreated", fitted: false });
    expect(fit.starts[1]!.reason).toMatch(/1 data points for 2 free parameters/);
    expect(fit.converged).toBe(true);
  });
});

describe("fUpperTail (the F test's p value)", () => {
  it("equals the two-sided t p value for F(1, d) = t²", () => {
    for (const [t, d] of [
      [0.3, 5],
      [2.1, 19],
      [7.5, 140],
    ] as const) {
      const p = fUpperTail(t * t, 1, d);
      expect(Math.abs(p - twoSidedPValue(t, d)) / p).toBeLessThan(1e-12);
    }
  });
  it("is 1 at F ≤ 0 and keeps tiny p values", () => {
    expect(fUpperTail(0, 3, 10)).toBe(1);
    expect(fUpperTail(-1e-12, 3, 10)).toBe(1);
    expect(fUpperTail(400, 10, 100)).toBeGreaterThan(0);
    expect(fUpperTail(400, 10, 100)).toBeLessThan(1e-70);
  });
});
