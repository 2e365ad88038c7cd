import { describe, expect, it } from "vitest";
import type { CurveFunction } from "../../../src/core/curve.js";
import { findOutliers } from "../../../src/nls/quality/outliers.js";
import { libraryFit } from "./library-fit.js";

// findOutliers takes the least-squares residuals from the caller when it has them (the
// many-curves report computes them anyway): the same residuals must give the same report, and
// the curve is then evaluated once less.

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

/** A triplicate 4PL curve, with `planted` points pushed 6–10 sd off it. */
function curve(seed: number, planted: number) {
  const z = normals(seed);
  const x = Array.from({ length: 24 }, (_, i) => -9 + 0.5 * Math.floor(i / 3));
  const mid = -7.25 + 0.4 * z();
  const hill = -(0.6 + Math.abs(z()));
  const y = x.map((v) => 3 + 95 / (1 + 10 ** ((mid - v) * hill)) + 3 * z());
  for (let k = 0; k < planted; k++)
    y[(seed * 5 + k * 7) % 24]! += (z() > 0 ? 1 : -1) * (18 + 12 * Math.abs(z()));
  return { x, y };
}

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
