import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runFitCurve } from "../../src/tasks/fit-curve.js";
import { cli } from "../helpers/cli.js";
import { digits } from "../helpers/r-reference.js";

/**
 * `biograd fit`'s statistics beyond the nls summary: profile-likelihood intervals against
 * R's confint (test/fixtures/r/r-profile-reference.json), quality flags, EC50, residuals,
 * and fitting a 4pl on log10 of a concentration column.
 */
const here = (path: string) => new URL(path, import.meta.url).pathname;
const PUROMYCIN = here("../../examples/puromycin-treated.csv");
const DNASE_RUN1 = here("../../examples/dnase-run1.csv");
const DNASE = here("../../examples/dnase.csv");

interface ProfileLevel {
  profile_mass: { lower: number[]; upper: number[] };
  wald_t: { lower: number[]; upper: number[] };
}
interface ProfileCase {
  fit: { params: string[] };
  intervals: { level_95: ProfileLevel; level_99: ProfileLevel };
}
const PROFILE = JSON.parse(
  readFileSync(here("../fixtures/r/r-profile-reference.json"), "utf8"),
) as { cases: Record<string, ProfileCase> };

type FitJson = ReturnType<typeof runFitCurve>["result"];

async function fitJson(...args: string[]): Promise<{ result: FitJson; err: string[] }> {
  const r = await cli("fit", ...args, "--format", "json");
  expect(r.code, r.err.join("\n")).toBe(0);
  return { result: JSON.parse(r.out.filter((l) => l !== "").at(-1)!) as FitJson, err: r.err };
}

function expectProfileMatches(result: FitJson, ref: ProfileCase, level: ProfileLevel) {
  expect(result.profile).not.toBeNull();
  ref.fit.params.forEach((name, j) => {
    // R's confint reads the limits off a spline: 3 digits is what it carries.
    expect(digits(result.profile!.lower[name]!, level.profile_mass.lower[j]!)).toBeGreaterThan(3);
    expect(digits(result.profile!.upper[name]!, level.profile_mass.upper[j]!)).toBeGreaterThan(3);
    // The Wald interval stays beside it (t quantile, as Prism).
    expect(digits(result.conf_lower[name]!, level.wald_t.lower[j]!)).toBeGreaterThan(5);
    expect(digits(result.conf_upper[name]!, level.wald_t.upper[j]!)).toBeGreaterThan(5);
  });
}

describe("fit --ci profile", () => {
  it("Puromycin (Michaelis–Menten) matches R's confint to 3 digits, Wald beside it", async () => {
    const ref = PROFILE.cases.puromycin_treated_mm!;
    const { result } = await fitJson(
      PUROMYCIN,
      ...["--model", "michaelis-menten", "--x", "conc", "--y", "rate", "--ci", "profile"],
    );
    expectProfileMatches(result, ref, ref.intervals.level_95);
    // Asymmetric: the profile's upper limit of Km is further from the estimate than its lower.
    const km = result.estimates.Km!;
    expect(result.profile!.upper.Km! - km).toBeGreaterThan(km - result.profile!.lower.Km!);
  });

  it("DNase run 1 (logistic in log(conc), a formula) matches R's confint", async () => {
    const ref = PROFILE.cases.dnase1_logistic!;
    const { result } = await fitJson(
      DNASE_RUN1,
      ...["--model", "Asym/(1+exp((xmid-log(conc))/scal))", "--x", "conc", "--y", "density"],
      ...["--start", "Asym=3,xmid=0,scal=1", "--ci", "profile"],
    );
    expectProfileMatches(result, ref, ref.intervals.level_95);
  });

  it("the task at level 0.99 matches R's 99 % intervals", () => {
    const ref = PROFILE.cases.puromycin_treated_mm!;
    const doc = runFitCurve({
      task: "fit-curve",
      data: { file: PUROMYCIN },
      model: "michaelis-menten",
      x: ["conc"],
      y: "rate",
      ci: "profile",
      level: 0.99,
    });
    expectProfileMatches(doc.result, ref, ref.intervals.level_99);
  });

  it("the table shows both intervals; --ci wald (the default) adds no profile", async () => {
    const r = await cli(
      "fit",
      PUROMYCIN,
      ...["--model", "michaelis-menten", "--x", "conc", "--y", "rate", "--ci", "profile"],
    );
    expect(r.out.find((l) => l.includes("profile lower"))).toBeDefined();
    expect(r.out.find((l) => l.startsWith("Vmax"))).toMatch(/197\.30\d\s+229\.2\d/);
    const { result } = await fitJson(
      PUROMYCIN,
      ...["--model", "michaelis-menten", "--x", "conc", "--y", "rate"],
    );
    expect(result.profile).toBeNull();
  });
});

describe("quality flags and EC50", () => {
  it("a clean fit has no flags and says so", async () => {
    const r = await cli(
      "fit",
      DNASE_RUN1,
      ...["--model", "4pl", "--x-log10", "conc", "--y", "density"],
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain("Quality flags: none");
    const { result } = await fitJson(
      DNASE_RUN1,
      ...["--model", "4pl", "--x-log10", "conc", "--y", "density"],
    );
    expect(result.flags).toEqual([]);
  });

  it("a flat curve is flagged, with the F test in the message", async () => {
    const dir = mkdtempSync(join(tmpdir(), "biograd-flags-"));
    const file = join(dir, "flat.csv");
    const noise = [0.3, -0.2, 0.1, -0.4, 0.2, 0.05, -0.1, 0.35, -0.3, 0.15, -0.05, 0.25];
    const rows = noise.map((e, i) => `${1 + i},${10 + e}`);
    writeFileSync(file, `x,y\n${rows.join("\n")}\n`);
    const r = await cli(
      "fit",
      file,
      "--model",
      "a+b*x",
      "--x",
      "x",
      "--y",
      "y",
      "--start",
      "a=1,b=1",
    );
    expect(r.out).toContainEqual(expect.stringMatching(/^Quality flags: .*flat-curve/));
    expect(r.out).toContainEqual(
      expect.stringMatching(
        /^ {2}flat-curve: the curve does not differ from a horizontal line \(F = /,
      ),
    );
  });

  it("4pl: logEC50 and EC50 = 10^logEC50 with transformed limits", async () => {
    const { result } = await fitJson(
      DNASE_RUN1,
      ...["--model", "4pl", "--x-log10", "conc", "--y", "density"],
    );
    const ec = result.ec50!;
    expect(ec.parameter).toBe("logEC50");
    expect(ec.logEC50.estimate).toBe(result.estimates.logEC50);
    expect(ec.logEC50.lower).toBeCloseTo(result.conf_lower.logEC50!, 12);
    expect(ec.EC50.estimate).toBeCloseTo(10 ** result.estimates.logEC50!, 12);
    expect(ec.EC50.lower).toBeCloseTo(10 ** result.conf_lower.logEC50!, 12);
    expect(ec.EC50.upper).toBeCloseTo(10 ** result.conf_upper.logEC50!, 12);
    // R's nls on DNase run 1, 4pl in log10(conc) (r-compare-reference.json): logEC50.
    expect(digits(ec.logEC50.estimate!, 0.6546567688516904)).toBeGreaterThan(5);
  });

  it("hill4: the EC50 is K itself", async () => {
    const { result } = await fitJson(
      DNASE_RUN1,
      ...["--model", "hill4", "--x", "conc", "--y", "density"],
    );
    expect(result.ec50!.parameter).toBe("K");
    expect(result.ec50!.EC50.estimate).toBe(result.estimates.K);
    expect(result.ec50!.logEC50.estimate).toBeCloseTo(Math.log10(result.estimates.K!), 12);
  });

  it("a model without an EC50 has ec50: null", async () => {
    const { result } = await fitJson(
      PUROMYCIN,
      ...["--model", "michaelis-menten", "--x", "conc", "--y", "rate"],
    );
    expect(result.ec50).toBeNull();
  });
});

describe("fit --residuals", () => {
  it("writes x, y, fitted, residual and weight per row; Σ w·r² is the RSS", async () => {
    const dir = mkdtempSync(join(tmpdir(), "biograd-residuals-"));
    const path = join(dir, "res.csv");
    const r = await cli(
      "fit",
      PUROMYCIN,
      ...["--model", "michaelis-menten", "--x", "conc", "--y", "rate", "--weights", "1/y"],
      ...["--residuals", path, "--format", "json"],
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out.at(-1)!) as FitJson & { residuals?: unknown };
    expect(doc.residuals).toBeUndefined(); // rows go to the file only
    const lines = readFileSync(path, "utf8").trim().split("\n");
    expect(lines[0]).toBe("conc,rate,fitted,residual,weight");
    const rows = lines.slice(1).map((l) => l.split(",").map(Number));
    expect(rows).toHaveLength(12);
    const source = readFileSync(PUROMYCIN, "utf8").trim().split("\n").slice(1);
    let rss = 0;
    rows.forEach(([x, y, fitted, residual, w], i) => {
      const [cx, cy] = source[i]!.split(",").map(Number);
      expect([x, y]).toEqual([cx, cy]);
      expect(residual).toBeCloseTo(y! - fitted!, 9);
      expect(w).toBeCloseTo(1 / y!, 15);
      const vm = doc.estimates.Vmax!;
      expect(fitted).toBeCloseTo((vm * x!) / (doc.estimates.Km! + x!), 9);
      rss += w! * residual! ** 2;
    });
    expect(rss / doc.rss).toBeCloseTo(1, 10);
  });

  it("refuses --residuals over the data file before any work", async () => {
    const r = await cli(
      "fit",
      PUROMYCIN,
      ...["--model", "michaelis-menten", "--x", "conc", "--y", "rate", "--residuals", PUROMYCIN],
    );
    expect(r.code).toBe(2);
    expect(r.err.join("\n")).toMatch(/--residuals/);
  });
});

describe("--x-log10 and the linear-concentration warning", () => {
  it("--x-log10 conc fits the same curve as a log10 column", async () => {
    const all = readFileSync(DNASE, "utf8").trim().split("\n");
    const dir = mkdtempSync(join(tmpdir(), "biograd-logx-"));
    const file = join(dir, "run1.csv");
    writeFileSync(
      file,
      `${[all[0], ...all.slice(1).filter((l) => l.startsWith("1,"))].join("\n")}\n`,
    );
    const a = await fitJson(file, "--model", "4pl", "--x-log10", "conc", "--y", "density");
    const b = await fitJson(file, "--model", "4pl", "--x", "log10conc", "--y", "density");
    for (const name of ["bottom", "top", "logEC50", "hill"]) {
      expect(digits(a.result.estimates[name]!, b.result.estimates[name]!)).toBeGreaterThan(8);
    }
    expect(a.result.warnings).toEqual([]);
  });

  it("a 4pl on positive x spanning more than two decades says so and names the fix", async () => {
    const r = await cli("fit", DNASE_RUN1, "--model", "4pl", "--x", "conc", "--y", "density");
    expect(r.out).toContain(
      "Warning: conc is all positive and spans 2.4 decades: 4pl expects log10 concentrations; use --x-log10 conc (or a log10 column)",
    );
    const doc = runFitCurve({
      task: "fit-curve",
      data: { file: DNASE_RUN1 },
      model: "4pl",
      x: ["conc"],
      y: "density",
      phases: ["lm"],
    });
    expect(doc.result.warnings[0]).toEqual({
      code: "x-not-log10",
      message: expect.stringContaining('give "logX": ["conc"]'),
    });
  });

  it("no warning for x within two decades, for other models, or for log10 columns", () => {
    const doc = runFitCurve({
      task: "fit-curve",
      data: { file: DNASE_RUN1 },
      model: "hill4",
      x: ["conc"],
      y: "density",
    });
    expect(doc.result.warnings.map((w) => w.code)).not.toContain("x-not-log10");
  });

  it("refuses a non-positive value and a column that is not the model's", async () => {
    const dir = mkdtempSync(join(tmpdir(), "biograd-logx-"));
    const file = join(dir, "zero.csv");
    writeFileSync(file, "conc,y\n1,1\n0,2\n10,3\n100,4\n1000,5\n");
    let r = await cli("fit", file, "--model", "4pl", "--x-log10", "conc", "--y", "y");
    expect(r.code).toBe(2);
    expect(r.err).toEqual(["biograd: --x-log10 conc: log10 needs values > 0, got 0 in data row 2"]);
    r = await cli("fit", file, "--model", "4pl", "--x", "conc", "--x-log10", "dose", "--y", "y");
    expect(r.err).toEqual([
      'biograd: --x-log10: "dose" is not a column of the model (its columns: conc)',
    ]);
    r = await cli("fit", file, "--model", "4pl", "--y", "y");
    expect(r.err).toEqual(["biograd: --x: required: the variable column(s) (or --x-log10 COLUMN)"]);
  });
});
