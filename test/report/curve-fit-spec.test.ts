import { describe, expect, it } from "vitest";
import { readDataset } from "../../src/data/csv.js";
import { fitCurve } from "../../src/nls/fit-curve.js";
import { bandModel, curveBands } from "../../src/nls/stats/bands.js";
import { ec50, ec50SpecFor } from "../../src/nls/stats/derived-ec50.js";
import { curveFitSpec } from "../../src/report/curve-fit-spec.js";
import { normalQuantile } from "../../src/report/normal-quantile.js";
import { fitCurveResult } from "../../src/tasks/fit-curve-result.js";
import { runPredict } from "../../src/tasks/predict.js";
import { prepareCurveFit } from "../../src/tasks/prepare-curve-fit.js";

/** A shipped fit, with the library's CurveFit beside the JSON result a chart is drawn from. */
function shippedFit(model: string, file: string, x: string, y: string) {
  const prepared = prepareCurveFit({ task: "fit-curve", data: { file }, model, x: [x], y });
  const fit = fitCurve(
    prepared.curve,
    { columns: prepared.columns, y: prepared.y, weights: prepared.weights },
    prepared.specs,
    {},
  );
  const doc = fitCurveResult(prepared, fit);
  return { prepared, fit, doc };
}

type Row = Record<string, number>;

describe("curveFitSpec", () => {
  const { prepared, fit, doc } = shippedFit("hill", "examples/dnase-run1.csv", "conc", "density");
  const spec = curveFitSpec(doc, prepared.columns[0]!, prepared.y);
  const data = readDataset("examples/dnase-run1.csv", { x: ["conc"], y: "density" });

  it("holds exactly the input rows, replicates included", () => {
    const points = spec.datasets.points as Row[];
    expect(points.length).toBe(data.rows);
    expect(points.map((p) => p.x)).toEqual(Array.from(data.x));
    expect(points.map((p) => p.y)).toEqual(Array.from(data.y));
    expect(new Set(points.map((p) => p.x)).size).toBeLessThan(points.length);
  });

  it("samples the curve on the fitted function (the predict task's values)", () => {
    const curve = spec.datasets.curve as Row[];
    const at = curve.map((r) => r.x!);
    const saved = JSON.parse(JSON.stringify(doc));
    const predicted = runPredict({ task: "predict", model: { saved }, at }).rows.map((r) =>
      Number(r[1]),
    );
    for (const [i, r] of curve.entries()) expect(r.y).toBeCloseTo(predicted[i]!, 12);
    // log10 axis for a concentration: the samples are evenly spaced in log10(x).
    const logs = at.map(Math.log10);
    expect(logs[2]! - logs[1]!).toBeCloseTo(logs[1]! - logs[0]!, 10);
  });

  it("draws the bands the library computes from the fit's covariance", () => {
    const curve = spec.datasets.curve as Row[];
    const grid = Float64Array.from(curve, (r) => r.x!);
    const bands = curveBands(bandModel(prepared.curve, fit), [grid], { level: 0.95 });
    for (const [i, r] of curve.entries()) {
      expect(r.confLower).toBeCloseTo(bands.confidence.lower[i]!, 10);
      expect(r.confUpper).toBeCloseTo(bands.confidence.upper[i]!, 10);
      expect(r.predLower).toBeCloseTo(bands.prediction.lower[i]!, 10);
      expect(r.predUpper).toBeCloseTo(bands.prediction.upper[i]!, 10);
    }
    expect(bands.prediction.halfWidth[0]!).toBeGreaterThan(bands.confidence.halfWidth[0]!);
  });

  it("older fits without a saved covariance: rebuilt from se and correlation, same bands", () => {
    const older = { ...doc, result: { ...doc.result, covariance: null } };
    const again = curveFitSpec(older, prepared.columns[0]!, prepared.y).datasets.curve as Row[];
    const curve = spec.datasets.curve as Row[];
    for (const [i, r] of again.entries()) {
      expect(r.predUpper).toBeCloseTo(curve[i]!.predUpper!, 10);
      expect(r.confLower).toBeCloseTo(curve[i]!.confLower!, 10);
    }
  });

  it("marks the EC50 at the fitted K and puts the x axis on log10", () => {
    const ec = spec.datasets.ec50 as Row[];
    expect(ec).toHaveLength(1);
    expect(ec[0]!.x).toBe(doc.result.estimates.K);
    const interval = ec50(fit, ec50SpecFor("hill")!).EC50;
    expect(ec[0]!.lower).toBeCloseTo(interval.lower!, 12);
    expect(ec[0]!.upper).toBeCloseTo(interval.upper!, 12);
    expect(JSON.stringify(spec)).toContain('"scale":{"type":"log"}');
  });

  it("has residuals against fitted values and a normal Q-Q of the standardised residuals", () => {
    const residuals = spec.datasets.residuals as Row[];
    const sum = residuals.reduce((s, r) => s + r.residual! ** 2, 0);
    expect(sum).toBeCloseTo(doc.result.rss, 10);
    const qq = spec.datasets.qq as Row[];
    expect(qq.map((r) => r.sample)).toEqual(
      residuals.map((r) => r.residual! / doc.result.sigma!).sort((a, b) => a - b),
    );
  });

  it("a 4pl (x already log10 concentration) keeps a linear axis", () => {
    const { doc: d, prepared: p } = shippedFit("4pl", "examples/dnase-run1.csv", "conc", "density");
    const s = curveFitSpec(d, p.columns[0]!, p.y);
    expect(JSON.stringify(s)).not.toContain('"type":"log"');
    expect((s.datasets.ec50 as Row[])[0]!.x).toBe(d.result.estimates.logEC50);
  });
});

describe("curveFitSpec with a zero dose", () => {
  it("keeps a linear axis, so the control row is drawn", () => {
    const { prepared, doc } = shippedFit("hill", "examples/dnase-run1.csv", "conc", "density");
    const x = Float64Array.from(prepared.columns[0]!, (v, i) => (i === 0 ? 0 : v));
    const spec = curveFitSpec(doc, x, prepared.y);
    expect(JSON.stringify(spec)).not.toContain('"type":"log"');
    expect((spec.datasets.points as Row[])[0]!.x).toBe(0);
  });
});

describe("curveFitSpec without standard errors", () => {
  it("draws the curve and says why there is no band, instead of making one up", () => {
    const { prepared, doc } = shippedFit("hill", "examples/dnase-run1.csv", "conc", "density");
    const none = Object.fromEntries(doc.model.params.map((p) => [p, null]));
    const bare = { ...doc, result: { ...doc.result, std_errors: none, correlation: null } };
    const spec = curveFitSpec(bare, prepared.columns[0]!, prepared.y);
    const curve = spec.datasets.curve as Row[];
    expect(curve.length).toBe(200);
    expect(Object.keys(curve[0]!)).toEqual(["x", "y"]);
    expect(spec.description).toBe("fitted curve; no bands: the fit has no standard errors");
  });
});

describe("normalQuantile", () => {
  it("matches known quantiles of the standard normal", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 8);
    expect(normalQuantile(0.99)).toBeCloseTo(2.326347874040841, 8);
  });
});
