import { describe, expect, it } from "vitest";
import { compileFormula } from "../../../src/formula/compile.js";
import { fitGlobal } from "../../../src/nls/global/index.js";
import { findModel } from "../../../src/nls/library/registry.js";
import { fourPlScreen } from "./simulate.js";

const model = findModel("4pl")!;
const curve = compileFormula(model.formula, { params: model.params, variables: model.variables });

function screen(count: number) {
  const { groups, truth } = fourPlScreen(count, { seed: 7, hill: -1, sd: 3 });
  for (const g of groups) g.start = model.selfStart(g.columns, g.y);
  const specs = model.params.map((name) => ({ name, start: -1, shared: name === "hill" }));
  return { groups, truth, specs };
}

describe("a global fit over thousands of groups", () => {
  it("fits 2,000 4PL curves with a shared hill in seconds, recovering the common slope", () => {
    const { groups, truth, specs } = screen(2000);
    const t0 = performance.now();
    const fit = fitGlobal(curve, groups, specs, { groupFit: { firstOrder: false } });
    const seconds = (performance.now() - t0) / 1000;
    expect(fit.converged).toBe(true);
    expect(fit.starts.every((s) => s.fitted)).toBe(true);
    expect(fit.summary.p).toBe(1 + 3 * 2000);
    const k = fit.summary.names.indexOf("hill");
    const se = fit.summary.standardErrors![k]!;
    expect(Math.abs(fit.estimates.hill! + 1)).toBeLessThan(4 * se); // truth −1
    expect(Math.abs(fit.estimates["logEC50[c17]"]! - truth.logEC50[16]!)).toBeLessThan(0.2);
    expect(seconds).toBeLessThan(20); // ~2.5 s alone on one core (incl. 2,000 per-group fits)
  }, 60_000);

  it("costs time linear in the number of groups (a dense Jacobian would be quadratic)", () => {
    const time = (count: number) => {
      const { groups, specs } = screen(count);
      const t0 = performance.now();
      const fit = fitGlobal(curve, groups, specs, { perGroupStarts: false });
      expect(fit.converged).toBe(true);
      return { ms: performance.now() - t0, iterations: fit.iterations };
    };
    time(250); // warm-up
    const small = time(500);
    const large = time(4000);
    // 8× the groups: ~8× the time per iteration when linear, ~64× for dense normal equations.
    const ratio = large.ms / large.iterations / (small.ms / small.iterations);
    expect(ratio).toBeLessThan(24);
  }, 60_000);
});
