import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runFitCurve } from "../../src/tasks/fit-curve.js";
import { runTask } from "../../src/tasks/run-task.js";
import { cli } from "../helpers/cli.js";

const PUROMYCIN = new URL("../../examples/puromycin-treated.csv", import.meta.url).pathname;

/** The example's columns, read independently of biograd's reader. */
function puromycin(): { conc: number[]; rate: number[] } {
  const lines = readFileSync(PUROMYCIN, "utf8").trim().split("\n").slice(1);
  const rows = lines.map((l) => l.split(",").map(Number));
  return { conc: rows.map((r) => r[0]!), rate: rows.map((r) => r[1]!) };
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("fit-curve task", () => {
  it("gives bit-identical results from the CLI (--format json) and runTask", async () => {
    const r = await cli(
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
      "--weights",
      "1/y",
      "--format",
      "json",
    );
    expect(r.code).toBe(0);
    const fromCli = JSON.parse(r.out.filter((l) => l !== "").at(-1)!);
    const doc = (await runTask({
      task: "fit-curve",
      data: { file: PUROMYCIN },
      model: "Vm*conc/(K+conc)",
      x: ["conc"],
      y: "rate",
      start: { Vm: 200, K: 0.05 },
      weights: "1/y",
    })) as ReturnType<typeof runFitCurve>;
    expect(JSON.stringify(doc.result)).toBe(JSON.stringify(fromCli));
  });

  it("gives the same bits from inline columns as from the file", () => {
    const { conc, rate } = puromycin();
    const base = { task: "fit-curve", model: "michaelis-menten", x: ["conc"], y: "rate" };
    const a = runFitCurve({ ...base, data: { file: PUROMYCIN } });
    const b = runFitCurve({ ...base, data: { columns: { conc, rate } } });
    expect(JSON.stringify(b.result)).toBe(JSON.stringify(a.result));
    expect(b.data.file).toBe("request data");
  });

  it("fits Michaelis–Menten in molar units: estimates and standard errors scale, none dropped", () => {
    const { conc, rate } = puromycin();
    const fitAt = (scale: number) =>
      runFitCurve({
        task: "fit-curve",
        data: { columns: { conc: conc.map((c) => c * scale), rate } },
        model: "michaelis-menten",
        x: ["conc"],
        y: "rate",
      }).result;
    const original = fitAt(1);
    const molar = fitAt(1e-6);
    expect(molar.estimates.Km).toBeLessThan(1e-6); // the value an absolute test called "at 0"
    expect(molar.warnings).toEqual([]);
    expect(relative(molar.estimates.Vmax!, original.estimates.Vmax!)).toBeLessThan(1e-7);
    expect(relative(molar.estimates.Km!, original.estimates.Km! * 1e-6)).toBeLessThan(1e-7);
    expect(relative(molar.std_errors.Vmax!, original.std_errors.Vmax!)).toBeLessThan(1e-6);
    expect(relative(molar.std_errors.Km!, original.std_errors.Km! * 1e-6)).toBeLessThan(1e-6);
    expect(relative(molar.rss, original.rss)).toBeLessThan(1e-10);
  });

  it("maps columns to a library model's variables by name", () => {
    // v = Vmax·S/(Km·(1 + I/Ki) + S) with known parameters: the fit recovers them.
    const S: number[] = [];
    const I: number[] = [];
    const v: number[] = [];
    for (const s of [0.5, 1, 2, 5, 10, 20]) {
      for (const i of [0, 1, 3]) {
        S.push(s);
        I.push(i);
        v.push((100 * s) / (2 * (1 + i / 1.5) + s));
      }
    }
    const doc = runFitCurve({
      task: "fit-curve",
      data: { columns: { substrate: S, inhibitor: I, v } },
      model: "competitive-inhibition",
      x: { I: "inhibitor", S: "substrate" },
      y: "v",
    });
    expect(doc.model.variables).toEqual(["S", "I"]);
    expect(doc.model.columns).toEqual(["substrate", "inhibitor"]);
    const e = Object.values(doc.result.estimates);
    expect(e.map((x) => Math.round(x * 1e6) / 1e6).sort((a, b) => a - b)).toEqual([1.5, 2, 100]);
  });
});

describe("fit-curve task: bad requests are one InputError naming the field", () => {
  const base = {
    task: "fit-curve",
    data: { file: PUROMYCIN },
    model: "mm",
    x: ["conc"],
    y: "rate",
  };
  const cases: [string, unknown, string | RegExp][] = [
    ["wrong type", { ...base, start: { Km: "1" } }, /^request: start\.Km: /],
    ["unknown key", { ...base, colour: 1 }, /^request: .*colour/],
    ["level out of range", { ...base, level: 1 }, /^request: level: /],
    [
      "positional columns for a two-variable model",
      { ...base, model: "competitive-inhibition", x: ["s", "i"] },
      'x: model inhibition-competitive has 2 variables (S, I); name the column of each (e.g. "x": {"S": "column", "I": "column"})',
    ],
    [
      "a variable without a column",
      { ...base, model: "competitive-inhibition", x: { S: "s" } },
      "x: no column for I (model inhibition-competitive has variables S, I)",
    ],
    [
      "a missing start",
      { ...base, model: "Vm*conc/(Km+conc)", start: { Vm: 200 } },
      'start: no start value for Km (e.g. "start": {"Km": 1})',
    ],
  ];
  for (const [name, request, message] of cases) {
    it(name, () => {
      expect(() => runFitCurve(request)).toThrow(message);
    });
  }
});

describe("fit-curve phases", () => {
  const request = {
    task: "fit-curve",
    data: { file: PUROMYCIN },
    model: "michaelis-menten",
    x: ["conc"],
    y: "rate",
  };
  const phasesOf = (doc: unknown) =>
    (doc as { result: { phases: { phase: string }[] } }).result.phases.map((p) => p.phase);

  it("by default a good start is fitted by Levenberg–Marquardt alone; phases named in the request all run", async () => {
    const byDefault = await runTask(request);
    const named = await runTask({ ...request, phases: ["clipped", "lm"] });
    expect(phasesOf(byDefault)).toEqual(["levenberg-marquardt"]);
    expect(phasesOf(named)).toContain("first-order");
    const estimates = (doc: unknown) =>
      (doc as { result: { estimates: Record<string, number> } }).result.estimates;
    for (const [k, v] of Object.entries(estimates(byDefault))) {
      expect(relative(estimates(named)[k]!, v)).toBeLessThan(1e-8);
    }
  });
});
