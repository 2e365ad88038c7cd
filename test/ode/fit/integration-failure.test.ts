import { describe, expect, it } from "vitest";
import { cli } from "../../helpers/cli.js";

/**
 * y' = r·y² blows up before the last data time (1.8) for r > 0.556. From r = 0.3 the
 * first-order phase steps past that twice: each failed integration is a rejected
 * (non-finite) step, the fit goes on, converges and reports the failures. The optimum is
 * checked against the closed form y = 1/(1 − r t) fitted by scipy (least_squares on the
 * formula, no ODE): r = 0.5000335701352489, RSS 0.007368330548619698.
 */
describe("an integrator failure during a fit", () => {
  it("is rejected as a non-finite step, counted, and the fit still converges", async () => {
    const run = await cli(
      "ode",
      "fit",
      "test/fixtures/ode/fit/blowup.yaml",
      "test/fixtures/ode/fit/blowup.csv",
      "--time",
      "t",
      "--format",
      "json",
    );
    expect(run.code).toBe(0);
    const out = JSON.parse(run.out.filter(Boolean).at(-1)!) as {
      estimates: { r: number };
      rss: number;
      converged: boolean;
      integration: { failures: number; lastFailure: string | null };
      warnings: { code: string; message: string }[];
    };
    expect(out.converged).toBe(true);
    expect(out.integration.failures).toBeGreaterThan(0);
    expect(out.integration.lastFailure).toMatch(/^integrator: .* at t = /);
    expect(out.warnings.map((w) => w.code)).toContain("integration-failures");
    expect(Math.abs(out.estimates.r - 0.5000335701352489) / 0.5).toBeLessThan(1e-7);
    expect(Math.abs(out.rss - 0.007368330548619698) / 0.0074).toBeLessThan(1e-7);
  });
});
