import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileFormula } from "../../../src/formula/compile.js";
import { type FitOptions, fitCurve } from "../../../src/nls/fit-curve.js";
import { findModel } from "../../../src/nls/library/index.js";
import { createCurveFitter, libraryFitterModel } from "../../../src/nls/many/index.js";

/** Columns of an example CSV by name (numbers where they parse), split by a group column. */
function groups(file: string, by: string, cols: string[]) {
  const [head, ...lines] = readFileSync(
    new URL(`../../../examples/${file}`, import.meta.url),
    "utf8",
  )
    .trim()
    .split("\n");
  const names = head!.split(",");
  const out = new Map<string, number[][]>();
  for (const line of lines) {
    const cells = line.split(",");
    const key = cells[names.indexOf(by)]!;
    if (!out.has(key))
      out.set(
        key,
        cols.map(() => []),
      );
    cols.forEach((c, k) => {
      out.get(key)![k]!.push(Number(cells[names.indexOf(c)]));
    });
  }
  return [...out].map(([key, v]) => ({ key, columns: v.map((a) => Float64Array.from(a)) }));
}

/** fitCurve as `biograd fit --model NAME` runs it (library self-start, no bounds given). */
function single(modelName: string, x: Float64Array, y: Float64Array, options: FitOptions = {}) {
  const model = findModel(modelName)!;
  const curve = compileFormula(model.formula, { params: model.params, variables: model.variables });
  const start = model.selfStart([x], y);
  const positive = model.positive ?? [];
  const specs = model.params.map((name) =>
    positive.includes(name)
      ? { name, start: start[name]!, lower: 0, upper: Infinity }
      : { name, start: start[name]! },
  );
  return fitCurve(curve, { columns: [x], y, weights: null }, specs, options);
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

const CASES = [
  { model: "4pl", file: "dnase.csv", by: "run", x: "log10conc", y: "density" },
  { model: "logistic", file: "dnase.csv", by: "run", x: "lnconc", y: "density" },
  { model: "hill4", file: "s-alba.csv", by: "herbicide", x: "dose", y: "drymatter" },
];

describe.each(CASES)("many-curves fitter against fitCurve per group: $model on $file", (c) => {
  const data = groups(c.file, c.by, [c.x, c.y]);
  const library = libraryFitterModel(findModel(c.model)!);
  const fitter = createCurveFitter(library, { maxRows: 64 });
  // fitCurve's path without its first-order phase: the library self-start, the compiled formula.
  const model = findModel(c.model)!;
  const compiled = compileFormula(model.formula, {
    params: model.params,
    variables: model.variables,
  });
  const samePath = createCurveFitter(
    { ...library, name: null, curve: compiled },
    { maxRows: 64, solver: "library" },
  );

  it.each(data.map((g) => [g.key, g] as const))(
    "group %s: from the same start, the same LM run (estimates to 1e-13)",
    (_, g) => {
      const [x, y] = g.columns as [Float64Array, Float64Array];
      const ref = single(c.model, x, y, { firstOrder: false });
      expect(ref.converged).toBe(true);
      const fit = samePath.fit([x], y, null);
      expect(fit.startKind).toBe("library");
      expect(fit.converged).toBe(true);
      expect(fit.iterations).toBe(ref.phases[0]!.iterations);
      for (let j = 0; j < ref.theta.length; j++) {
        expect(relative(fit.theta[j]!, ref.theta[j]!), ref.names[j]).toBeLessThanOrEqual(1e-13);
      }
    },
  );

  it.each(data.map((g) => [g.key, g] as const))(
    "group %s: from its fast start, fitCurve's optimum (RSS to 1e-12, estimates to 1e-4 SE)",
    (_, g) => {
      const [x, y] = g.columns as [Float64Array, Float64Array];
      const ref = single(c.model, x, y);
      expect(ref.converged).toBe(true);
      const fit = fitter.fit([x], y, null);
      expect(fit.converged).toBe(true);
      expect(fit.reason).toBeNull();
      expect(fit.n).toBe(y.length);
      expect(relative(fit.rss, ref.rss)).toBeLessThanOrEqual(1e-12);
      expect(fit.rss).toBeLessThanOrEqual(fit.rssConstant);
      const se = ref.summary.standardErrors!;
      for (let j = 0; j < ref.theta.length; j++) {
        expect(Math.abs(fit.theta[j]! - ref.theta[j]!), ref.names[j]).toBeLessThanOrEqual(
          1e-4 * se[j]!,
        );
      }
    },
  );

  it("gives the same numbers whatever curves came before (buffers carry no state)", () => {
    const one = (g: (typeof data)[number]) =>
      Float64Array.from(fitter.fit(g.columns.slice(0, 1), g.columns[1]!, null).theta);
    const forward = data.map(one);
    const backward = [...data].reverse().map(one);
    expect(backward.reverse()).toEqual(forward);
  });
});

describe("rows, ranges and failures", () => {
  const fitter = createCurveFitter(libraryFitterModel(findModel("4pl")!), { maxRows: 32 });
  const x = Float64Array.from([-9, -8, -7, -6, -5, -9, -8, -7, -6, -5]);
  const y = Float64Array.from([99, 93, 52, 9, 2, 101, 90, 47, 12, 1]);

  it("fits rows [from, to) and skips non-finite rows", () => {
    const whole = Float64Array.from(fitter.fit([x], y, null).theta);
    const xx = Float64Array.from([0, ...x, Number.NaN, 4]);
    const yy = Float64Array.from([7, ...y, 3, Number.NaN]);
    const part = fitter.fit([xx], yy, null, 1, 13);
    expect(part.n).toBe(10);
    expect(Array.from(part.theta)).toEqual(Array.from(whole));
  });

  it("reports too few rows and a constant x with reasons, without throwing", () => {
    const few = fitter.fit([x], y, null, 0, 3);
    expect(few.converged).toBe(false);
    expect(few.reason).toBe("3 usable rows for 4 free parameters");
    expect(few.starts).toBe(0);
    const flatX = fitter.fit([new Float64Array(10).fill(2)], y, null);
    expect(flatX.reason).toBe('"x" does not vary');
    expect(Number.isNaN(flatX.theta[0]!)).toBe(true);
  });

  it("all-NaN responses: no rows, a reason", () => {
    const r = fitter.fit([x], new Float64Array(10).fill(Number.NaN), null);
    expect(r.n).toBe(0);
    expect(r.converged).toBe(false);
  });

  it("holds fixed parameters at their values", () => {
    const fixed = createCurveFitter(libraryFitterModel(findModel("4pl")!), {
      maxRows: 32,
      fixed: { bottom: 0, top: 100 },
    });
    const r = fixed.fit([x], y, null);
    expect(r.converged).toBe(true);
    expect(r.theta[0]).toBe(0);
    expect(r.theta[1]).toBe(100);
    // The free parameters are the 2-parameter least-squares optimum: gradient ≈ 0.
    const free = createCurveFitter(libraryFitterModel(findModel("4pl")!), { maxRows: 32 }).fit(
      [x],
      y,
      null,
    );
    expect(r.rss).toBeGreaterThanOrEqual(free.rss);
  });
});

describe("robust starts (issue 9 item 6)", () => {
  // A Gaussian peak started far to its right: there the curve is ≈ 0 over the data, LM stops
  // on a plateau with RSS ≈ Σy², worse than the constant model, so more starts must run.
  const curve = compileFormula("A * exp(-((x - m) / s)^2)", {
    params: ["A", "m", "s"],
    variables: ["x"],
  });
  const x = Float64Array.from({ length: 41 }, (_, i) => i * 2.5);
  const y = x.map((v) => 10 + 50 * Math.exp(-(((v - 40) / 15) ** 2)));

  it("a first pass worse than the constant model is not reported as converged", () => {
    const fitter = createCurveFitter(
      { name: null, curve, start: { A: 1, m: 400, s: 5 } },
      { maxRows: 64, multistart: 0 },
    );
    const r = fitter.fit([x], y, null);
    expect(r.starts).toBe(1);
    expect(r.converged).toBe(false);
    expect(r.reason).toBe("worse than the constant model");
    expect(r.rss).toBeGreaterThan(r.rssConstant);
  });

  it("when no start finds better, every start ran and the reason stays", () => {
    const fitter = createCurveFitter(
      { name: null, curve, start: { A: 1, m: 400, s: 5 } },
      { maxRows: 64 },
    );
    const r = fitter.fit([x], y, null);
    expect(r.starts).toBe(9);
    expect(r.converged).toBe(false);
    expect(r.reason).toBe("worse than the constant model");
  });

  it("the scaled multistart then finds a fit no worse than the constant model, and says how many starts ran", () => {
    const fitter = createCurveFitter(
      { name: null, curve, start: { A: 1, m: 200, s: 5 } },
      { maxRows: 64 },
    );
    const r = fitter.fit([x], y, null);
    expect(r.converged).toBe(true);
    expect(r.starts).toBe(2);
    expect(r.startKind).toBe("multistart");
    expect(r.rss).toBeLessThan(r.rssConstant / 5);
    // The peak found (s enters squared: its sign is free).
    expect(r.theta[1]).toBeCloseTo(40.06, 2);
    expect(Math.abs(r.theta[2]!)).toBeCloseTo(21.1, 1);
  });
});
