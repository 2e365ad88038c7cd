import { describe, expect, it } from "vitest";
import { compileFormula } from "../../src/formula/index.js";
import { compareWithFiniteDifferences, compileBoth, run, sameBits, spread } from "./harness.js";

interface Case {
  text: string;
  params: Record<string, number>;
  /** Each variable's data range (12 points spread over it). */
  variables: Record<string, [number, number]>;
  constants?: Record<string, number>;
}

/** Biological models and every allowed function, on domains where they are smooth. */
const CASES: Case[] = [
  { text: "Vm*x/(K+x)", params: { Vm: 2, K: 3 }, variables: { x: [0.1, 10] } },
  { text: "Vm*x^n/(K^n + x^n)", params: { Vm: 2, K: 3, n: 2.5 }, variables: { x: [0.1, 10] } },
  {
    text: "d + (a - d)/(1 + (x/c)^b)",
    params: { a: 0.1, b: 1.3, c: 5, d: 2 },
    variables: { x: [0.1, 50] },
  },
  {
    text: "d + (a - d)/(1 + (x/c)^b)^g",
    params: { a: 0.1, b: 1.3, c: 5, d: 2, g: 0.7 },
    variables: { x: [0.1, 50] },
  },
  { text: "K/(1 + exp(-r*(t - t0)))", params: { K: 10, r: 0.8, t0: 5 }, variables: { t: [0, 12] } },
  {
    text: "A*exp(-exp(mu*e/A*(lam - t) + 1))",
    params: { A: 3, mu: 0.5, lam: 2 },
    variables: { t: [0, 20] },
  },
  { text: "N0*exp(-k*t)", params: { N0: 100, k: 0.3 }, variables: { t: [0, 10] } },
  {
    text: "A*exp(-alpha*t) + B*exp(-beta*t)",
    params: { A: 5, alpha: 1.2, B: 2, beta: 0.1 },
    variables: { t: [0, 24] },
  },
  {
    text: "F*D*ka/(V*(ka - ke))*(exp(-ke*t) - exp(-ka*t))",
    params: { F: 0.8, ka: 1.5, ke: 0.2, V: 30 },
    variables: { t: [0.1, 24] },
    constants: { D: 500 },
  },
  { text: "mu_max*S/(Ks + S)", params: { mu_max: 0.9, Ks: 0.4 }, variables: { S: [0.01, 5] } },
  { text: "Vm*x/(K + x + x^2/Ki)", params: { Vm: 2, K: 3, Ki: 20 }, variables: { x: [0.1, 50] } },
  {
    text: "Vm*S/(Km*(1 + I/Ki) + S)",
    params: { Vm: 2, Km: 3, Ki: 1.5 },
    variables: { S: [0.1, 10], I: [0, 4] },
  },
  {
    text: "A*exp(-Ea/(R*T))",
    params: { A: 1e3, Ea: 2e4 },
    variables: { T: [280, 320] },
    constants: { R: 8.314 },
  },
  {
    text: "b1 - b2*exp(-b3*x^b4)",
    params: { b1: 10, b2: 8, b3: 0.2, b4: 1.5 },
    variables: { x: [0.1, 10] },
  },
  {
    text: "b1 - b2*x1*exp(-b3*x2)",
    params: { b1: 1, b2: 0.5, b3: 0.7 },
    variables: { x1: [0, 3], x2: [0, 2] },
  },
  {
    text: "E0 + Emax*C^h/(EC50^h + C^h)",
    params: { E0: 1, Emax: 10, EC50: 2, h: 1.7 },
    variables: { C: [0.05, 20] },
  },
  {
    text: "A*(1 + nu*exp(-k*(t - tm)))^(-1/nu)",
    params: { A: 5, nu: 0.6, k: 0.9, tm: 4 },
    variables: { t: [0, 10] },
  },
  { text: "a*x^b", params: { a: 2, b: -0.7 }, variables: { x: [0.5, 5] } },
  {
    text: "a + b*log(x) + c*log10(x) + d*log2(x)",
    params: { a: 1, b: 2, c: 3, d: 4 },
    variables: { x: [0.5, 5] },
  },
  { text: "a*sqrt(x + b)", params: { a: 2, b: 1 }, variables: { x: [0, 5] } },
  {
    text: "a*sin(w*t + phi) + c*cos(w*t)",
    params: { a: 2, w: 0.8, phi: 0.3, c: -1 },
    variables: { t: [0, 10] },
  },
  { text: "a*tan(b*x) + atan(c*x)", params: { a: 2, b: 0.3, c: 1.5 }, variables: { x: [-2, 2] } },
  {
    text: "a*tanh(b*x) + sinh(c*x) - cosh(c*x/2)",
    params: { a: 2, b: 0.3, c: 0.5 },
    variables: { x: [-2, 2] },
  },
  { text: "a*abs(x - b)", params: { a: 2, b: 5.05 }, variables: { x: [0, 10] } },
  {
    text: "min(a*x, b) + max(c, x/a)",
    params: { a: 1.3, b: 4.01, c: 2.03 },
    variables: { x: [0, 10] },
  },
  {
    text: "min(a, x, b*x) + max(x, a, b)",
    params: { a: 1.55, b: 0.77 },
    variables: { x: [0, 10] },
  },
  { text: "pow(a, x) + pow(x, b)", params: { a: 1.5, b: 2.5 }, variables: { x: [0.5, 4] } },
  { text: "a*log(x, b)", params: { a: 2, b: 3 }, variables: { x: [0.5, 4] } },
  { text: "x^(a*x) + a^b^x", params: { a: 1.2, b: 0.9 }, variables: { x: [0.5, 2] } },
  {
    text: "2^-b*x - -x^2*a + (a*x)^3 + x^-a",
    params: { a: 0.7, b: 1.2 },
    variables: { x: [0.5, 2] },
  },
  { text: "exp(-(a*x)^2/2)/sqrt(2*pi)", params: { a: 0.7 }, variables: { x: [-3, 3] } },
  { text: "e^(a*x) - exp(a*x) + +a", params: { a: 0.7 }, variables: { x: [-3, 3] } },
  { text: "(a*x + b)/(a*x + b) + a*x/(b*x)", params: { a: 0.7, b: 2 }, variables: { x: [0.5, 3] } },
];

describe("symbolic partials match central finite differences", () => {
  it.each(CASES)("$text", ({ text, params, variables, constants }) => {
    const spec = {
      params: Object.keys(params),
      variables: Object.keys(variables),
      ...(constants ? { constants } : {}),
    };
    const [gen, int] = compileBoth(text, spec);
    expect([gen.mode, int.mode]).toEqual(["codegen", "interpreter"]);
    const columns = Object.values(variables).map(([lo, hi], k) => {
      const c = spread(lo, hi, 12);
      return k === 0 ? c : c.reverse();
    });
    const theta = Object.values(params);
    const cmp = compareWithFiniteDifferences(gen, theta, columns);
    expect(cmp.nonFinite).toBe(false);
    expect(cmp.illConditioned).toBe(0);
    expect(cmp.maxError).toBeLessThan(1e-7);
    const a = run(gen, theta, columns);
    const b = run(int, theta, columns);
    expect(sameBits(a.f, b.f) && sameBits(a.jac, b.jac)).toBe(true);
  });
});

describe("known values", () => {
  it("Michaelis–Menten: value and partials at given points", () => {
    const mm = compileFormula("Vm*x/(K+x)", { params: ["Vm", "K"], variables: ["x"] });
    const { f, jac } = run(mm, [2, 3], [Float64Array.of(1, 3, 9)]);
    expect([...f]).toEqual([0.5, 1, 1.5]);
    // ∂/∂Vm = x/(K+x), ∂/∂K = −Vm·x/(K+x)²
    const expected = [0.25, -0.125, 0.5, -1 / 6, 0.75, -0.125];
    jac.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i]!, 15);
    });
    expect(mm.derivatives).toEqual({ Vm: "x / (K + x)", K: "-(Vm * x / (K + x) / (K + x))" });
    expect(mm.simplified).toBe("Vm * x / (K + x)");
  });

  it("reads precedence as mathematics does", () => {
    const value = (text: string, x: number): number => {
      const f = compileFormula(text, { params: [], variables: ["x"] });
      return run(f, [], [Float64Array.of(x)]).f[0]!;
    };
    expect(value("-x^2", 3)).toBe(-9);
    expect(value("2^-1*x", 3)).toBe(1.5);
    expect(value("x^2^3", 2)).toBe(256);
    expect(value("-2^2 + 0*x", 1)).toBe(-4);
    expect(value("x/2/4", 1)).toBe(0.125);
    expect(value("x-2-4", 1)).toBe(-5);
    expect(value("pi*x", 1)).toBe(Math.PI);
    expect(value("e^x", 1)).toBe(Math.E);
    expect(value("log(x)", Math.E)).toBe(1);
    expect(value("log(x, 2)", 8)).toBe(Math.log(8) / Math.log(2));
    expect(value("min(x, 3, -x)", 2)).toBe(-2);
    expect(value("1e-3*x", 2)).toBe(0.002);
  });

  it("substitutes named constants as numbers", () => {
    const f = compileFormula("R*T*log(x/x0)", {
      params: ["T"],
      variables: ["x"],
      constants: { R: 8.314, x0: 2 },
    });
    expect(f.simplified).toBe("8.314 * T * log(x / 2)");
    expect(f.derivatives).toEqual({ T: "8.314 * log(x / 2)" });
    const { f: v, jac } = run(f, [300], [Float64Array.of(2, 4)]);
    expect([...v]).toEqual([0, 8.314 * 300 * Math.log(2)]);
    expect([...jac]).toEqual([0, 8.314 * Math.log(2)]);
  });

  it("gives a parameter the formula does not use a zero partial", () => {
    const f = compileFormula("a*x", { params: ["a", "unused"], variables: ["x"] });
    expect(f.derivatives).toEqual({ a: "x", unused: "0" });
    expect([...run(f, [2, 5], [Float64Array.of(3)]).jac]).toEqual([3, 0]);
  });

  it("folds constant subexpressions and drops identically zero terms", () => {
    const f = compileFormula("(2*3 + 0*x)*a^1 + 1*x^0*b", { params: ["a", "b"], variables: ["x"] });
    expect(f.simplified).toBe("6 * a + b");
    expect(f.derivatives).toEqual({ a: "6", b: "1" });
  });

  it("writes readable derivatives", () => {
    const d = (text: string, params: string[], variables = ["x"]) =>
      compileFormula(text, { params, variables }).derivatives;
    expect(d("N0*exp(-k*x)", ["N0", "k"])).toEqual({
      N0: "exp(-(k * x))",
      k: "-(N0 * (exp(-(k * x)) * x))",
    });
    expect(d("a*x^n", ["a", "n"])).toEqual({
      a: "x^n",
      n: "a * (x <= 0 ? 0 : x^n * log(x))",
    });
    expect(d("x^n", ["n"], ["x"])).toEqual({ n: "(x <= 0 ? 0 : x^n * log(x))" });
    expect(d("(a*x)^3", ["a"])).toEqual({ a: "3 * (a * x)^2 * x" });
    expect(d("sqrt(a*x)", ["a"])).toEqual({ a: "x / (2 * sqrt(a * x))" });
    expect(d("abs(a - x)", ["a"])).toEqual({ a: "sign(a - x)" });
    expect(d("min(a, x)", ["a"])).toEqual({ a: "(a <= x ? 1 : 0)" });
    expect(d("max(a*x, 1)", ["a"])).toEqual({ a: "(a * x <= 1 ? 0 : x)" });
    expect(d("tanh(a*x)", ["a"])).toEqual({ a: "(1 - tanh(a * x)^2) * x" });
  });
});
