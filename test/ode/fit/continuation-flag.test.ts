import { describe, expect, it } from "vitest";
import { cli } from "../../helpers/cli.js";

const args = [
  "ode",
  "fit",
  "examples/ode/yeast-logistic.yaml",
  "examples/ode/yeast-carlson.csv",
  "--time",
  "t",
];

interface JsonResult {
  estimates: Record<string, number>;
  rss: number;
  converged: boolean;
  continuation: { rows: number; kept: boolean }[] | null;
  phases: { from: string; chosen: boolean }[];
}

const json = (out: string[]) => JSON.parse(out.filter((l) => l !== "").at(-1)!) as JsonResult;

// A start from which Levenberg–Marquardt alone runs the capacity K off to ∞ (an exponential
// curve through the sigmoid: R² 0.8, but long runs of residuals of one sign), so the fit
// goes on to the continuation.
const far = ["--start", "r=0.05,K=60,N0=1"];

describe("biograd ode fit --no-continuation", () => {
  it("runs the continuation when LM from the start fails and reports its windows; the flag skips it", async () => {
    const on = await cli(...args, ...far, "--format", "json");
    const off = await cli(...args, ...far, "--format", "json", "--no-continuation");
    expect(on.code).toBe(0);
    expect(off.code).toBe(0);
    const a = json(on.out);
    const b = json(off.out);
    expect(a.continuation!.length).toBeGreaterThan(0);
    expect(a.phases.some((p) => p.from === "continuation")).toBe(true);
    expect(b.continuation).toBeNull();
    expect(b.phases.some((p) => p.from === "continuation")).toBe(false);
    // Both reach the optimum of the fit from the model file's start.
    const file = json((await cli(...args, "--format", "json")).out);
    expect(file.continuation).toBeNull(); // LM from the file's start stood alone
    for (const [name, value] of Object.entries(file.estimates)) {
      expect(a.estimates[name]!).toBeCloseTo(value, 6);
      expect(b.estimates[name]!).toBeCloseTo(value, 6);
    }
    expect(a.rss).toBeCloseTo(file.rss, 8);
    expect(b.rss).toBeCloseTo(file.rss, 8);
  }, 60_000);

  it("says in the table where the chosen Levenberg–Marquardt run started", async () => {
    const run = await cli(...args, ...far);
    expect(run.code).toBe(0);
    const line = run.out.find((l) => l.startsWith("Continuation: "));
    expect(line).toMatch(
      /^Continuation: \d+ windows of the data \(t ≤ .+\); estimates from Levenberg–Marquardt started at (the continuation's end|the first-order phase's end|the start values)$/,
    );
  }, 60_000);
});
