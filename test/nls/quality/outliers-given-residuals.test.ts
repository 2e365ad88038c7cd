import { describe, expect, it } from "vitest";
import type { CurveFunction } from "../../../src/core/curve.js";
import { findOutliers } from "../../../src/nls/quality/outliers.js";
import { libraryFit } from "./library-fit.js";
import { plantedCurve } from "./planted-curve.js";

// findOutliers takes the least-squares residuals from the caller when it has them (the
// many-curves report computes them anyway): the same residuals must give the same report, and
// the curve is then evaluated once less.

/** A triplicate 4PL curve with `planted` points pushed 6–10 sd off it. */
const curve = (seed: number, planted: number) =>
  plantedCurve(seed, planted, { base: 18, spread: 12 });

/** The curve, counting its evaluations. */
function counted(c: CurveFunction) {
  const counter = { calls: 0, curve: c };
  counter.curve = {
    ...c,
    evaluate: (theta, columns, n, f, jac) => {
      counter.calls++;
      c.evaluate(theta, columns, n, f, jac);
    },
  };
  return counter;
}

describe("findOutliers with the caller's least-squares residuals", () => {
  it("gives the same report as evaluating them, with one evaluation less", () => {
    let flaggedCurves = 0;
    let screened = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const f = libraryFit(
        "4pl",
        ...(Object.values(curve(seed, seed % 3)) as [number[], number[]]),
      );
      if (!f.fit.converged) continue;
      const n = f.data.y.length;
      const fx = new Float64Array(n);
      f.curve.evaluate(f.fit.theta, f.data.columns, n, fx, null);
      const residuals = f.data.y.map((v, i) => v - fx[i]!);
      for (const screen of [false, true]) {
        const a = counted(f.curve);
        const b = counted(f.curve);
        const own = findOutliers(a.curve, f.data, f.specs, f.fit, { screen });
        const given = findOutliers(b.curve, f.data, f.specs, { ...f.fit, residuals }, { screen });
        expect(given.rows).toEqual(own.rows);
        expect(Object.is(given.rsdr, own.rsdr)).toBe(true);
        expect(Array.from(given.robustTheta)).toEqual(Array.from(own.robustTheta));
        expect(given.skipped).toBe(own.skipped);
        expect(b.calls).toBe(a.calls - 1);
        if (own.rows.length > 0) flaggedCurves++;
        if (own.skipped === "screened") screened++;
      }
    }
    // Not vacuous: both the robust road and the screen ran.
    expect(flaggedCurves).toBeGreaterThan(10);
    expect(screened).toBeGreaterThan(5);
  });

  it("ignores residuals of the wrong length (evaluates them itself)", () => {
    const f = libraryFit("4pl", ...(Object.values(curve(7, 1)) as [number[], number[]]));
    const own = findOutliers(f.curve, f.data, f.specs, f.fit);
    const wrong = { ...f.fit, residuals: new Float64Array(5) };
    const given = findOutliers(f.curve, f.data, f.specs, wrong);
    expect(given.rows).toEqual(own.rows);
    expect(Object.is(given.rsdr, own.rsdr)).toBe(true);
  });
});
