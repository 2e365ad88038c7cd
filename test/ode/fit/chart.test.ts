import { describe, expect, it } from "vitest";
import { resultReport } from "../../../src/report/report-page.js";
import { chartForResult } from "../../../src/report/result-chart.js";
import { runOdeFit } from "../../../src/tasks/ode-fit.js";

/** The charts of a saved ODE fit: trajectories with data and band, waterfall, profiles. */
describe("ODE fit charts", () => {
  it("draw the data, the fitted curve inside its band, the waterfall and the profiles", async () => {
    const doc = await runOdeFit({
      task: "ode-fit",
      model: { file: "examples/ode/yeast-logistic.yaml" },
      data: { file: "examples/ode/yeast-carlson.csv" },
      time: "t",
      starts: 3,
      profile: true,
    });
    const saved = JSON.parse(JSON.stringify(doc)) as unknown;
    const spec = chartForResult(saved, "fit.json");
    const { curve, points, waterfall, trace } = spec.datasets;
    expect(points).toHaveLength(19);
    expect(points![0]).toEqual({ observable: "yeast", t: 0, y: 9.6 });
    // The curve passes through the fitted value at every data time, inside its band.
    const atData = curve!.filter((row) => Number.isInteger(row.t));
    expect(atData).toHaveLength(19);
    for (const row of curve!) {
      expect(row.lower as number).toBeLessThanOrEqual(row.fitted as number);
      expect(row.upper as number).toBeGreaterThanOrEqual(row.fitted as number);
    }
    expect(waterfall).toHaveLength(3);
    expect(new Set(trace!.map((r) => r.parameter))).toEqual(new Set(["r", "K", "N0"]));
    const html = await resultReport(saved, {
      command: "biograd report fit.json",
      source: "fit.json",
    });
    expect(html).toContain("ODE fit: examples/ode/yeast-logistic.yaml");
    expect(html).toContain("reached the best value");
    expect(html).toContain("<svg");
  }, 60_000);

  it("refuse a saved ODE fit with a bad field, naming its JSON path", async () => {
    const bad = {
      biograd: undefined,
      kind: "ode-fit",
      data: { time: "t", times: [0, "x"], observed: {} },
    };
    expect(() => chartForResult(bad, "fit.json")).toThrow(/fit\.json: data\.times\[1\]/);
  });
});
