import { describe, expect, it } from "vitest";
import { findOutliers } from "../../../src/nls/quality/outliers.js";
import { twoSidedPValue } from "../../../src/nls/stats/student-t.js";
import { libraryFit } from "./library-fit.js";

// The rows findOutliers flags are Benjamini–Hochberg's at Q on every point's two-sided p value
// of |r_i|/RSDR at the robust fit: checked against the textbook procedure (all n p values,
// a stable sort, the largest rank under the line), not the candidates-only one it runs.

/** mulberry32 + Box–Muller: seeded N(0, 1) draws. */
function normals(seed: number) {
  let a = seed | 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** A triplicate 4PL curve with `planted` points pushed 5–12 sd off it. */
function curve(seed: number, planted: number) {
  const z = normals(seed);
  const x = Array.from({ length: 24 }, (_, i) => -9 + 0.5 * Math.floor(i / 3));
  const mid = -7.25 + 0.4 * z();
  const hill = -(0.6 + Math.abs(z()));
  const y = x.map((v) => 3 + 95 / (1 + 10 ** ((mid - v) * hill)) + 3 * z());
  for (let k = 0; k < planted; k++)
    y[(seed * 5 + k * 7) % 24]! += (z() > 0 ? 1 : -1) * (15 + 21 * Math.abs(z()));
  return { x, y };
}

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
