import { describe, expect, it } from "vitest";
import { createRng } from "../../../src/core/rng.js";
import { fitCurve } from "../../../src/nls/fit-curve.js";
import { QUALITY_FLAGS, qualityDefaultsFor, qualityFlags } from "../../../src/nls/quality/index.js";
import { libraryFit } from "./library-fit.js";

/** A 4PL inhibition curve (bottom 0, top 100, hill −1) at `x` with seeded noise of sd `sd`. */
function curve4pl(x: number[], logEC50: number, sd: number, seed = 7) {
  const rng = createRng(seed);
  const y = x.map((v) => 100 / (1 + 10 ** ((logEC50 - v) * -1)) + sd * rng.normal());
  return { x, y };
}
/** 8 concentrations (log10 −9 … −5.5) × 3 replicates. */
const doses = Array.from({ length: 24 }, (_, i) => -9 + 0.5 * Math.floor(i / 3));
const spec4 = qualityDefaultsFor("4pl");

function flagsOf(x: number[], y: number[], bounds = {}) {
  const f = libraryFit("4pl", x, y, bounds);
  return { ...f, report: qualityFlags(f.curve, f.data, f.specs, f.fit, spec4) };
}

describe("qualityFlags", () => {
  const clean = curve4pl(doses, -7.2, 2);
  const cleanReport = flagsOf(clean.x, clean.y).report;

  it("raises no flag on a clean curve", () => {
    expect(cleanReport.codes).toEqual([]);
    expect(cleanReport.constantModel!.pValue).toBeLessThan(1e-10);
    expect(cleanReport.outliers!.skipped).toBeNull();
    expect(cleanReport.outliers!.rows).toEqual([]);
  });

  it("documents every flag", () => {
    expect(Object.keys(QUALITY_FLAGS).sort()).toEqual(
      [
        "ambiguous",
        "at-bound",
        "ec50-outside-range",
        "flat-curve",
        "not-converged",
        "possible-outliers",
        "too-few-points",
        "worse-than-mean",
      ].sort(),
    );
  });

  it("not-converged: an LM budget of one iteration", () => {
    const f = libraryFit("4pl", clean.x, clean.y);
    const stopped = fitCurve(
      f.curve,
      f.data,
      f.specs.map((s) => ({ ...s, start: s.start * 1.3 })),
      {
        firstOrder: false,
        lm: { maxIterations: 1 },
      },
    );
    expect(stopped.converged).toBe(false);
    const r = qualityFlags(f.curve, f.data, f.specs, stopped, spec4);
    expect(r.codes).toContain("not-converged");
    expect(r.flags.find((g) => g.code === "not-converged")!.message).toMatch(/max-iterations/);
  });

  it("worse-than-mean: plateaus fixed far from the data", () => {
    const f = libraryFit("4pl", clean.x, clean.y);
    const specs = plateausFarAway(f.specs);
    const fit = fitCurve(f.curve, f.data, specs);
    const r = qualityFlags(f.curve, f.data, specs, fit, spec4);
    expect(r.codes).toContain("worse-than-mean");
  });

  it("lists several flags of one fit in one order, each with its message", () => {
    // Plateaus fixed far from the data, one LM iteration, 9 points for 8 residual df.
    const x = doses.slice(0, 9);
    const f = libraryFit("4pl", x, clean.y.slice(0, 9));
    const specs = plateausFarAway(f.specs);
    const fit = fitCurve(f.curve, f.data, specs, { firstOrder: false, lm: { maxIterations: 1 } });
    const r = qualityFlags(f.curve, f.data, specs, fit, { ...spec4, minResidualDf: 8 });
    const order = [
      "not-converged",
      "worse-than-mean",
      "flat-curve",
      "ec50-outside-range",
      "at-bound",
      "ambiguous",
      "too-few-points",
      "possible-outliers",
    ];
    expect(r.codes).toEqual([
      "not-converged",
      "worse-than-mean",
      "flat-curve",
      "ambiguous",
      "too-few-points",
    ]);
    expect(r.codes).toEqual(order.filter((c) => r.codes.includes(c as never)));
    expect(r.codes).toEqual(r.flags.map((g) => g.code));
    for (const g of r.flags) expect(g.message.length).toBeGreaterThan(0);
    expect(Object.isFrozen(r.codes) && Object.isFrozen(r.flags)).toBe(true);
  });

  it("ec50-outside-range: the midpoint beyond the highest concentration", () => {
    const x = doses.map((v) => v - 2.5); // −11.5 … −8: the EC50 (−7.6) is above them all
    const { y } = curve4pl(x, -7.6, 0.5);
    const r = flagsOf(x, y).report;
    expect(r.codes).toContain("ec50-outside-range");
    expect(r.flags.find((g) => g.code === "ec50-outside-range")!.parameters).toEqual(["logEC50"]);
  });

  it("flat-curve: noise around a constant", () => {
    const rng = createRng(3);
    const y = doses.map(() => 50 + 5 * rng.normal());
    const r = flagsOf(doses, y).report;
    expect(r.codes).toContain("flat-curve");
    expect(r.constantModel!.pValue).toBeGreaterThan(0.05);
  });

  it("at-bound: an upper bound on top below the plateau", () => {
    const f = libraryFit("4pl", clean.x, clean.y);
    const specs = f.specs.map((s) => (s.name === "top" ? { ...s, start: 79, upper: 80 } : s));
    const fit = fitCurve(f.curve, f.data, specs);
    const r = qualityFlags(f.curve, f.data, specs, fit, spec4);
    expect(r.codes).toContain("at-bound");
    expect(r.flags.find((g) => g.code === "at-bound")!.parameters).toEqual(["top"]);
  });

  it("ambiguous is not raised by a bottom plateau estimated near 0 (y-unit parameters)", () => {
    const f = libraryFit("4pl", clean.x, clean.y);
    const k = f.fit.summary.names.indexOf("bottom");
    // The premise: bottom's se exceeds |bottom| here, so the plain rule would flag it.
    expect(f.fit.summary.standardErrors![k]!).toBeGreaterThan(Math.abs(f.fit.estimates.bottom!));
    const plain = qualityFlags(f.curve, f.data, f.specs, f.fit, { ...spec4, yScaleParameters: [] });
    expect(plain.flags.find((g) => g.code === "ambiguous")!.parameters).toEqual(["bottom"]);
    expect(cleanReport.codes).not.toContain("ambiguous");
  });

  it("ambiguous: Michaelis–Menten far below Km (se > estimate, correlation ≈ 1)", () => {
    const x = Array.from({ length: 12 }, (_, i) => 0.01 * (1 + (i % 6)));
    const rng = createRng(5);
    const y = x.map((v) => (100 * v) / (10 + v) + 0.002 * rng.normal());
    const f = libraryFit("michaelis-menten", x, y);
    const r = qualityFlags(f.curve, f.data, f.specs, f.fit);
    expect(r.codes).toContain("ambiguous");
    expect(r.flags.find((g) => g.code === "ambiguous")!.message).toMatch(/corr\(Vmax, Km\)/);
  });

  it("too-few-points: three concentrations for four parameters", () => {
    const x = doses.filter((v) => v === -8 || v === -7 || v === -6);
    const { y } = curve4pl(x, -7.2, 2);
    const r = flagsOf(x, y).report;
    expect(r.codes).toContain("too-few-points");
    expect(r.flags.find((g) => g.code === "too-few-points")!.message).toBe(
      "3 distinct x values for 4 parameters",
    );
  });

  it("possible-outliers: one planted point is flagged (and kept); the clean curve had none", () => {
    const y = [...clean.y];
    y[10] = y[10]! + 25; // ~12 sd off the curve
    const { report, fit } = flagsOf(clean.x, y);
    expect(report.codes).toContain("possible-outliers");
    expect(report.flags.find((g) => g.code === "possible-outliers")!.rows).toEqual([10]);
    expect(fit.n).toBe(24);
    // The robust fit is barely moved by the outlier: its logEC50 stays near the truth.
    const j = fit.names.indexOf("logEC50");
    expect(Math.abs(report.outliers!.robustTheta[j]! + 7.2)).toBeLessThan(0.05);
  });

  it("possible-outliers: at most 1 of 30 clean seeded curves flagged (Q = 1 %)", () => {
    let flagged = 0;
    for (let seed = 100; seed < 130; seed++) {
      const c = curve4pl(doses, -7.2, 2, seed);
      if (flagsOf(c.x, c.y).report.codes.includes("possible-outliers")) flagged++;
    }
    expect(flagged).toBeLessThanOrEqual(1);
  });
});

/** The specs with bottom and top fixed at 300 and 400, far above the data (0–100). */
function plateausFarAway<S extends { name: string }>(specs: readonly S[]): S[] {
  return specs.map((s) =>
    s.name === "bottom"
      ? { ...s, start: 300, fixed: true }
      : s.name === "top"
        ? { ...s, start: 400, fixed: true }
        : s,
  );
}
