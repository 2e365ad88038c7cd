import { describe, expect, it } from "vitest";
import { runOdeFit } from "../../../src/tasks/ode-fit.js";

const request = (model: string, rtol?: number) => ({
  task: "ode-fit",
  model: { file: model },
  data: { file: "examples/ode/yeast-carlson.csv" },
  time: "t",
  profile: true,
  ...(rtol === undefined ? {} : { rtol, atol: rtol }),
});

describe("ode fit --profile", () => {
  it("gives likelihood-ratio limits where the refitted RSS is S(θ̂)·(1 + t²/(n−p)), all identifiable", async () => {
    const doc = await runOdeFit(request("examples/ode/yeast-logistic.yaml"));
    const pr = doc.profile!;
    const s2 = doc.result.rss / doc.result.df;
    for (const p of pr.parameters) {
      expect(p.nonIdentifiable).toBe(false);
      expect(p.lower!).toBeLessThan(p.estimate);
      expect(p.upper!).toBeGreaterThan(p.estimate);
      // At each limit the profile RSS is the level's: τ = ±t exactly (the trace holds the
      // root's last evaluations, the nearest one within the root finder's tolerance).
      for (const limit of [p.lower!, p.upper!]) {
        const nearest = p.trace.reduce((a, b) =>
          Math.abs(b.value - limit) < Math.abs(a.value - limit) ? b : a,
        );
        expect(Math.abs(Math.abs(nearest.tau) - pr.tQuantile)).toBeLessThan(1e-3);
        expect(nearest.rss).toBeCloseTo(doc.result.rss + s2 * pr.tQuantile ** 2, 1);
      }
    }
    // The nearly linear parameters' profile limits are close to the Wald limits.
    const K = pr.parameters.find((p) => p.name === "K")!;
    expect(Math.abs(K.lower! - K.wald!.lower) / K.standardError!).toBeLessThan(0.1);
  }, 60_000);

  it("flags the parameters a scale makes non-identifiable, and not the rate", async () => {
    // Flat profiles walk out 100 steps of 10 %: a looser tolerance keeps that quick.
    const doc = await runOdeFit(request("test/fixtures/ode/fit/yeast-scaled.yaml", 1e-9));
    expect(doc.result.warnings.map((w) => w.code)).toContain("rank-deficient");
    const flag = Object.fromEntries(
      doc.profile!.parameters.map((p) => [p.name, p.nonIdentifiable]),
    );
    expect(flag).toEqual({ r: false, K: true, N0: true, s: true });
    const s = doc.profile!.parameters.find((p) => p.name === "s")!;
    expect(s.lower === null || s.upper === null).toBe(true);
  }, 60_000);
});
