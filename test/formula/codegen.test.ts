import { afterEach, describe, expect, it, vi } from "vitest";
import { BiogradError } from "../../src/core/errors.js";
import { assertGeneratedSource, numberLiteral } from "../../src/formula/codegen.js";
import {
  compileFormula,
  type FormulaSpec,
  generateSource,
  planFormula,
} from "../../src/formula/index.js";
import { run, sameBits } from "./harness.js";

function source(text: string, spec: FormulaSpec): string {
  return generateSource(planFormula(text, spec).plan);
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("generated code", () => {
  it("is made of the generator's own identifiers only, never the formula's names", () => {
    const spec = {
      params: ["Vmax", "Kmich"],
      variables: ["substrate"],
      constants: { secretScale: 1.25 },
    };
    const src = source("secretScale*Vmax*substrate/(Kmich + substrate)", spec);
    for (const word of ["Vmax", "Kmich", "substrate", "secretScale"])
      expect(src).not.toContain(word);
    expect(() => assertGeneratedSource(src)).not.toThrow();
    expect(src).toContain("1.25");
  });

  it("is what new Function receives, and nothing else", () => {
    const received: unknown[][] = [];
    const RealFunction = Function;
    vi.stubGlobal(
      "Function",
      new Proxy(RealFunction, {
        construct(target, args) {
          received.push(args);
          return Reflect.construct(target, args);
        },
      }),
    );
    const text = "Vmax*x/(Kmich + x) + 0*globalThis";
    expect(() => compileFormula(text, { params: ["Vmax", "Kmich"], variables: ["x"] })).toThrow(
      'unknown name "globalThis"',
    );
    expect(received).toEqual([]);
    const f = compileFormula("Vmax*x/(Kmich + x)", { params: ["Vmax", "Kmich"], variables: ["x"] });
    vi.unstubAllGlobals();
    expect(f.mode).toBe("codegen");
    expect(received).toHaveLength(1);
    const body = received[0]!.at(-1) as string;
    expect(body).not.toMatch(/Vmax|Kmich/);
    expect(() => assertGeneratedSource(body)).not.toThrow();
    expect(received[0]!.slice(0, -1)).toEqual([
      "checkShapes",
      ...["exp", "log", "log10", "log2", "sqrt", "abs", "sign", "sin", "cos", "tan", "atan"],
      ...["tanh", "sinh", "cosh", "pow", "min", "max"],
    ]);
  });

  it("falls back to the interpreter where new Function is forbidden (CSP)", () => {
    vi.stubGlobal(
      "Function",
      new Proxy(Function, {
        construct() {
          throw new EvalError("Code generation from strings disallowed for this context");
        },
      }),
    );
    const f = compileFormula("Vm*x/(K+x)", { params: ["Vm", "K"], variables: ["x"] });
    vi.unstubAllGlobals();
    expect(f.mode).toBe("interpreter");
    expect([...run(f, [2, 3], [Float64Array.of(1)]).f]).toEqual([0.5]);
  });

  it("refuses a source with anything but its own identifiers", () => {
    expect(() => assertGeneratedSource('"use strict";\nreturn process;')).toThrow(
      "formula: generated source has an unknown identifier process (a bug)",
    );
    expect(() => assertGeneratedSource('"use strict";\nreturn t1 + "x";')).toThrow(
      "formula: generated source has a string (a bug)",
    );
  });

  it("writes numbers as exact, safe literals", () => {
    expect(numberLiteral(1.25)).toBe("1.25");
    expect(numberLiteral(-3)).toBe("(-3)");
    expect(numberLiteral(-0)).toBe("(-0)");
    expect(numberLiteral(1e-300)).toBe("1e-300");
    expect(numberLiteral(1.7976931348623157e308)).toBe("1.7976931348623157e+308");
    expect(numberLiteral(Number.POSITIVE_INFINITY)).toBe("(1 / 0)");
    expect(numberLiteral(Number.NEGATIVE_INFINITY)).toBe("(-1 / 0)");
    expect(numberLiteral(Number.NaN)).toBe("(0 / 0)");
    expect(numberLiteral(0.1 + 0.2)).toBe("0.30000000000000004");
    expect(() => numberLiteral("1; process.exit()" as never)).toThrow(
      "numberLiteral of a non-number",
    );
  });

  it("computes a subexpression shared by the value and the partials once per row", () => {
    const src = source("A*exp(-k*t) + B*exp(-k*t)^2", {
      params: ["A", "B", "k"],
      variables: ["t"],
    });
    const jacLoop = src.slice(src.lastIndexOf("for ("));
    expect(jacLoop.match(/exp\(/g)).toHaveLength(1);
    expect(src).toMatchInlineSnapshot(`
      ""use strict";
      return function evaluate(theta, columns, n, f, jac) {
        checkShapes(theta, columns, n, f, jac);
        const t0 = theta[0];
        const t1 = theta[2];
        const t8 = theta[1];
        const c0 = columns[0];
        if (jac === null) {
          for (let i = 0; i < n; i++) {
            const t3 = c0[i];
            const t4 = t1 * t3;
            const t5 = -t4;
            const t6 = exp(t5);
            const t7 = t0 * t6;
            const t10 = t6 * t6;
            const t11 = t8 * t10;
            const t12 = t7 + t11;
            f[i] = t12;
          }
          return;
        }
        for (let i = 0, r = 0; i < n; i++, r += 3) {
          const t3 = c0[i];
          const t4 = t1 * t3;
          const t5 = -t4;
          const t6 = exp(t5);
          const t7 = t0 * t6;
          const t10 = t6 * t6;
          const t11 = t8 * t10;
          const t12 = t7 + t11;
          const t17 = t6 * t3;
          const t19 = t0 * t17;
          const t20 = -t19;
          const t21 = t17 * t6;
          const t23 = 2 * t21;
          const t25 = t8 * t23;
          const t27 = t20 - t25;
          f[i] = t12;
          jac[r] = t6;
          jac[r + 1] = t10;
          jac[r + 2] = t27;
        }
      };"
    `);
  });
});

describe("evaluate", () => {
  const mm = (codegen: boolean) =>
    compileFormula("Vm*x/(K+x)", { params: ["Vm", "K"], variables: ["x"], codegen });

  it.each([true, false])("checks its arguments' shapes (codegen: %s)", (codegen) => {
    const f = mm(codegen);
    const x = Float64Array.of(1, 2, 3);
    const out = new Float64Array(3);
    const theta = Float64Array.of(2, 3);
    const err = (fn: () => void) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(BiogradError);
        expect((e as BiogradError).code).toBe("shape_mismatch");
        return (e as Error).message;
      }
      return "no error";
    };
    expect(err(() => f.evaluate(Float64Array.of(2), [x], 3, out, null))).toBe(
      "formula: theta has length 1, expected 2 (Vm, K)",
    );
    expect(err(() => f.evaluate(theta, [], 3, out, null))).toBe(
      "formula: got 0 columns, expected 1 (x)",
    );
    expect(err(() => f.evaluate(theta, [x], 4, new Float64Array(4), null))).toBe(
      'formula: column "x" has 3 rows, fewer than n = 4',
    );
    expect(err(() => f.evaluate(theta, [x], 3, new Float64Array(2), null))).toBe(
      "formula: f has length 2, fewer than n = 3",
    );
    expect(err(() => f.evaluate(theta, [x], 3, out, new Float64Array(5)))).toBe(
      "formula: jac has length 5, fewer than n·p = 6",
    );
    expect(err(() => f.evaluate(theta, [x], 1.5, out, null))).toBe(
      "formula: n must be an integer >= 0, got 1.5",
    );
  });

  it.each([true, false])("writes only the first n rows (codegen: %s)", (codegen) => {
    const f = mm(codegen);
    const out = new Float64Array(3).fill(-1);
    const jac = new Float64Array(6).fill(-1);
    f.evaluate(Float64Array.of(2, 3), [Float64Array.of(1, 3, 9)], 2, out, jac);
    expect([...out]).toEqual([0.5, 1, -1]);
    expect(jac[4]).toBe(-1);
  });

  it("handles formulas without variables or parameters, and n = 0", () => {
    const [gen, int] = [true, false].map((codegen) =>
      compileFormula("a^2 + pi", { params: ["a"], variables: [], codegen }),
    );
    for (const f of [gen!, int!]) {
      const out = new Float64Array(2);
      const jac = new Float64Array(2);
      f.evaluate(Float64Array.of(3), [], 2, out, jac);
      expect([...out]).toEqual([9 + Math.PI, 9 + Math.PI]);
      expect([...jac]).toEqual([6, 6]);
      f.evaluate(Float64Array.of(3), [], 0, new Float64Array(0), new Float64Array(0));
    }
    const c = compileFormula("2*x", { params: [], variables: ["x"] });
    expect([...run(c, [], [Float64Array.of(1, 2)]).f]).toEqual([2, 4]);
  });

  it("agrees across the interpreter's block boundaries", () => {
    const n = 1000; // several blocks of 256 rows, the last one partial
    const x = Float64Array.from({ length: n }, (_, i) => 0.01 * i);
    const y = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
    const spec = { params: ["a", "b", "c"], variables: ["x", "y"] };
    const text = "a*exp(-b*x) + c*y^2 - min(a*x, c) + abs(y - b)";
    const gen = compileFormula(text, spec);
    const int = compileFormula(text, { ...spec, codegen: false });
    const a = run(gen, [1.5, 0.3, 0.7], [x, y]);
    const b = run(int, [1.5, 0.3, 0.7], [x, y]);
    expect(sameBits(a.f, b.f)).toBe(true);
    expect(sameBits(a.jac, b.jac)).toBe(true);
    expect(a.f[n - 1]).toBeCloseTo(
      1.5 * Math.exp(-0.3 * 9.99) + 0.7 * Math.cos(999) ** 2 - 0.7 + Math.abs(Math.cos(999) - 0.3),
      12,
    );
  });
});
