import { afterEach, describe, expect, it, vi } from "vitest";
import { ManyCurveReport } from "../../src/nls/many/index.js";
import { JSON_LABELS } from "../../src/tasks/fit-curve-request.js";
import {
  type FastFitters,
  fastFitters,
  fitGroup,
  type GroupData,
} from "../../src/tasks/fit-groups-fit.js";
import { prepareGroupsModel } from "../../src/tasks/fit-groups-model.js";
import type { FitGroupsRequest } from "../../src/tasks/fit-groups-request.js";
import type { GroupRow } from "../../src/tasks/fit-groups-row.js";

// The fast engine reports most fits on reused buffers (many/curve-report.ts: QR covariance,
// SmallSummary) and the rest by the full road (nlsSummary's SVD, a CurveFit). Per group both
// must give the same row: every field equal, the standard errors, intervals and correlations
// to rounding (the QR and the SVD agree to ~ε·κ), the flags identical — on clean curves,
// planted outliers, flat curves, an EC50 outside the range, weights, a fixed parameter and a
// model with positive parameters.

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

const doses = Array.from({ length: 24 }, (_, i) => -9 + 0.5 * Math.floor(i / 3));

/** 4PL groups of the benchmark's design: clean, with planted outliers, flat, EC50 outside. */
function fourPlGroups(count: number, bottomAtLeast = -10): GroupData[] {
  const z = normals(count * 31 + bottomAtLeast);
  return Array.from({ length: count }, (_, g) => {
    const bottom = Math.max(bottomAtLeast, 5 * z());
    const top = 100 + 8 * z();
    const kind = g % 10;
    const mid = kind === 8 ? -4.2 : -7.25 + 0.5 * z(); // 8: EC50 beyond the highest dose
    const hill = (z() > 0 ? 1 : -1) * (0.6 + Math.abs(z()));
    const sd = [1, 2, 5][g % 3]!;
    const y = doses.map((x) =>
      kind === 9 // 9: flat, noise around a constant
        ? 50 + sd * z()
        : bottom + (top - bottom) / (1 + 10 ** ((mid - x) * hill)) + sd * z(),
    );
    if (kind < 4) {
      for (let k = 0; k <= kind; k++) y[(g * 7 + k * 5) % 24]! += (z() > 0 ? 1 : -1) * 8 * sd;
    }
    return { key: [`g${g}`], columns: [Float64Array.from(doses), Float64Array.from(y)] };
  });
}

function hillGroups(count: number): GroupData[] {
  const z = normals(99);
  const x = Array.from({ length: 16 }, (_, i) => 0.1 * 1.5 ** (i % 8));
  return Array.from({ length: count }, (_, g) => {
    const vmax = 50 + 5 * z();
    const k = 1 + 0.3 * Math.abs(z());
    const n = 1 + 0.5 * Math.abs(z());
    const y = x.map((v) => (vmax * v ** n) / (k ** n + v ** n) + 0.5 * z());
    return { key: [`h${g}`], columns: [Float64Array.from(x), Float64Array.from(y)] };
  });
}

function request(over: Partial<FitGroupsRequest>): FitGroupsRequest {
  return {
    task: "fit-groups",
    data: { file: "groups.csv" },
    model: "4pl",
    x: ["x"],
    y: "y",
    group: ["g"],
    engine: "fast",
    ...over,
  };
}

/** Rows by both roads, and how many groups the reused-buffer report took. */
function bothRoads(req: FitGroupsRequest, groups: GroupData[]) {
  const prepared = prepareGroupsModel(req, JSON_LABELS);
  const fast = fastFitters(req, prepared);
  const full: FastFitters = { ...fast, report: () => null };
  const prepare = vi.spyOn(ManyCurveReport.prototype, "prepare");
  const quick = groups.map((g) => fitGroup(req, prepared, g, fast));
  const reported = prepare.mock.results.filter((r) => r.value === true).length;
  prepare.mockRestore();
  const slow = groups.map((g) => fitGroup(req, prepared, g, full));
  return { quick, slow, reported };
}

/** Equal rows, the uncertainty to rounding (relative to each parameter's standard error). */
function expectSameRow(a: GroupRow, b: GroupRow) {
  const exact = (r: GroupRow) => ({ ...r, se: null, lower: null, upper: null, correlation: null });
  expect(exact(a)).toEqual(exact(b));
  for (const name of Object.keys(b.estimate)) {
    const se = b.se[name];
    if (se === null || se === undefined) {
      expect([a.se[name], a.lower[name], a.upper[name]]).toEqual([null, null, null]);
      continue;
    }
    for (const field of ["se", "lower", "upper"] as const) {
      expect(Math.abs(a[field][name]! - b[field][name]!), `${field}(${name})`).toBeLessThan(
        1e-11 * se,
      );
    }
  }
  if (b.correlation === null) expect(a.correlation).toBeNull();
  else {
    expect(Object.keys(a.correlation!)).toEqual(Object.keys(b.correlation));
    for (const [p, row] of Object.entries(b.correlation)) {
      expect(Object.keys(a.correlation![p]!)).toEqual(Object.keys(row));
      for (const [q, v] of Object.entries(row)) {
        expect(Math.abs(a.correlation![p]![q]! - v!)).toBeLessThan(1e-11);
      }
    }
  }
}

afterEach(() => vi.restoreAllMocks());

describe("fast engine rows: reused-buffer report = full road", () => {
  it("4PL: clean, outliers, flat, EC50 outside; the same rows and flags", () => {
    const groups = fourPlGroups(80);
    const { quick, slow, reported } = bothRoads(request({}), groups);
    for (let g = 0; g < groups.length; g++) expectSameRow(quick[g]!, slow[g]!);
    // Not vacuous: most groups took the report, and the flags were raised.
    expect(reported).toBeGreaterThan(60);
    const flags = new Set(slow.flatMap((r) => r.flags));
    for (const f of ["possible-outliers", "flat-curve", "ec50-outside-range"]) {
      expect(flags).toContain(f);
    }
    expect(slow.filter((r) => r.flags.length === 0).length).toBeGreaterThan(20);
  });

  it("weights (1/y), a fixed parameter, a model with positive parameters", () => {
    const weighted = bothRoads(request({ weights: "1/y" }), fourPlGroups(30, 20));
    const fixed = bothRoads(request({ fix: { bottom: 0 } }), fourPlGroups(30));
    const hill = bothRoads(request({ model: "hill" }), hillGroups(30));
    for (const run of [weighted, fixed, hill]) {
      for (let g = 0; g < run.slow.length; g++) expectSameRow(run.quick[g]!, run.slow[g]!);
      expect(run.reported).toBeGreaterThan(15);
    }
    // The fixed parameter has no uncertainty, and is not in the correlations.
    expect(fixed.quick[0]!.se.bottom).toBeNull();
    expect(Object.keys(fixed.quick[0]!.correlation!)).toEqual(["top", "logEC50", "hill"]);
  });

  it("leaves a degenerate fit (a step, κ of J huge) to the full road and reports it the same", () => {
    // A steep step between two doses: hill runs off, the Jacobian is nearly singular.
    const z = normals(5);
    const y = doses.map((x) => (x < -7.1 ? 100 : 0) + 0.5 * z());
    const group = { key: ["step"], columns: [Float64Array.from(doses), Float64Array.from(y)] };
    const { quick, slow, reported } = bothRoads(request({}), [group]);
    expect(reported).toBe(0);
    expectSameRow(quick[0]!, slow[0]!);
  });
});
