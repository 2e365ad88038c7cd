import { describe, expect, it } from "vitest";
import { type Ec50Estimate, ec50, ec50SpecFor } from "../../../src/nls/stats/derived-ec50.js";
import { relativePotency } from "../../../src/nls/stats/derived-potency.js";
import { studentTQuantile } from "../../../src/nls/stats/student-t.js";
import { digits } from "../../helpers/r-reference.js";
import { column, libraryFit, readExample } from "../quality/library-fit.js";

const run1 = readExample("dnase.csv", (r) => r.run === "1");

describe("ec50", () => {
  it("4pl on log10 concentration: logEC50 ± t·se, EC50 = 10^logEC50 with transformed limits", () => {
    const { fit } = libraryFit("4pl", column(run1, "log10conc"), column(run1, "density"));
    const e = ec50(fit, ec50SpecFor("4pl")!);
    const k = fit.summary.names.indexOf("logEC50");
    // The fit's own Wald interval at 95 % is the logEC50 interval.
    expect(e.logEC50.lower).toBeCloseTo(fit.summary.lower![k]!, 12);
    expect(e.logEC50.upper).toBeCloseTo(fit.summary.upper![k]!, 12);
    expect(e.EC50.estimate).toBe(10 ** fit.estimates.logEC50!);
    expect(e.EC50.lower).toBe(10 ** e.logEC50.lower!);
    expect(e.EC50.upper).toBe(10 ** e.logEC50.upper!);
    expect(e.EC50.se! / (e.EC50.estimate * Math.LN10 * e.logEC50.se!)).toBeCloseTo(1, 14);
    // R's nls 4pl on this run: logEC50 = 0.6546567720892337 (r-compare-reference.json).
    expect(digits(e.logEC50.estimate, 0.6546567720892337)).toBeGreaterThanOrEqual(6);
  });

  it("hill4 on linear concentration (K is the EC50) agrees with the 4pl on log10 concentration", () => {
    // The same curve family: x^n/(K^n + x^n) = 1/(1 + 10^(n·(log10 K − log10 x))), so the two
    // fits share their optimum, and the delta-method se of log10 K equals the 4pl's se of
    // logEC50 exactly (the covariance transforms with the reparameterisation's Jacobian).
    const y = column(run1, "density");
    const four = ec50(libraryFit("4pl", column(run1, "log10conc"), y).fit, ec50SpecFor("4pl")!);
    const hill = ec50(libraryFit("hill4", column(run1, "conc"), y).fit, ec50SpecFor("hill4")!);
    expect(hill.parameter).toBe("K");
    expect(digits(hill.EC50.estimate, four.EC50.estimate)).toBeGreaterThanOrEqual(6);
    expect(digits(hill.logEC50.se!, four.logEC50.se!)).toBeGreaterThanOrEqual(5);
    // On the linear scale the interval is K ± t·se(K), symmetric in K.
    expect(hill.EC50.upper! - hill.EC50.estimate).toBeCloseTo(
      hill.EC50.estimate - hill.EC50.lower!,
      12,
    );
    expect(hill.logEC50.lower).toBe(Math.log10(hill.EC50.lower!));
  });

  it("knows which models have an EC50 and refuses a missing parameter", () => {
    expect(ec50SpecFor("5pl")).toEqual({ parameter: "logEC50", scale: "log10" });
    expect(ec50SpecFor("michaelis-menten")).toBeNull();
    const { fit } = libraryFit("4pl", column(run1, "log10conc"), column(run1, "density"));
    expect(() => ec50(fit, { parameter: "K", scale: "linear" })).toThrow(
      'EC50: the model has no parameter "K" (parameters: bottom, top, logEC50, hill)',
    );
  });
});

/** An EC50 estimate from its numbers alone (for hand computations). */
function made(logEc50: number, se: number, df: number): Ec50Estimate {
  const ec = 10 ** logEc50;
  const none = { se: null, lower: null, upper: null };
  return {
    parameter: "logEC50",
    scale: "log10",
    level: 0.95,
    df,
    tQuantile: Number.NaN,
    logEC50: { estimate: logEc50, ...none, se },
    EC50: { estimate: ec, ...none, se: ec * Math.LN10 * se },
  };
}

describe("relativePotency", () => {
  it("by hand: ratio, Welch–Satterthwaite df, delta interval on the log scale", () => {
    const a = made(1.2, 0.05, 20);
    const b = made(0.9, 0.08, 10);
    const r = relativePotency(a, b);
    expect(r.ratio).toBeCloseTo(10 ** 0.3, 12);
    const va = 0.0025;
    const vb = 0.0064;
    const df = (va + vb) ** 2 / (va ** 2 / 20 + vb ** 2 / 10);
    expect(r.df).toBeCloseTo(df, 12);
    const t = studentTQuantile(0.975, df);
    expect(r.delta.lower).toBeCloseTo(10 ** (0.3 - t * Math.sqrt(va + vb)), 12);
    expect(r.delta.upper).toBeCloseTo(10 ** (0.3 + t * Math.sqrt(va + vb)), 12);
  });

  it("Fieller's limits solve (a − ρb)² = t²(v_a + ρ²v_b) and bracket the ratio", () => {
    const a = made(1.2, 0.05, 20);
    const b = made(0.9, 0.08, 10);
    const r = relativePotency(a, b);
    const [ea, eb] = [a.EC50.estimate, b.EC50.estimate];
    const [va, vb] = [a.EC50.se! ** 2, b.EC50.se! ** 2];
    for (const rho of [r.fieller!.lower, r.fieller!.upper]) {
      const lhs = (ea - rho * eb) ** 2;
      const rhs = r.tQuantile ** 2 * (va + rho * rho * vb);
      expect(lhs / rhs).toBeCloseTo(1, 10);
    }
    expect(r.fieller!.lower < r.ratio && r.ratio < r.fieller!.upper).toBe(true);
  });

  it("Fieller and delta agree as the standard errors shrink; Fieller is unbounded when g ≥ 1", () => {
    const tight = relativePotency(made(1.2, 1e-4, 20), made(0.9, 1e-4, 20));
    expect(tight.fieller!.lower / tight.delta.lower).toBeCloseTo(1, 6);
    expect(tight.fieller!.upper / tight.delta.upper).toBeCloseTo(1, 6);
    // se(EC50_b)/EC50_b = ln10·0.5 ≈ 1.15 > 1/t: b is not distinguishable from 0.
    const loose = relativePotency(made(1.2, 0.05, 20), made(0.9, 0.5, 20));
    expect(loose.fieller).toBeNull();
    expect(loose.fiellerReason).toMatch(/not distinguishable from 0 .* unbounded/);
    expect(loose.delta.upper).toBeGreaterThan(loose.ratio);
  });

  it("between two DNase runs fitted independently", () => {
    const fitRun = (run: string) => {
      const rows = readExample("dnase.csv", (r) => r.run === run);
      const f = libraryFit("4pl", column(rows, "log10conc"), column(rows, "density")).fit;
      return ec50(f, ec50SpecFor("4pl")!);
    };
    const r = relativePotency(fitRun("1"), fitRun("2"));
    // R's per-run 4pl logEC50 (r-compare-reference.json): 0.65465677, 0.60503739.
    expect(digits(r.log10Ratio, 0.6546567688516904 - 0.6050373874209971)).toBeGreaterThanOrEqual(4);
    expect(r.delta.lower < r.ratio && r.ratio < r.delta.upper).toBe(true);
  });
});
