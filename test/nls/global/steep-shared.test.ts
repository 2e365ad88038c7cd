import { describe, expect, it } from "vitest";
import { fitGlobal, fitGlobalCompared } from "../../../src/nls/global/index.js";
import { digits } from "../../helpers/r-reference.js";
import { expectCovariance, expectMatches } from "./expect-global.js";
import { loadCase, STEEP_GLOBAL } from "./global-cases.js";
import { fourPlScreen } from "./simulate.js";

const steep = STEEP_GLOBAL.cases.steep_4pl_shared_hill!;

describe("a shared hill on a screen with steep self-starts (scipy multistart reference)", () => {
  it("the fixture's rows are the simulated screen of the plateau case", () => {
    const { groups } = loadCase(steep);
    const sim = fourPlScreen(11, { seed: 882263, hill: -1.4428537604476028, sd: 3 }).groups;
    expect(groups.map((g) => g.name)).toEqual(sim.map((g) => g.name));
    groups.forEach((g, i) => {
      expect([...g.columns[0]!]).toEqual([...sim[i]!.columns[0]!]);
      expect([...g.y]).toEqual([...sim[i]!.y]);
    });
    // Group c11 starts on the plateau: its self-start hill is steep, its EC50 between doses.
    expect(groups[10]!.start!.hill).toBeLessThan(-12);
  });

  it("shared and separate fits, F test and ΔAICc match to 5 (F, p: 4) digits", () => {
    const { curve, groups, specs } = loadCase(steep);
    const { shared, separate, comparison } = fitGlobalCompared(curve, groups, specs);
    expectMatches(shared, steep.shared);
    expectMatches(separate, steep.separate);
    expectCovariance(shared, steep.shared);
    expectCovariance(separate, steep.separate);
    expect(comparison.df).toBe(steep.anova.df);
    expect(digits(comparison.F, steep.anova.F)).toBeGreaterThanOrEqual(4);
    expect(digits(comparison.p, steep.anova.p_value)).toBeGreaterThanOrEqual(4);
    expect(digits(comparison.deltaAICc!, steep.delta_AICc)).toBeGreaterThanOrEqual(4);
  });

  // Without the per-group fits the block LM itself must leave the plateau: from the raw
  // self-starts (the shared hill at the spec's start), and with every group at c11's hill.
  it.each([
    ["the raw self-starts", null],
    ["a steep shared start (hill −12.26 for all groups)", -12.264088901445142],
  ])("reaches the same optimum from %s", (_, hill) => {
    const { curve, groups, specs } = loadCase(steep);
    const from = specs.map((s) => (s.name === "hill" && hill !== null ? { ...s, start: hill } : s));
    const fit = fitGlobal(curve, groups, from, { perGroupStarts: false });
    expectMatches(fit, steep.shared);
  });
});
