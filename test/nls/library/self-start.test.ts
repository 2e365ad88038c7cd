import { describe, expect, test } from "vitest";
import { findModel } from "../../../src/nls/library/index.js";
import { boundOf, CASES, type Case, errorOf, rssOf, simulate } from "./cases.js";

/**
 * Self-start accuracy. For every case (cases.ts), on data simulated from known parameters
 * with rows shuffled (unsorted x, replicates where the design has them):
 * - exact data: every estimate within 2% of the truth (relative parameters), a tenth of the
 *   case's absolute bound (locations, baselines), or a factor 1.1 (shape parameters) — the
 *   rules end in a least-squares search, so on exact data they land on the truth;
 * - noisy data (10 seeds; sd = the case's noise fraction of max |f|): every estimate within
 *   the case's tolerance, which is set by the statistical spread of the estimates at that
 *   noise, and the start's residual sum of squares at most 1.1 × that of the true curve
 *   (the start fits the data about as well as the truth does; the fitter polishes it).
 */

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

function exactBound(c: Case, name: string): number {
  const tol = c.tolerance[name]!;
  if ("abs" in tol) return tol.abs / 10;
  if ("factor" in tol) return Math.log(1.1);
  return 0.02;
}

describe.each(CASES.map((c) => [c.label, c] as const))("%s", (_, c) => {
  const model = findModel(c.model)!;

  test("exact data: estimates at the truth", () => {
    const data = simulate(c, false);
    const start = model.selfStart(data.columns, data.y, c.constants);
    for (const name of model.params) {
      expect(errorOf(c, name, start[name]!), name).toBeLessThanOrEqual(exactBound(c, name));
    }
  });

  test.each(SEEDS)("noisy data, seed %i: within tolerance, RSS ≤ 1.1 × truth", (seed) => {
    const data = simulate(c, true, seed);
    const start = model.selfStart(data.columns, data.y, c.constants);
    for (const name of model.params) {
      expect(errorOf(c, name, start[name]!), name).toBeLessThanOrEqual(boundOf(c, name));
    }
    expect(rssOf(c, start, data)).toBeLessThanOrEqual(1.1 * rssOf(c, c.truth, data));
  });
});
