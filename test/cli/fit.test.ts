import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { digits, R_REFERENCE, type RCase } from "../helpers/r-reference.js";

const example = (name: string) => new URL(`../../examples/${name}`, import.meta.url).pathname;
const PUROMYCIN = example("puromycin-treated.csv");
const DNASE = example("dnase-run1.csv");
const cases = R_REFERENCE.cases;

/** Runs `biograd fit … --format json` and returns the JSON object on its last line. */
async function fitJson(...args: string[]) {
  const r = await cli("fit", ...args, "--format", "json");
  expect(
    r.err.filter((l) => l !== ""),
    r.err.join("\n"),
  ).toEqual([]);
  expect(r.code).toBe(0);
  return JSON.parse(r.out.filter((l) => l !== "").at(-1)!) as {
    estimates: Record<string, number>;
    std_errors: Record<string, number | null>;
    rss: number;
    converged: boolean;
    sigma: number;
    aic: number;
    bic: number;
  };
}

/** Estimates and standard errors agree with R's nls to at least 5 significant digits. */
function expectMatchesR(
  result: Awaited<ReturnType<typeof fitJson>>,
  ref: RCase,
  names = ref.params,
) {
  for (const name of names) {
    const j = ref.params.indexOf(name);
    expect(
      digits(result.estimates[name]!, ref.estimate[j]!),
      `${name} estimate`,
    ).toBeGreaterThanOrEqual(5);
    expect(
      digits(result.std_errors[name]!, ref.std_error[j]!),
      `${name} std. error`,
    ).toBeGreaterThanOrEqual(5);
  }
  expect(digits(result.rss, ref.rss)).toBeGreaterThanOrEqual(8);
  expect(digits(result.aic, ref.AIC)).toBeGreaterThanOrEqual(8);
  expect(digits(result.bic, ref.BIC)).toBeGreaterThanOrEqual(8);
  expect(result.converged).toBe(true);
}

describe("biograd fit against R nls (reference made by test/fixtures/r/make_r_reference.R)", () => {
  it("Puromycin (treated), Michaelis–Menten from the library's self-start", async () => {
    const ref = cases.puromycin_treated_mm!;
    const r = await fitJson(PUROMYCIN, "--model", "michaelis-menten", "--x", "conc", "--y", "rate");
    // The library names the parameters Vmax, Km; R's formula calls them Vm, K.
    const renamed = {
      ...r,
      estimates: { Vm: r.estimates.Vmax!, K: r.estimates.Km! },
      std_errors: { Vm: r.std_errors.Vmax!, K: r.std_errors.Km! },
    };
    expectMatchesR(renamed, ref);
  });

  it("Puromycin (treated), the same model as a formula with R's start values", async () => {
    const ref = cases.puromycin_treated_mm!;
    expectMatchesR(
      await fitJson(
        PUROMYCIN,
        "--model",
        "Vm*conc/(K+conc)",
        "--x",
        "conc",
        "--y",
        "rate",
        "--start",
        "Vm=200,K=0.05",
      ),
      ref,
    );
  });

  it("Puromycin (treated), weighted by 1/rate²", async () => {
    const ref = cases.puromycin_treated_mm_weighted!;
    expectMatchesR(
      await fitJson(
        PUROMYCIN,
        "--model",
        "Vm*conc/(K+conc)",
        "--x",
        "conc",
        "--y",
        "rate",
        "--start",
        "Vm=200,K=0.05",
        "--weights",
        "1/y^2",
      ),
      ref,
    );
  });

  it("DNase run 1, logistic in log(conc)", async () => {
    const ref = cases.dnase1_logistic!;
    expectMatchesR(
      await fitJson(
        DNASE,
        "--model",
        "Asym/(1 + exp((xmid - log(conc))/scal))",
        "--x",
        "conc",
        "--y",
        "density",
        "--start",
        "Asym=3,xmid=0,scal=1",
      ),
      ref,
    );
  });

  it("DNase run 1, four-parameter logistic (SSfpl's model)", async () => {
    const ref = cases.dnase1_4pl!;
    const r = await fitJson(
      DNASE,
      "--model",
      "A + (B-A)/(1 + exp((xmid - log(conc))/scal))",
      "--x",
      "conc",
      "--y",
      "density",
      "--start",
      "A=0,B=3,xmid=0,scal=1",
    );
    // A is near zero (−0.0079 ± 0.017): compare it on the scale of its standard error.
    expect(Math.abs(r.estimates.A! - ref.estimate[0]!) / ref.std_error[0]!).toBeLessThan(1e-5);
    expectMatchesR(r, ref, ["B", "xmid", "scal"]);
    expect(digits(r.std_errors.A!, ref.std_error[0]!)).toBeGreaterThanOrEqual(5);
  });
});

describe("biograd fit: output, persistence, predict", () => {
  it("prints an nls-style table; --no-codegen gives the same numbers", async () => {
    const a = await cli("fit", PUROMYCIN, "--model", "mm", "--x", "conc", "--y", "rate");
    const b = await cli(
      "fit",
      PUROMYCIN,
      "--model",
      "mm",
      "--x",
      "conc",
      "--y",
      "rate",
      "--no-codegen",
    );
    expect(a.code).toBe(0);
    expect(a.out.join("\n")).toMatch(/Estimate\s+Std\. Error\s+t value\s+Pr\(>\|t\|\)/);
    expect(a.out.join("\n")).toMatch(/Residual standard error: 10\.93\d* on 10 degrees of freedom/);
    expect(b.out).toEqual(a.out);
  });

  it("--out writes the fit; predict evaluates it at new x (file or --at)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "biograd-fit-"));
    const out = join(dir, "fit.json");
    const r = await cli(
      "fit",
      PUROMYCIN,
      "--model",
      "mm",
      "--x",
      "conc",
      "--y",
      "rate",
      "--out",
      out,
    );
    expect(r.code).toBe(0);
    const saved = JSON.parse(readFileSync(out, "utf8"));
    const { Vmax, Km } = saved.result.estimates;
    const p = await cli("predict", out, "--at", "0.1,1");
    expect(p.code).toBe(0);
    expect(p.out[0]).toBe("conc,rate_predicted");
    expect(Number(p.out[1]!.split(",")[1])).toBeCloseTo((Vmax * 0.1) / (Km + 0.1), 12);
    const data = join(dir, "new.csv");
    writeFileSync(data, "id,conc\na,0.5\nb,2\n");
    const q = await cli("predict", out, data);
    expect(q.out.slice(1).map((l) => Number(l.split(",")[1]))).toEqual([
      (Vmax * 0.5) / (Km + 0.5),
      (Vmax * 2) / (Km + 2),
    ]);
  });

  it("models lists the library", async () => {
    const r = await cli("models");
    expect(r.code).toBe(0);
    for (const name of [
      "michaelis-menten",
      "hill",
      "4pl",
      "5pl",
      "logistic",
      "gompertz",
      "pk1-oral",
    ]) {
      expect(r.out.some((l) => l.startsWith(name))).toBe(true);
    }
  });
});

describe("biograd fit: bad input exits 2 with one clear line", () => {
  const dir = mkdtempSync(join(tmpdir(), "biograd-fit-bad-"));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const flat = file("flat.csv", "x,y\n2,1\n2,2\n2,3\n2,4\n");
  const tiny = file("tiny.csv", "x,y\n1,1\n2,2\n");
  const zero = file("zero.csv", "x,y\n1,1\n2,0\n3,3\n4,4\n");
  const cases: [string, string[], RegExp][] = [
    [
      "unknown name in a formula, with a suggestion",
      [
        PUROMYCIN,
        "--model",
        "Vm*conc/(km+conc)",
        "--x",
        "conc",
        "--y",
        "rate",
        "--start",
        "Vm=200,K=0.1",
      ],
      /formula:1:10: unknown name "km".*did you mean "K"\?/,
    ],
    [
      "formula syntax error",
      [
        PUROMYCIN,
        "--model",
        "Vm*conc/(K+",
        "--x",
        "conc",
        "--y",
        "rate",
        "--start",
        "Vm=200,K=0.1",
      ],
      /^biograd: formula:1:\d+: /,
    ],
    [
      "member access in a formula",
      [
        PUROMYCIN,
        "--model",
        "Vm.constructor*conc",
        "--x",
        "conc",
        "--y",
        "rate",
        "--start",
        "Vm=1",
      ],
      /^biograd: formula:1:\d+: /,
    ],
    [
      "unknown model",
      [PUROMYCIN, "--model", "quadratic", "--x", "conc", "--y", "rate"],
      /unknown model "quadratic"/,
    ],
    [
      "bound outside start",
      [
        PUROMYCIN,
        "--model",
        "mm",
        "--x",
        "conc",
        "--y",
        "rate",
        "--start",
        "Km=5",
        "--bounds",
        "Km=0:1",
      ],
      /parameter Km: start 5 is outside its bounds \(0, 1\)/,
    ],
    [
      "fewer points than parameters",
      [tiny, "--model", "Vm*x/(K+x) + c", "--x", "x", "--y", "y", "--start", "Vm=1,K=1,c=0"],
      /2 data points for 3 free parameters/,
    ],
    ["all-equal x", [flat, "--model", "mm", "--x", "x", "--y", "y"], /every value of "x" is 2/],
    [
      "start for a name not in the formula",
      [
        PUROMYCIN,
        "--model",
        "Vm*conc/(K+conc)",
        "--x",
        "conc",
        "--y",
        "rate",
        "--start",
        "Vm=1,K=1,Q=2",
      ],
      /--start: "Q" does not appear in the formula/,
    ],
    [
      "a zero response with 1/y weights",
      [zero, "--model", "mm", "--x", "x", "--y", "y", "--weights", "1/y"],
      /data row 2: y = 0 gives weight Infinity; weights must be finite and > 0/,
    ],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const r = await cli("fit", ...args);
      expect(r.code).toBe(2);
      const lines = r.err.filter((l) => l !== "");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
    });
  }
});

describe("biograd fit: columns by name, missing starts", () => {
  it("refuses positional --x for a two-variable model, naming --x and its variables", async () => {
    const r = await cli(
      "fit",
      PUROMYCIN,
      "--model",
      "inhibition-competitive",
      "--x",
      "conc,rate",
      "--y",
      "rate",
    );
    expect(r.code).toBe(2);
    expect(r.err.filter((l) => l !== "")).toEqual([
      "biograd: --x: model inhibition-competitive has 2 variables (S, I); name the column of each (e.g. --x S=column,I=column)",
    ]);
  });

  it("a formula's variable can be named for a column: --x S=conc", async () => {
    const a = await cli(
      "fit",
      PUROMYCIN,
      "--model",
      "Vm*S/(K+S)",
      "--x",
      "S=conc",
      "--y",
      "rate",
      "--start",
      "Vm=200,K=0.05",
      "--format",
      "json",
    );
    const b = await cli(
      "fit",
      PUROMYCIN,
      "--model",
      "Vm*conc/(K+conc)",
      "--x",
      "conc",
      "--y",
      "rate",
      "--start",
      "Vm=200,K=0.05",
      "--format",
      "json",
    );
    expect(a.code).toBe(0);
    expect(a.out).toEqual(b.out);
  });

  it("a parameter without a start value is named as such, not as an unknown name", async () => {
    const r = await cli(
      "fit",
      PUROMYCIN,
      "--model",
      "Vm*conc/(Km+conc)",
      "--x",
      "conc",
      "--y",
      "rate",
      "--start",
      "Vm=200",
    );
    expect(r.code).toBe(2);
    expect(r.err.filter((l) => l !== "")).toEqual([
      "biograd: --start: no start value for Km (e.g. --start Km=1)",
    ]);
  });

  it("mixing named and positional --x columns is refused", async () => {
    const r = await cli("fit", PUROMYCIN, "--model", "mm", "--x", "x=conc,rate", "--y", "rate");
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/^biograd: --x: name the column of every variable or of none/);
  });
});

describe("biograd fit: column names that are not identifiers, in backticks", () => {
  it("fits `conc (uM)` as the plain column conc", async () => {
    const dir = mkdtempSync(join(tmpdir(), "biograd-fit-quoted-"));
    const renamed = join(dir, "p.csv");
    writeFileSync(renamed, readFileSync(PUROMYCIN, "utf8").replace(/^conc,/, "conc (uM),"));
    const a = await cli(
      "fit",
      renamed,
      "--model",
      "Vm*`conc (uM)`/(K+`conc (uM)`)",
      "--x",
      "conc (uM)",
      "--y",
      "rate",
      "--start",
      "Vm=200,K=0.05",
      "--format",
      "json",
    );
    const b = await cli(
      "fit",
      PUROMYCIN,
      "--model",
      "Vm*conc/(K+conc)",
      "--x",
      "conc",
      "--y",
      "rate",
      "--start",
      "Vm=200,K=0.05",
      "--format",
      "json",
    );
    expect(a.err).toEqual([]);
    expect(a.out).toEqual(b.out);
    const c = await cli(
      "fit",
      renamed,
      "--model",
      "Vm*`conc (uM)`/(K+`conc(uM)`)",
      "--x",
      "conc (uM)",
      "--y",
      "rate",
      "--start",
      "Vm=200,K=0.05",
    );
    expect(c.code).toBe(2);
    expect(c.err.filter((l) => l !== "")).toHaveLength(1);
    expect(c.err[0]).toMatch(
      /^biograd: formula:1:19: unknown name "conc\(uM\)".*did you mean "conc \(uM\)"\?/,
    );
  });
});
