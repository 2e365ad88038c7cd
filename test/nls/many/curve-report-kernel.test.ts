import { describe, expect, it } from "vitest";
import type { CurveFunction } from "../../../src/core/curve.js";
import { compileFormula } from "../../../src/formula/index.js";
import type { CurveData } from "../../../src/nls/curve-problem.js";
import { findModel } from "../../../src/nls/library/index.js";
import {
  createCurveFitter,
  libraryFitterModel,
  ManyCurveReport,
} from "../../../src/nls/many/index.js";

// The fast engine reports a 4PL fit from its fused kernel (many/kernels.ts: 10^u as e^(u·ln 10))
// instead of the compiled formula (pow(10, u)). The two agree to an ulp or two in f and its
// partials, so every number of the report must agree to 1e-12 relative — on replicated and
// unreplicated designs, weights, a fixed parameter, steep and shallow slopes and near-flat
// curves — and the report must be given (prepare true) for exactly the same fits.

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

interface Case {
  label: string;
  data: CurveData;
}

/** 4PL curves: 8 doses × `reps` replicates, span `span`, noise sd `sd`, optional weights. */
function curves(
  seed: number,
  count: number,
  reps: number,
  span: number,
  sd: number,
  weighted = false,
): Case[] {
  const z = normals(seed);
  const n = 8 * reps;
  const x = Float64Array.from({ length: n }, (_, i) => -9 + 0.5 * Math.floor(i / reps));
  return Array.from({ length: count }, (_, g) => {
    const bottom = 5 * z();
    const mid = -7.25 + 0.5 * z();
    const hill = (z() > 0 ? 1 : -1) * (0.4 + 1.5 * Math.abs(z()));
    const y = Float64Array.from(
      x,
      (v) => bottom + span / (1 + 10 ** ((mid - v) * hill)) + sd * z(),
    );
    const weights = weighted ? Float64Array.from(x, () => 0.5 + Math.abs(z())) : null;
    return { label: `seed ${seed} curve ${g}`, data: { columns: [x], y, weights } };
  });
}

const lib = findModel("4pl")!;
const formula: CurveFunction = compileFormula(lib.formula, {
  params: lib.params,
  variables: lib.variables,
  constants: {},
});
const fast = libraryFitterModel(lib);

/** Fits each case with the fast fitter, then reports it with the formula and with the kernel. */
function compareReports(cases: Case[], fixed: Record<string, number> = {}) {
  const maxRows = 32;
  const fitter = createCurveFitter(fast, { maxRows, fixed });
  const byFormula = new ManyCurveReport(formula, fixed, [], maxRows);
  const byKernel = new ManyCurveReport(fast.curve, fixed, [], maxRows);
  let reported = 0;
  let worst = 0;
  let degenerate = 0;
  for (const { label, data } of cases) {
    const r = fitter.fit(data.columns, data.y, data.weights);
    const a = byFormula.prepare(r, data, 0.95);
    const b = byKernel.prepare(r, data, 0.95);
    expect(b, label).toBe(a);
    if (!a) continue;
    reported++;
    const sa = byFormula.fit.summary;
    const sb = byKernel.fit.summary;
    // A step-like fit (|hill| → ∞) leaves logEC50 and hill undetermined (standard errors
    // ~1e24): their correlations with the plateaus are ~1e-6 and carry ε·κ ≈ 1e-11 of noise
    // whatever evaluates f. Everything else is held to 1e-12 on those fits too.
    const undetermined = sa.standardErrors.some((se, k) => se > 1e6 * Math.abs(sa.estimates[k]!));
    if (undetermined) degenerate++;
    const corrTol = undetermined ? 1e-10 : 1e-12;
    // [formula's, kernel's, scale]: relative to the value itself (a 1e-300 floor only keeps
    // 0 vs 0 from dividing by zero), except correlations, whose scale is 1 (a correlation of
    // 1e-10 is a cancellation, its relative digits noise).
    const pairs: (readonly [number, number, number])[] = [
      [sa.sigma!, sb.sigma!, 1e-300],
      [sa.rSquared!, sb.rSquared!, 1e-300],
      ...Array.from(sa.standardErrors, (v, k) => [v, sb.standardErrors[k]!, 1e-300] as const),
      ...Array.from(sa.lower, (v, k) => [v, sb.lower[k]!, 1e-300] as const),
      ...Array.from(sa.upper, (v, k) => [v, sb.upper[k]!, 1e-300] as const),
      ...Array.from(sa.correlation, (v, k) => [v, sb.correlation[k]!, 1] as const),
    ];
    for (const [u, v, scale] of pairs) {
      expect(Number.isFinite(u), label).toBe(true);
      const rel = Math.abs(u - v) / Math.max(Math.abs(u), Math.abs(v), scale);
      const tol = scale === 1 ? corrTol : 1e-12;
      expect(rel, `${label}: ${u} vs ${v}`).toBeLessThanOrEqual(tol);
      worst = Math.max(worst, rel);
    }
    expect(byKernel.fit.rss).toBe(r.rss);
    // The residuals handed to the outlier test: n long, y − f to an ulp of f.
    const n = data.y.length;
    expect(byKernel.fit.residuals.length).toBe(n);
    const ra = byFormula.fit.residuals;
    const rb = byKernel.fit.residuals;
    const big = data.y.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    for (let i = 0; i < n; i++) expect(Math.abs(ra[i]! - rb[i]!)).toBeLessThanOrEqual(1e-12 * big);
  }
  return { reported, worst, degenerate };
}

describe("ManyCurveReport on the 4PL's fused kernel", () => {
  it("equals the compiled formula's report on triplicate curves, sd 1–10", () => {
    const cases = [
      ...curves(1, 40, 3, 100, 1),
      ...curves(2, 40, 3, 100, 5),
      ...curves(3, 40, 3, 100, 10),
    ];
    const { reported, worst } = compareReports(cases);
    expect(reported).toBeGreaterThan(100);
    // Not bit-identical: the kernel really is a different evaluation.
    expect(worst).toBeGreaterThan(0);
  });

  it("equals it without replicates (evaluated row by row) and with weights", () => {
    expect(compareReports(curves(4, 40, 1, 100, 3)).reported).toBeGreaterThan(30);
    expect(compareReports(curves(5, 40, 3, 100, 3, true)).reported).toBeGreaterThan(30);
  });

  it("equals it on near-flat curves (span ≈ noise) and with a parameter fixed", () => {
    const flat = compareReports(curves(6, 60, 3, 4, 2));
    expect(flat.reported).toBeGreaterThan(10);
    // The near-flat set holds such a step-like fit (so that case is covered).
    expect(flat.degenerate).toBeGreaterThan(0);
    expect(compareReports(curves(7, 40, 3, 100, 5), { bottom: 0 }).reported).toBeGreaterThan(30);
  });
});
