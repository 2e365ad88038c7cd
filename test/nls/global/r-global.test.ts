import { describe, expect, it } from "vitest";
import { fitGlobalCompared } from "../../../src/nls/global/index.js";
import { digits } from "../../helpers/r-reference.js";
import { expectCovariance, expectMatches } from "./expect-global.js";
import { loadCase, R_GLOBAL } from "./global-cases.js";

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
