import { describe, expect, it } from "vitest";
import { fitCurve } from "../../src/nls/fit-curve.js";
import { profileIntervals } from "../../src/nls/stats/profile.js";
import { renderSvg } from "../../src/report/render.js";
import { chartForResult } from "../../src/report/result-chart.js";
import { runFitCurve } from "../../src/tasks/fit-curve.js";
import { prepareCurveFit } from "../../src/tasks/prepare-curve-fit.js";
import { parseXml } from "./xml.js";

type Row = Record<string, number | string>;

const request = {
  task: "fit-curve",
  data: { file: "examples/dnase-run1.csv" },
  model: "logistic",
  x: ["conc"],
  y: "density",
  ci: "profile",
};

describe("profile-likelihood chart of a fit saved with --ci profile", () => {
  const doc = JSON.parse(JSON.stringify(runFitCurve(request)));
  // The profiles computed here independently of the chart: the library's fit and profile.
  const prepared = prepareCurveFit(request);
  const fit = fitCurve(
    prepared.curve,
    { columns: prepared.columns, y: prepared.y, weights: prepared.weights },
    prepared.specs,
    {},
  );
  const reference = profileIntervals(
    prepared.curve,
    { columns: prepared.columns, y: prepared.y, weights: prepared.weights },
    prepared.specs,
    fit,
    { level: 0.95 },
  );

  it("plots profileIntervals's trace and marks the saved interval's limits", async () => {
    const spec = chartForResult(doc, "fit.json");
    const trace = spec.datasets.trace as Row[];
    for (const p of reference.parameters) {
      const mine = trace.filter((r) => r.parameter === p.name);
      expect(mine.length).toBe(p.trace.length);
      for (const [i, pt] of p.trace.entries()) {
        expect(mine[i]!.value).toBeCloseTo(pt.value, 8);
        expect(mine[i]!.tau).toBeCloseTo(pt.tau, 6);
      }
      const limits = (spec.datasets.limits as Row[]).filter((r) => r.parameter === p.name);
      expect(limits).toEqual([
        { parameter: p.name, limit: "lower", value: doc.result.profile.lower[p.name] },
        { parameter: p.name, limit: "upper", value: doc.result.profile.upper[p.name] },
      ]);
    }
    const quantiles = spec.datasets.quantiles as Row[];
    expect(quantiles.map((r) => r.tau)).toContain(reference.tQuantile);
    expect(quantiles.map((r) => r.tau)).toContain(-reference.tQuantile);
    // The fit chart is still there, above: its data points are the file's 16 rows.
    expect((spec.datasets.points as Row[]).length).toBe(16);
    const svg = await renderSvg(spec);
    parseXml(svg);
    for (const p of reference.parameters) {
      expect(svg).toContain(`role-mark trace_${p.name}_marks"`);
      expect(svg).toContain(`role-mark limits_${p.name}_marks"`);
    }
  });

  it("a fit without --ci profile draws no profiles", () => {
    const plain = JSON.parse(JSON.stringify(runFitCurve({ ...request, ci: undefined })));
    expect(chartForResult(plain, "fit.json").datasets.trace).toBeUndefined();
  });

  it("estimates that the data no longer give are named in one line", () => {
    const changed = structuredClone(doc);
    changed.result.estimates.Asym *= 1.01;
    expect(() => chartForResult(changed, "fit.json")).toThrow(
      /^fit\.json: result\.estimates\.Asym: the fit of the request's data now gives .*was the data file changed since the fit\?$/,
    );
  });
});
