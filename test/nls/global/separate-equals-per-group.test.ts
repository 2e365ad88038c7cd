import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CurveFunction } from "../../../src/core/curve.js";
import { compileFormula } from "../../../src/formula/compile.js";
import { fitCurve } from "../../../src/nls/fit-curve.js";
import {
  fitGlobal,
  type GlobalGroup,
  type GlobalParameterSpec,
} from "../../../src/nls/global/index.js";
import { findModel } from "../../../src/nls/library/registry.js";
import { fourPlScreen } from "./simulate.js";

/**
 * With nothing shared the global problem separates: its optimum is every group's own optimum,
 * its RSS their sum, and its standard errors the per-group ones rescaled from each group's σ̂ to
 * the pooled σ̂ (the same (JᵀJ)⁻¹ block, a different s²).
 */
function expectSeparates(
  curve: CurveFunction,
  groups: GlobalGroup[],
  specs: GlobalParameterSpec[],
): void {
  const global = fitGlobal(curve, groups, specs, { perGroupStarts: false });
  expect(global.converged).toBe(true);
  const s = global.summary;
  const pooled = s.rss / s.df;
  let rss = 0;
  for (const g of groups) {
    const own = fitCurve(
      curve,
      { columns: g.columns, y: g.y, weights: g.weights ?? null },
      specs.map((p) => ({ ...p, start: g.start![p.name]! })),
    );
    expect(own.converged).toBe(true);
    rss += own.rss;
    const s2 = own.rss / own.summary.df;
    const ses = own.summary.standardErrors!;
    const ambiguous = ses.some((se, j) => se > Math.abs(own.theta[j]!));
    curve.params.forEach((name, j) => {
      const k = s.names.indexOf(`${name}[${g.name}]`);
      // Both stop at MINPACK-style tolerances (relative RSS reduction 1e-14), which pins the
      // estimates to ~1e-7 relative: compare in units of the parameter's standard error.
      const ownSe = own.summary.standardErrors![j]!;
      const gap = Math.abs(s.estimates[k]! - own.theta[j]!) / ownSe;
      expect(gap, `${name}[${g.name}]`).toBeLessThan(1e-5);
      const se = ownSe * Math.sqrt(pooled / s2);
      // An ambiguous fit (the flag: some se > |estimate|; a steep curve with its EC50
      // between two doses leaves the hill almost free) sits on a near-flat valley where the SEs
      // change by 1e-3 between points 1e-8 SE apart: only its estimates are compared. Otherwise
      // the SEs agree to 1e-5 (the two solvers stop ~1e-7 apart).
      if (!ambiguous) expect(Math.abs(s.standardErrors![k]! - se) / se).toBeLessThan(1e-5);
    });
  }
  expect(Math.abs(global.rss - rss) / rss).toBeLessThan(1e-10);
}

describe("fitGlobal with no shared parameter equals the per-group fits", () => {
  const model = findModel("4pl")!;
  const curve = compileFormula(model.formula, { params: model.params, variables: model.variables });
  it("on simulated 4PL screens of any seed, size and steepness (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: 0.5, max: 1.5, noNaN: true }),
        (seed, count, hill) => {
          const { groups } = fourPlScreen(count, { seed, hill: -hill, sd: 3 });
          for (const g of groups) g.start = model.selfStart(g.columns, g.y);
          const specs = model.params.map((name) => ({ name, start: 1, shared: false }));
          expectSeparates(curve, groups, specs);
        },
      ),
      // A fixed seed: CI must be reproducible. Random seeds found the counterexample below.
      { numRuns: 15, seed: 20261203 },
    );
  });

  // Found by the property above with random seeds (2026-12-03): from a raw 4PL self-start with
  // a very steep hill (−12.3 for group c11, its EC50 between two doses) the block LM stopped on
  // a plateau (RSS 167.6 where fitCurve reaches 145.87): λ fixed by factors stayed far above the
  // small singular value, the steps were tiny and their reductions below ftol. With a trust
  // radius (block-lmpar.ts), as MINPACK's and the single fits', it follows the valley out.
  // The second case: the same stop, found by a 2,000-screen sweep of the old solver.
  it.each([
    { seed: 882263, count: 11, hill: 1.4428537604476028 },
    { seed: 191444629, count: 4, hill: 1.432 },
  ])(
    "from a very steep self-start (seed $seed, $count groups, hill $hill), off its plateau",
    ({ seed, count, hill }) => {
      const { groups } = fourPlScreen(count, { seed, hill: -hill, sd: 3 });
      for (const g of groups) g.start = model.selfStart(g.columns, g.y);
      const specs = model.params.map((name) => ({ name, start: 1, shared: false }));
      expectSeparates(curve, groups, specs);
    },
  );
});

describe("fitGlobal on steep curves whose derivatives overflow", () => {
  const model = findModel("4pl")!;
  const curve = compileFormula(model.formula, { params: model.params, variables: model.variables });
  // Found by a sweep over true hills 1.5–4 (one dose per decade: most curves have no finite
  // optimum, their hill runs off): the first step went where 10^((logEC50 − x)·hill) overflows
  // in the Jacobian but not in the values, and the fit stopped there ("the Jacobian at
  // iteration 1 is not all finite"). Such a point is now a failed step.
  it("treats a point with a non-finite Jacobian as a failed step and goes on", () => {
    const { groups } = fourPlScreen(9, { seed: 15709367, hill: -3.625, sd: 3 });
    for (const g of groups) g.start = model.selfStart(g.columns, g.y);
    const specs = model.params.map((name) => ({ name, start: 1, shared: false }));
    const global = fitGlobal(curve, groups, specs, { perGroupStarts: false });
    expect(global.converged, global.stopReason).toBe(true);
    let rss = 0;
    for (const g of groups) {
      const own = fitCurve(
        curve,
        { columns: g.columns, y: g.y, weights: null },
        specs.map((p) => ({ ...p, start: g.start![p.name]! })),
      );
      rss += own.rss;
    }
    // Curves running off along a valley stop at ftol wherever the crawl gets slow enough, so
    // the two need not agree to the last digit: the global fit is no worse than the separate
    // fits (here it goes further: 1595.99425118 against 1595.99425241).
    expect(global.rss).toBeLessThanOrEqual(rss * (1 + 1e-12));
  });
});
