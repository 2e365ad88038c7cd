import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findOutliers, SCREEN_FRACTION } from "../../../src/nls/quality/outliers.js";
import { libraryFit } from "./library-fit.js";

// The screen (OutlierOptions.screen) skips the robust refit when the largest least-squares
// residual is below SCREEN_FRACTION of the critical t. It must never skip a curve the full test
// flags: random 4PL curves (8 concentrations × 3 replicates, the benchmark's design) with 0–4
// planted outliers of 1.5–12 noise sd, the flagged rows with and without the screen equal.
const curve = fc.record({
  bottom: fc.double({ min: -10, max: 10, noNaN: true }),
  top: fc.double({ min: 80, max: 120, noNaN: true }),
  logEC50: fc.double({ min: -8.5, max: -6, noNaN: true }),
  hill: fc.double({ min: -2.5, max: 2.5, noNaN: true }).filter((h) => Math.abs(h) > 0.4),
  sd: fc.constantFrom(1, 2, 5, 10),
  noiseSeed: fc.integer(),
  planted: fc.array(
    fc.record({
      row: fc.integer({ min: 0, max: 23 }),
      size: fc.double({ min: 1.5, max: 12, noNaN: true }),
      sign: fc.constantFrom(-1, 1),
    }),
    { maxLength: 4 },
  ),
});

/** N(0, 1) draws from a seed (mulberry32 + Box–Muller): fast-check's doubles favour extremes. */
function normals(seed: number, n: number): number[] {
  let a = seed;
  const rand = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: n }, () => {
    const u = 1 - rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  });
}

describe("findOutliers screen", () => {
  it("sits below 1 (the screen is a margin under the least t a flagged point needs)", () => {
    expect(SCREEN_FRACTION).toBeGreaterThan(0);
    expect(SCREEN_FRACTION).toBeLessThan(1);
  });

  it("flags the same rows as the full test on random curves with planted outliers", () => {
    let flagged = 0;
    let screened = 0;
    fc.assert(
      fc.property(curve, (c) => {
        const noise = normals(c.noiseSeed, 24);
        const x: number[] = [];
        const y: number[] = [];
        for (let i = 0; i < 8; i++) {
          for (let r = 0; r < 3; r++) {
            const lx = -9 + 0.5 * i;
            x.push(lx);
            const f = c.bottom + (c.top - c.bottom) / (1 + 10 ** ((c.logEC50 - lx) * c.hill));
            y.push(f + c.sd * noise[3 * i + r]!);
          }
        }
        for (const p of c.planted) y[p.row]! += p.sign * p.size * c.sd;
        const f = libraryFit("4pl", x, y);
        const full = findOutliers(f.curve, f.data, f.specs, f.fit);
        const fast = findOutliers(f.curve, f.data, f.specs, f.fit, { screen: true });
        if (full.rows.length > 0) flagged++;
        if (fast.skipped === "screened") screened++;
        expect(fast.rows).toEqual(full.rows);
      }),
      { numRuns: 400, seed: 20261203 },
    );
    // The property is not vacuous: both branches ran many times.
    expect(flagged).toBeGreaterThan(50);
    expect(screened).toBeGreaterThan(50);
  }, 120_000);
});
