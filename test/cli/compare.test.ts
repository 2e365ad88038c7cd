import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CompareModelsResult } from "../../src/tasks/compare-models.js";
import { runTask } from "../../src/tasks/run-task.js";
import { cli } from "../helpers/cli.js";
import { digits } from "../helpers/r-reference.js";

/**
 * `biograd compare` and the `compare-models` task against R's anova(nls, nls) and AICc
 * (test/fixtures/r/r-compare-reference.json).
 */
const here = (path: string) => new URL(path, import.meta.url).pathname;
const DNASE = here("../../examples/dnase.csv");

interface RPair {
  simple: { model: string; rss: number; AICc: number };
  complex: { model: string; rss: number; AICc: number };
  anova: { F: number; p_value: number; df: number; res_df: number[] };
  delta_AICc: number;
  akaike_weight_simple: number;
  akaike_weight_complex: number;
  preferred_F: string;
  preferred_AICc: string;
}
const REF = JSON.parse(readFileSync(here("../fixtures/r/r-compare-reference.json"), "utf8")) as {
  cases: {
    dnase1_4pl_vs_5pl: RPair;
    dnase1_logistic_vs_4pl: RPair;
    dnase_per_run_4pl_vs_5pl: { groups: Record<string, RPair | { failed: true; reason: string }> };
  };
};

const dir = mkdtempSync(join(tmpdir(), "biograd-compare-"));
const lines = readFileSync(DNASE, "utf8").trim().split("\n");
const RUN1 = join(dir, "run1.csv");
writeFileSync(
  RUN1,
  `${[lines[0], ...lines.slice(1).filter((l) => l.startsWith("1,"))].join("\n")}\n`,
);

async function compareJson(...args: string[]): Promise<CompareModelsResult> {
  const r = await cli("compare", ...args, "--format", "json");
  expect(r.code, r.err.join("\n")).toBe(0);
  return JSON.parse(r.out.at(-1)!) as CompareModelsResult;
}

/** F and p to 4 digits, RSS and AICc to 5, Akaike weights and the preferred models. */
function expectMatches(c: CompareModelsResult["comparisons"][number], ref: RPair) {
  expect(c.failed).toBe(false);
  const [simple, complex] = c.fits;
  expect(digits(simple!.rss!, ref.simple.rss)).toBeGreaterThan(5);
  expect(digits(complex!.rss!, ref.complex.rss)).toBeGreaterThan(5);
  expect(digits(simple!.aicc!, ref.simple.AICc)).toBeGreaterThan(5);
  expect(digits(complex!.aicc!, ref.complex.AICc)).toBeGreaterThan(5);
  const t = c.tests[0]!;
  expect([t.df_numerator, t.df_denominator]).toEqual([ref.anova.df, ref.anova.res_df[1]]);
  expect(digits(t.F, ref.anova.F)).toBeGreaterThan(4);
  expect(digits(t.p_value, ref.anova.p_value)).toBeGreaterThan(4);
  expect(digits(t.delta_aicc!, ref.delta_AICc)).toBeGreaterThan(4);
  expect(digits(simple!.akaike_weight!, ref.akaike_weight_simple)).toBeGreaterThan(4);
  expect(digits(complex!.akaike_weight!, ref.akaike_weight_complex)).toBeGreaterThan(4);
  expect(c.preferred_by_f).toBe(ref.preferred_F);
  expect(c.preferred_by_aicc).toBe(ref.preferred_AICc);
  expect(c.preferred).toBe(ref.preferred_F);
}

describe("biograd compare", () => {
  it("DNase run 1, 4pl vs 5pl: R's anova F and p to 4 digits, AICc weights, the preferred model", async () => {
    const result = await compareJson(
      RUN1,
      ...["--models", "4pl,5pl", "--x", "log10conc", "--y", "density"],
    );
    expect(result.comparisons).toHaveLength(1);
    expectMatches(result.comparisons[0]!, REF.cases.dnase1_4pl_vs_5pl);
  });

  it("DNase run 1, logistic vs 4pl (a library model nested by parameter count)", async () => {
    const result = await compareJson(
      RUN1,
      ...["--models", "logistic,4pl", "--x", "log10conc", "--y", "density"],
    );
    expectMatches(result.comparisons[0]!, REF.cases.dnase1_logistic_vs_4pl);
  });

  it("--group run: every run compared against R; R's two failed 5pl runs do not stop the rest", async () => {
    const result = await compareJson(
      DNASE,
      ...["--models", "4pl,5pl", "--x", "log10conc", "--y", "density", "--group", "run"],
    );
    const byRun = new Map(result.comparisons.map((c) => [c.group!.run!, c]));
    expect([...byRun.keys()].sort((a, b) => Number(a) - Number(b))).toEqual(
      Object.keys(REF.cases.dnase_per_run_4pl_vs_5pl.groups).sort((a, b) => Number(a) - Number(b)),
    );
    for (const [run, ref] of Object.entries(REF.cases.dnase_per_run_4pl_vs_5pl.groups)) {
      const c = byRun.get(run)!;
      if ("failed" in ref) {
        // R's Gauss-Newton from s = 1 found no 5pl optimum on runs 3 and 4; biograd's fit
        // does (an interior s, converged): a valid nested fit, never worse than the 4pl.
        expect(c.failed).toBe(false);
        expect(c.fits[1]!.rss!).toBeLessThanOrEqual(c.fits[0]!.rss!);
        continue;
      }
      expectMatches(c, ref);
    }
  });

  it("a group that cannot be fitted is recorded with its reason; the others are unchanged", async () => {
    const file = join(dir, "with-bad.csv");
    const bad = ["99,1,0,0,0.5", "99,2,0,0.30103,0.6", "99,3,0,0.47712,0.7"];
    writeFileSync(file, `${[...lines, ...bad].join("\n")}\n`);
    const args = ["--models", "4pl,5pl", "--x", "log10conc", "--y", "density", "--group", "run"];
    const result = await compareJson(file, ...args);
    const failed = result.comparisons.filter((c) => c.failed);
    expect(failed.map((c) => c.group!.run)).toEqual(["99"]);
    expect(failed[0]!.reason).toMatch(/^4pl: .+; 5pl: .+/);
    const clean = await compareJson(DNASE, ...args);
    expect(result.comparisons.filter((c) => !c.failed)).toEqual(clean.comparisons);
    // The table says it too.
    const r = await cli("compare", file, ...args);
    expect(r.code).toBe(0);
    expect(r.out).toContain("11 of 12 groups compared; 1 failed");
  });

  it("--out writes CSV (a row per group and model) or JSON, and refuses the data file", async () => {
    const csv = join(dir, "compare.csv");
    const args = ["--models", "4pl,5pl", "--x", "log10conc", "--y", "density", "--group", "run"];
    const r = await cli("compare", DNASE, ...args, "--out", csv);
    expect(r.code).toBe(0);
    const rows = readFileSync(csv, "utf8").trim().split("\n");
    expect(rows[0]).toBe(
      "run,model,n,p,converged,rss,df,aicc,akaike_weight,F,df_numerator,df_denominator,p_value,preferred,failed,reason",
    );
    expect(rows).toHaveLength(1 + 22);
    const run1 = rows.find((l) => l.startsWith("1,5pl,"))!.split(",");
    expect(digits(Number(run1[9]), REF.cases.dnase1_4pl_vs_5pl.anova.F)).toBeGreaterThan(4);
    const json = join(dir, "compare.json");
    expect((await cli("compare", DNASE, ...args, "--out", json)).code).toBe(0);
    expect(JSON.parse(readFileSync(json, "utf8")).comparisons).toHaveLength(11);
    const over = await cli("compare", DNASE, ...args, "--out", DNASE);
    expect(over.code).toBe(2);
  });

  it("the compare-models task runs through runTask", async () => {
    const result = (await runTask({
      task: "compare-models",
      data: { file: RUN1 },
      models: ["4pl", "5pl"],
      x: ["log10conc"],
      y: "density",
    })) as CompareModelsResult;
    expect(result.kind).toBe("model-comparison");
    expectMatches(result.comparisons[0]!, REF.cases.dnase1_4pl_vs_5pl);
  });

  it("bad input is one line, exit 2", async () => {
    const base = ["--x", "log10conc", "--y", "density"];
    let r = await cli("compare", DNASE, "--models", "4pl", ...base);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([
      'biograd: --models: expected two or more models, e.g. 4pl,5pl; got "4pl"',
    ]);
    r = await cli("compare", DNASE, "--models", "4pl,5pl", ...base, "--start", "Km=1");
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/^biograd: --start: "Km" is not a parameter of any of the models/);
    r = await cli("compare", DNASE, "--models", "4pl,5pl", ...base, "--group", "plate");
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/plate/);
  });
});
