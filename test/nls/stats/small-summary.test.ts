import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inverseGram } from "../../../src/nls/stats/covariance.js";
import {
  createSmallGramWorkspace,
  smallInverseGram,
  WELL_CONDITIONED,
} from "../../../src/nls/stats/small-inverse-gram.js";
import { SmallSummary } from "../../../src/nls/stats/small-summary.js";
import { nlsSummary } from "../../../src/nls/stats/summary.js";

// The many-curves summary (QR covariance with a conditioning bound) against nlsSummary (SVD):
// the same numbers to ~ε·κ wherever it answers, and no answer wherever nlsSummary would warn.

/** A seeded m×p Jacobian with columns of very different scales and some correlation. */
function jacobian(seed: number, m: number, p: number, mix: number): Float64Array {
  let a = seed | 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  const jac = new Float64Array(m * p);
  const scales = Array.from({ length: p }, (_, j) => 10 ** (((j * 7) % 9) - 4));
  for (let i = 0; i < m; i++) {
    const shared = rand();
    for (let j = 0; j < p; j++) jac[i * p + j] = scales[j]! * (rand() + mix * shared);
  }
  return jac;
}

const shape = fc.record({
  seed: fc.integer(),
  p: fc.integer({ min: 1, max: 5 }),
  extra: fc.integer({ min: 1, max: 30 }),
  mix: fc.constantFrom(0, 1, 10, 100, 1e4, 1e6, 1e8),
});

describe("smallInverseGram", () => {
  it("equals inverseGram to ~ε·κ when it answers, and answers only below the warning", () => {
    let answered = 0;
    let declined = 0;
    fc.assert(
      fc.property(shape, ({ seed, p, extra, mix }) => {
        const m = p + extra;
        const jac = jacobian(seed, m, p, mix);
        const ws = createSmallGramWorkspace(64, p);
        const svd = inverseGram(jac, m, p);
        if (!smallInverseGram(jac, m, ws)) {
          declined++;
          return;
        }
        answered++;
        // The bound holds: κ (the SVD's) is at most 1e6, far below the 1e8 warning.
        expect(svd.conditionNumber).toBeLessThanOrEqual(WELL_CONDITIONED * (1 + 1e-9));
        expect(svd.inverse).not.toBeNull();
        const tol = 64 * 2.2e-16 * Math.max(svd.conditionNumber, 1);
        for (let a = 0; a < p; a++) {
          for (let b = 0; b < p; b++) {
            const scale = Math.sqrt(svd.inverse![a * p + a]! * svd.inverse![b * p + b]!);
            expect(Math.abs(ws.inverse[a * p + b]! - svd.inverse![a * p + b]!)).toBeLessThan(
              tol * scale,
            );
          }
        }
      }),
      { numRuns: 400, seed: 20261203 },
    );
    expect(answered).toBeGreaterThan(100);
    expect(declined).toBeGreaterThan(10); // mix ≥ 1e6 (p > 1): near-collinear columns
  });

  it("declines a zero column, equal columns, near-collinear columns and NaN", () => {
    const m = 10;
    const p = 3;
    const ws = createSmallGramWorkspace(16, p);
    const base = jacobian(7, m, p, 0);
    const zero = Float64Array.from(base);
    for (let i = 0; i < m; i++) zero[i * p + 1] = 0;
    const equal = Float64Array.from(base);
    for (let i = 0; i < m; i++) equal[i * p + 2] = 3 * equal[i * p]!;
    const near = Float64Array.from(equal);
    for (let i = 0; i < m; i++) near[i * p + 2] = near[i * p + 2]! * (1 + 1e-8 * (i % 3));
    const nan = Float64Array.from(base);
    nan[4] = Number.NaN;
    expect(smallInverseGram(base, m, ws)).toBe(true);
    for (const bad of [zero, equal, near, nan]) expect(smallInverseGram(bad, m, ws)).toBe(false);
    // κ of `near` is below the 1e8 warning: nlsSummary answers, without a warning; the small
    // path leaves it to nlsSummary all the same (its bound cannot vouch for it).
    expect(inverseGram(near, m, p).conditionNumber).toBeGreaterThan(WELL_CONDITIONED);
  });

  // p = 4 (the 4PL) runs an unrolled QR; it must give the general loops' bits, answer for
  // answer, or the standard errors in a grouped fit's output would move in the last digit.
  it("gives the same bits for p = 4 unrolled as the general loops", () => {
    const a = createSmallGramWorkspace(40, 4);
    const b = createSmallGramWorkspace(40, 4);
    let answered = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const m = 4 + (seed % 33);
      const mix = [0, 1, 10, 100, 1e4][seed % 5]!;
      const jac = jacobian(seed, m, 4, mix);
      if (seed % 17 === 0) for (let i = 0; i < m; i++) jac[i * 4 + (seed % 4)] = 0;
      if (seed % 23 === 0) jac[(seed * 7) % (4 * m)] = Number.NaN;
      a.inverse.fill(Number.NaN);
      b.inverse.fill(Number.NaN);
      const fast = smallInverseGram(jac, m, a);
      const general = smallInverseGram(jac, m, b, false);
      expect(fast, `seed ${seed}`).toBe(general);
      if (!fast) continue;
      answered++;
      const same = Array.from(a.inverse).every((v, k) => Object.is(v, b.inverse[k]));
      expect(same, `seed ${seed}`).toBe(true);
    }
    expect(answered).toBeGreaterThan(300);
  });
});

/** θ, residuals, J, weights and y for a summary of an m×p problem. */
function problem(seed: number, m: number, p: number, mix: number, weighted: boolean) {
  const jac = jacobian(seed, m, p, mix);
  const raw = jacobian(seed + 1, m, 1, 0);
  const residuals = Float64Array.from(raw, (v) => 3 * v);
  const theta = Float64Array.from({ length: p }, (_, j) => (j + 1) * 1.5 - 2);
  const y = Float64Array.from(raw, (v, i) => 10 * Math.sin(i) + v);
  const weights = weighted ? Float64Array.from(raw, (v, i) => (i % 5 === 0 ? 0 : 1 + v)) : null;
  return { theta, residuals, jacobian: jac, weights, y };
}

describe("SmallSummary", () => {
  it("gives nlsSummary's standard errors, intervals and correlations (ε·κ), R² and n exactly", () => {
    let answered = 0;
    fc.assert(
      fc.property(shape, fc.boolean(), ({ seed, p, extra, mix }, weighted) => {
        const m = p + extra + 1;
        const input = problem(seed, m, p, mix, weighted);
        const small = new SmallSummary(
          Array.from({ length: p }, (_, j) => `b${j + 1}`),
          64,
        );
        const ok = small.compute(
          input.theta,
          input.residuals,
          input.jacobian,
          m,
          input.weights,
          input.y,
          0.9,
        );
        const full = nlsSummary(input, { level: 0.9, pValues: false });
        if (!ok) return;
        answered++;
        expect(full.warnings).toEqual([]);
        expect(small.n).toBe(full.n);
        expect(small.df).toBe(full.df);
        expect(small.rss).toBe(full.rss);
        expect(small.rSquared).toBe(full.rSquared);
        expect(small.sigma).toBe(full.sigma);
        const kappa = Math.max(full.conditionNumber, 1);
        const tol = 64 * 2.2e-16 * kappa;
        for (let j = 0; j < p; j++) {
          const se = full.standardErrors![j]!;
          expect(Math.abs(small.standardErrors[j]! - se)).toBeLessThanOrEqual(tol * se);
          expect(Math.abs(small.lower[j]! - full.lower![j]!)).toBeLessThanOrEqual(8 * tol * se);
          expect(Math.abs(small.upper[j]! - full.upper![j]!)).toBeLessThanOrEqual(8 * tol * se);
        }
        for (let k = 0; k < p * p; k++) {
          expect(Math.abs(small.correlation[k]! - full.correlation![k]!)).toBeLessThan(4 * tol);
        }
      }),
      { numRuns: 300, seed: 7 },
    );
    expect(answered).toBeGreaterThan(100);
  });

  it("leaves to nlsSummary what it would warn about or refuse", () => {
    const m = 6;
    const p = 2;
    const small = new SmallSummary(["a", "b"], 8);
    const input = problem(3, m, p, 0, false);
    const run = (over: Partial<typeof input>, rows = m) => {
      const x = { ...input, ...over };
      return small.compute(x.theta, x.residuals, x.jacobian, rows, x.weights, x.y, 0.95);
    };
    expect(run({})).toBe(true);
    expect(run({ residuals: new Float64Array(m) })).toBe(false); // a perfect fit
    expect(run({}, 2)).toBe(false); // no residual degrees of freedom
    const negative = Float64Array.from({ length: m }, (_, i) => (i === 2 ? -1 : 1));
    expect(run({ weights: negative })).toBe(false); // nlsSummary's error to raise
    const nan = Float64Array.from(input.residuals);
    nan[1] = Number.NaN;
    expect(run({ residuals: nan })).toBe(false);
    expect(run({ theta: Float64Array.of(1, Number.POSITIVE_INFINITY) })).toBe(false);
    // Weights of 0 leave rows out of n: 6 rows, 4 with weight, 2 parameters → df 2.
    expect(run({ weights: Float64Array.of(1, 0, 2, 1, 0, 1) })).toBe(true);
    expect([small.n, small.df]).toEqual([4, 2]);
  });

  it("does not depend on the curves before (buffers reused)", () => {
    const small = new SmallSummary(["a", "b", "c"], 32);
    const snapshot = () =>
      [small.standardErrors, small.lower, small.upper, small.correlation].map((a) => [...a]);
    const a = problem(11, 20, 3, 1, false);
    const b = problem(12, 30, 3, 10, true);
    small.compute(a.theta, a.residuals, a.jacobian, 20, a.weights, a.y, 0.95);
    const first = snapshot();
    small.compute(b.theta, b.residuals, b.jacobian, 30, b.weights, b.y, 0.8);
    small.compute(a.theta, a.residuals, a.jacobian, 20, a.weights, a.y, 0.95);
    expect(snapshot()).toEqual(first);
  });
});
