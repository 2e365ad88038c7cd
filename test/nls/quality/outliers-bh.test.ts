import { describe, expect, it } from "vitest";
import { findOutliers } from "../../../src/nls/quality/outliers.js";
import { twoSidedPValue } from "../../../src/nls/stats/student-t.js";
import { libraryFit } from "./library-fit.js";
import { plantedCurve } from "./planted-curve.js";

// The rows findOutliers flags are Benjamini–Hochberg's at Q on every point's two-sided p value
// of |r_i|/RSDR at the robust fit: checked against the textbook procedure (all n p values,
// a stable sort, the largest rank under the line), not the candidates-only one it runs.

/** A triplicate 4PL curve with `planted` points pushed 5–12 sd off it. */
const curve = (seed: number, planted: number) =>
  plantedCurve(seed, planted, { base: 15, spread: 21 });

/** Benjamini–Hochberg at q on p: the rows of the `cut` smallest p (stable), ascending. */
function textbook(p: number[], q: number): number[] {
  const n = p.length;
  const order = p.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  let cut = 0;
  for (let rank = 1; rank <= n; rank++) if (order[rank - 1]!.v <= (rank * q) / n) cut = rank;
  return order
    .slice(0, cut)
    .map((e) => e.i)
    .sort((a, b) => a - b);
}

describe("findOutliers' rows", () => {
  it("are Benjamini–Hochberg's on all the points' p values", () => {
    let flagged = 0;
    let several = 0;
    for (let seed = 1; seed <= 80; seed++) {
      const { x, y } = curve(seed, seed % 4);
      const f = libraryFit("4pl", x, y);
      if (!f.fit.converged) continue;
      const report = findOutliers(f.curve, f.data, f.specs, f.fit, { q: 0.01 });
      if (report.skipped !== null) continue;
      const n = f.data.y.length;
      const fx = new Float64Array(n);
      f.curve.evaluate(report.robustTheta, f.data.columns, n, fx, null);
      const df = n - f.fit.summary.p;
      const p = Array.from(f.data.y, (v, i) =>
        twoSidedPValue(Math.abs(v - fx[i]!) / report.rsdr, df),
      );
      expect(report.rows).toEqual(textbook(p, 0.01));
      expect(Object.isFrozen(report.rows)).toBe(true);
      if (report.rows.length > 0) flagged++;
      if (report.rows.length > 1) several++;
    }
    // Not vacuous: curves with one and with several flagged rows.
    expect(flagged).toBeGreaterThan(15);
    expect(several).toBeGreaterThan(3);
  });
});
