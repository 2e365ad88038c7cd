import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FitGroupsResult } from "../../src/tasks/fit-groups.js";
import globalRef from "../fixtures/r/r-global-reference.json" with { type: "json" };
import groupsRef from "../fixtures/r/r-groups-reference.json" with { type: "json" };
import { cli } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "biograd-groups-"));

async function grouped(...args: string[]): Promise<FitGroupsResult> {
  const out = join(dir, `r${Math.random().toString(36).slice(2)}.json`);
  const run = await cli("fit", ...args, "--out", out, "--quiet");
  expect(run.err.filter(Boolean)).toEqual([]);
  expect(run.code).toBe(0);
  return JSON.parse(readFileSync(out, "utf8"));
}

function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
}

/** The rows of `file` whose `column` is `value`, as a CSV of their own. */
function groupFile(file: string, column: string, value: string): string {
  const lines = readFileSync(file, "utf8").trim().split("\n");
  const k = lines[0]!.split(",").indexOf(column);
  const rows = lines.slice(1).filter((l) => l.split(",")[k] === value);
  const path = join(dir, `${column}-${value}.csv`);
  writeFileSync(path, `${[lines[0], ...rows].join("\n")}\n`);
  return path;
}

describe("biograd fit --group", () => {
  it("gives every group exactly the single fit of its rows (exact engine, bit for bit)", async () => {
    const args = ["--model", "logistic", "--x", "lnconc", "--y", "density"];
    const result = await grouped("examples/dnase.csv", "--group", "run", ...args);
    expect(result.groups.map((g) => g.group[0])).toEqual(
      Array.from({ length: 11 }, (_, i) => String(i + 1)),
    );
    for (const g of result.groups) {
      const single = await cli("fit", groupFile("examples/dnase.csv", "run", g.group[0]!), ...args);
      expect(single.code).toBe(0);
      const json = await cli(
        "fit",
        groupFile("examples/dnase.csv", "run", g.group[0]!),
        ...args,
        "--format",
        "json",
      );
      const r = JSON.parse(json.out.join("\n"));
      for (const p of ["Asym", "xmid", "scal"]) {
        expect(g.estimate[p]).toBe(r.estimates[p]);
        expect(g.se[p]).toBe(r.std_errors[p]);
        expect(g.lower[p]).toBe(r.conf_lower[p]);
      }
      expect(g.rss).toBe(r.rss);
      expect(g.n).toBe(r.n);
    }
  }, 20_000);

  for (const set of ["dnase_logistic", "dnase_4pl", "s_alba_hill4"] as const) {
    it(`matches R's per-group fits to 5 digits (${set})`, async () => {
      const s = groupsRef.sets[set];
      const result = await grouped(
        s.csv,
        "--group",
        s.group,
        "--model",
        s.library_model,
        "--x",
        s.x,
        "--y",
        s.y,
      );
      const levels = Object.keys(s.groups);
      expect(result.groups.map((g) => g.group[0]).sort()).toEqual([...levels].sort());
      for (const g of result.groups) {
        const ref = (
          s.groups as Record<
            string,
            { params: string[]; estimate: number[]; std_error: number[]; rss: number }
          >
        )[g.group[0]!]!;
        expect(g.converged).toBe(true);
        ref.params.forEach((p, i) => {
          expect(rel(g.estimate[p]!, ref.estimate[i]!)).toBeLessThan(1e-5);
          expect(rel(g.se[p]!, ref.std_error[i]!)).toBeLessThan(1e-4);
        });
        expect(rel(g.rss!, ref.rss)).toBeLessThan(1e-5);
      }
    }, 20_000);
  }

  it("--fast agrees with the exact engine to 1e-6 relative (dnase, logistic)", async () => {
    const args = ["examples/dnase.csv", "--group", "run", "--model", "logistic"];
    const xy = ["--x", "lnconc", "--y", "density"];
    const exact = await grouped(...args, ...xy);
    const fast = await grouped(...args, ...xy, "--fast");
    expect(fast.settings.engine).toBe("fast");
    exact.groups.forEach((g, i) => {
      for (const p of ["Asym", "xmid", "scal"]) {
        expect(rel(fast.groups[i]!.estimate[p]!, g.estimate[p]!)).toBeLessThan(1e-6);
        expect(rel(fast.groups[i]!.se[p]!, g.se[p]!)).toBeLessThan(1e-5);
      }
    });
  }, 20_000);

  for (const name of ["dnase_logistic_shared_scal", "puromycin_mm_shared_Km"] as const) {
    it(`--share matches R to 5 digits and --compare-shared's F test to 4 (${name})`, async () => {
      const c = globalRef.cases[name];
      const shared = Array.isArray(c.shared_params) ? c.shared_params : [c.shared_params];
      const result = await grouped(
        c.csv,
        "--group",
        c.group,
        "--model",
        c.library_model,
        "--x",
        c.x,
        "--y",
        c.y,
        "--share",
        shared.join(","),
        "--compare-shared",
      );
      const g = result.global!;
      c.shared.params.forEach((p, i) => {
        expect(rel(g.estimate[p]!, c.shared.estimate[i]!)).toBeLessThan(1e-5);
        expect(rel(g.se[p]!, c.shared.std_error[i]!)).toBeLessThan(1e-4);
      });
      expect(rel(g.rss, c.shared.rss)).toBeLessThan(1e-5);
      expect(rel(g.comparison!.F, c.anova.F)).toBeLessThan(1e-4);
      expect(rel(g.comparison!.p, c.anova.p_value)).toBeLessThan(1e-4);
      expect(g.comparison!.df).toBe(c.anova.df);
      expect(rel(g.comparison!.deltaAICc!, c.delta_AICc)).toBeLessThan(1e-4);
      expect(rel(g.comparison!.akaikeWeightShared!, c.akaike_weight_shared)).toBeLessThan(1e-4);
    }, 20_000);
  }

  it("prints the counts, the first groups and the comparison", async () => {
    const run = await cli(
      "fit",
      "examples/puromycin.csv",
      "--group",
      "state",
      "--model",
      "michaelis-menten",
      "--x",
      "conc",
      "--y",
      "rate",
      "--share",
      "Km",
      "--compare-shared",
    );
    expect(run.code).toBe(0);
    expect(run.out[0]).toBe(
      "michaelis-menten fitted to 2 groups by state: 2 fitted, 0 failed, 0 flagged (exact engine)",
    );
    expect(run.out.some((l) => /^treated\s+12\s+yes/.test(l))).toBe(true);
    expect(
      run.out.some((l) =>
        l.startsWith("shared vs separate: F = 1.71817 on 1 and 19 df, p = 0.205552"),
      ),
    ).toBe(true);
  }, 20_000);
});

describe("biograd fit --group: bad input (one line, exit 2, nothing written)", () => {
  const base = ["--model", "4pl", "--x", "log10conc", "--y", "density"];
  const cases: [string, string[], RegExp, string?][] = [
    ["an unknown group column", ["--group", "plate"], /column "plate"/],
    [
      "--share naming no parameter",
      ["--group", "run", "--share", "slope"],
      /^biograd: --share: "slope" is not a parameter of the model \(parameters: bottom, top, logEC50, hill\)$/,
    ],
    [
      "shared parameters with one group",
      ["--group", "run", "--share", "hill"],
      /^biograd: --share: shared parameters need at least two groups; .*run-1\.csv has 1 \(run = 1\)$/,
      groupFile("examples/dnase.csv", "run", "1"),
    ],
    [
      "--compare-shared without --share",
      ["--group", "run", "--compare-shared"],
      /^biograd: --compare-shared: name the shared parameters with --share$/,
    ],
  ];
  for (const [what, args, message, file] of cases) {
    it(what, async () => {
      const out = join(dir, `bad-${what.replace(/\W+/g, "-")}.csv`);
      const run = await cli("fit", file ?? "examples/dnase.csv", ...base, ...args, "--out", out);
      expect(run.code).toBe(2);
      const lines = run.err.filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(existsSync(out)).toBe(false);
    });
  }

  it("empty group cells: refused with their place, or dropped under --na", async () => {
    const file = join(dir, "empty-group.csv");
    writeFileSync(file, "plate,x,y\nA,1,2\n,2,3\nA,3,5\n");
    const out = join(dir, "empty.csv");
    const run = await cli(
      "fit",
      file,
      "--group",
      "plate",
      "--model",
      "a*x+b",
      "--start",
      "a=1,b=0",
      "--x",
      "x",
      "--y",
      "y",
      "--out",
      out,
    );
    expect(run.code).toBe(2);
    expect(run.err.filter(Boolean)).toEqual([
      `biograd: ${file}:3:1: group column "plate": empty value (use --na "" to drop such rows)`,
    ]);
    expect(existsSync(out)).toBe(false);
    const ok = await cli(
      "fit",
      file,
      "--group",
      "plate",
      "--model",
      "a*x+b",
      "--start",
      "a=1,b=0",
      "--x",
      "x",
      "--y",
      "y",
      "--na",
      "",
      "--out",
      out,
      "--quiet",
    );
    expect(ok.code).toBe(0);
    expect(readFileSync(out, "utf8").split("\n")[1]).toMatch(/^A,2,true,/);
  });
});

describe("biograd fit --group --out results.csv", () => {
  it("writes one row per group; a parameter named like a summary column gets _estimate", async () => {
    const out = join(dir, "s-alba.csv");
    const run = await cli(
      "fit",
      "examples/s-alba.csv",
      "--group",
      "herbicide",
      "--model",
      "hill4",
      "--x",
      "dose",
      "--y",
      "drymatter",
      "--out",
      out,
      "--quiet",
    );
    expect(run.code).toBe(0);
    const [header, ...rows] = readFileSync(out, "utf8").trim().split("\n");
    expect(header).toBe(
      "herbicide,n,converged,rss,r2,aicc,flags,y0,y0_se,y0_lower,y0_upper,yinf,yinf_se,yinf_lower,yinf_upper,K,K_se,K_lower,K_upper,n_estimate,n_se,n_lower,n_upper,reason",
    );
    expect(rows.map((r) => r.split(",")[0])).toEqual(["Glyphosate", "Bentazone"]);
    const ref = groupsRef.sets.s_alba_hill4.groups.Glyphosate;
    const cells = rows[0]!.split(",");
    expect(rel(Number(cells[19]), ref.estimate[3]!)).toBeLessThan(1e-5);
    expect(Number(cells[1])).toBe(ref.n);
  });
});
