import { afterEach, describe, expect, it } from "vitest";
import { BiogradError } from "../../src/core/errors.js";
import { compileFormula, FormulaError, type FormulaSpec } from "../../src/formula/index.js";

const MM: FormulaSpec = { params: ["Vm", "K"], variables: ["x"] };

declare global {
  // A flag a successful payload would set.
  var __biogradPwned: boolean | undefined;
}

afterEach(() => {
  expect(globalThis.__biogradPwned).toBeUndefined();
});

function rejection(text: string, spec: FormulaSpec = MM): string {
  try {
    compileFormula(text, spec);
  } catch (e) {
    expect(e).toBeInstanceOf(FormulaError);
    return (e as Error).message;
  }
  throw new Error(`accepted: ${text}`);
}

/** [formula, the exact message]: would-be payloads, then everything else the allow-list bars. */
const REJECTED: [string, string][] = [
  // payloads
  [
    'constructor.constructor("globalThis.__biogradPwned = true")',
    'formula:1:12: member access "." is not allowed (formulas use plain names)',
  ],
  ["Vm * constructor", 'formula:1:6: "constructor" is not allowed as a name'],
  ['constructor.constructor("globalThis.__biogradPwned = true")()', "formula:1:61: value expected"],
  [
    'x.constructor.constructor("globalThis.__biogradPwned = true")',
    'formula:1:2: member access "." is not allowed (formulas use plain names)',
  ],
  [
    'cos.constructor("globalThis.__biogradPwned = true")',
    'formula:1:4: member access "." is not allowed (formulas use plain names)',
  ],
  [
    'exp.call(0, "globalThis.__biogradPwned = true")',
    'formula:1:4: member access "." is not allowed (formulas use plain names)',
  ],
  ["x?.constructor", 'formula:1:2: member access "?." is not allowed (formulas use plain names)'],
  ['x["constructor"]', 'formula:1:2: indexing "[…]" is not allowed'],
  [
    'Function("globalThis.__biogradPwned = true")',
    'formula:1:1: unknown function "Function" (functions: exp, log, log10, log2, sqrt, abs, pow, min, max, sin, cos, tan, atan, tanh, sinh, cosh)',
  ],
  [
    'evaluate("globalThis.__biogradPwned = true")',
    'formula:1:1: unknown function "evaluate" (functions: exp, log, log10, log2, sqrt, abs, pow, min, max, sin, cos, tan, atan, tanh, sinh, cosh)',
  ],
  [
    "import({pwned: 1}, {override: true})",
    'formula:1:1: unknown function "import" (functions: exp, log, log10, log2, sqrt, abs, pow, min, max, sin, cos, tan, atan, tanh, sinh, cosh)',
  ],
  ["__proto__.polluted = 1", 'formula:1:1: "__proto__" is not allowed as a name'],
  ["prototype * x", 'formula:1:1: "prototype" is not allowed as a name'],
  ["})(); globalThis.__biogradPwned = true; (function(){", "formula:1:1: value expected"],
  [
    "x; globalThis.__biogradPwned = true",
    'formula:1:2: only one expression is allowed (remove ";")',
  ],
  ["f(x) = globalThis.__biogradPwned", "formula:1:1: function definitions are not allowed"],
  ['"globalThis.__biogradPwned = true"', "formula:1:1: strings are not allowed"],
  // assignments, several expressions
  ["y = Vm*x/(K+x)", 'formula:1:3: assignment "=" is not allowed (write only the right-hand side)'],
  [
    "x\nK",
    "formula:2:1: only one expression is allowed (a formula goes on over lines only after an operator or inside parentheses)",
  ],
  // data structures
  ["[Vm, K]", "formula:1:1: matrices and arrays are not allowed"],
  ["{a: Vm}", "formula:1:1: objects are not allowed"],
  ["1:3", 'formula:1:2: ranges ":" are not allowed'],
  // conditionals, comparisons, other operators
  [
    "x ? Vm : K",
    'formula:1:3: conditionals "? :" are not allowed (use min, max or abs for piecewise formulas)',
  ],
  ["x > 0 ? Vm : K", 'formula:1:3: comparison ">" is not allowed'],
  ["x < K < Vm", 'formula:1:3: comparison "<" is not allowed'],
  ["Vm == K", 'formula:1:4: comparison "==" is not allowed'],
  ["x!", 'formula:1:2: factorial "!" is not allowed'],
  ["x'", 'formula:1:2: transpose "\'" is not allowed'],
  ["x mod 2", 'formula:1:3: modulo "mod" is not allowed'],
  ["x % 2", 'formula:1:3: modulo "%" is not allowed'],
  ["x and K", 'formula:1:3: logical operator "and" is not allowed'],
  ["not x", 'formula:1:1: logical operator "not" is not allowed'],
  ["x & K", 'formula:1:3: bitwise operator "&" is not allowed'],
  ["x .* K", 'formula:1:3: element-wise operator ".*" is not allowed (write *)'],
  ["x to K", 'formula:1:3: unit conversion "to" is not allowed'],
  ["50%", 'formula:1:3: percent "%" is not allowed (write /100)'],
  // implicit multiplication
  ["2x", "formula:1:2: implicit multiplication is not allowed (write 2*x)"],
  ["Vm x / (K + x)", "formula:1:4: implicit multiplication is not allowed (write Vm*x)"],
  ["(Vm)(x)", "formula:1:5: implicit multiplication is not allowed (write (Vm)*(x))"],
  ["1e-3Vm", "formula:1:5: implicit multiplication is not allowed (write 1e-3*Vm)"],
  // names
  [
    "Vm*x/(km+x)",
    'formula:1:7: unknown name "km" (parameters: Vm, K; variables: x; did you mean "K"?)',
  ],
  [
    "vm*x/(K+x)",
    'formula:1:1: unknown name "vm" (parameters: Vm, K; variables: x; did you mean "Vm"?)',
  ],
  [
    "Vm*x/\n  (km + x)",
    'formula:2:4: unknown name "km" (parameters: Vm, K; variables: x; did you mean "K"?)',
  ],
  ["Vm*x/(K+x) + # note\n  zz", 'formula:2:3: unknown name "zz" (parameters: Vm, K; variables: x)'],
  [
    "Vm*x/(K+x) # note\n + zz",
    "formula:2:2: only one expression is allowed (a formula goes on over lines only after an operator or inside parentheses)",
  ],
  ["exp * x", 'formula:1:1: "exp" is a function (call it as exp(…))'],
  // literals
  ["true", 'formula:1:1: "true" is not a number'],
  ["null + x", 'formula:1:1: "null" is not a number'],
  ["Infinity", 'formula:1:1: number "Infinity" is not finite'],
  ["NaN * x", 'formula:1:1: number "NaN" is not finite'],
  ["1e400 * x", 'formula:1:1: number "1e400" is not finite'],
  // functions
  ["expp(x)", 'formula:1:1: unknown function "expp" (did you mean "exp"?)'],
  ["exp(x, 2)", "formula:1:1: exp takes 1 argument, got 2"],
  ["Vm * log()", "formula:1:6: log takes 1 or 2 arguments, got 0"],
  ["pow(x)", "formula:1:1: pow takes 2 arguments, got 1"],
  ["min(x)", "formula:1:1: min takes 2 or more arguments, got 1"],
  ["x(2)", 'formula:1:1: "x" is a variable, not a function (write x*(…) to multiply)'],
  ["K(x + 1)", 'formula:1:1: "K" is a parameter, not a function (write K*(…) to multiply)'],
  // syntax
  ["Vm*x/(K+x", "formula:1:10: parenthesis ) expected"],
  ["Vm*x/(K+x))", "formula:1:11: unexpected operator )"],
  ["Vm**x", "formula:1:4: value expected (use ^ for powers)"],
  ["", "formula:1:1: the formula is empty"],
  ["  # just a comment", "formula:1:1: the formula is empty"],
  [`${"-".repeat(600)}x`, "formula:1:502: the formula nests too deeply (at most 500 levels)"],
  [
    `${"(".repeat(2000)}x${")".repeat(2000)}`,
    "formula:1:1: the formula nests too deeply (at most 500 levels)",
  ],
  [
    `${"(".repeat(20000)}x${")".repeat(20000)}`,
    "formula:1:10001: the formula is too long (at most 10000 characters)",
  ],
];

describe("rejected formulas", () => {
  it.each(REJECTED)("%j", (text, message) => {
    expect(rejection(text)).toBe(message);
  });

  it("accepts deep nesting and long sums within the limits", () => {
    const spec = { params: ["a"], variables: ["x"] };
    const deep = compileFormula(`${"(".repeat(200)}a*x${")".repeat(200)}`, spec);
    expect(deep.derivatives).toEqual({ a: "x" });
    const sum = compileFormula(Array.from({ length: 400 }, (_, i) => `${i}*a*x`).join(" + "), spec);
    const f = new Float64Array(1);
    const jac = new Float64Array(1);
    sum.evaluate(Float64Array.of(1), [Float64Array.of(2)], 1, f, jac);
    expect([f[0], jac[0]]).toEqual([2 * 79800, 2 * 79800]);
  });

  it("counts at least 20 would-be payloads and malformed formulas", () => {
    expect(REJECTED.length).toBeGreaterThanOrEqual(60);
  });

  it("errors carry line, column and hint", () => {
    try {
      compileFormula("Vm*x/\n  (km + x)", MM);
      expect.unreachable();
    } catch (e) {
      const err = e as FormulaError;
      expect(err).toBeInstanceOf(BiogradError);
      expect(err.code).toBe("bad_input");
      expect([err.line, err.column, err.problem, err.hint]).toEqual([
        2,
        4,
        'unknown name "km"',
        'parameters: Vm, K; variables: x; did you mean "K"?',
      ]);
    }
  });
});

describe("rejected specs", () => {
  const cases: [string, unknown, string][] = [
    [
      "x + K",
      { params: ["K", "x"], variables: ["x"] },
      'formula:1:1: "x" is declared both as a parameter and as a variable (rename one of them)',
    ],
    [
      "x + K",
      { params: ["K", "K"], variables: ["x"] },
      'formula:1:5: parameter "K" is declared twice',
    ],
    [
      "x + 1",
      { params: ["K"], variables: ["x"], constants: { K: 1 } },
      'formula: "K" is declared both as a parameter and as a constant (rename one of them)',
    ],
    [
      "a*exp(-e*x)",
      { params: ["a", "e"], variables: ["x"] },
      `formula:1:8: "e" is reserved for Euler's number (rename the parameter)`,
    ],
    [
      "x",
      { params: ["pi"], variables: ["x"] },
      'formula: "pi" is reserved for π (rename the parameter)',
    ],
    [
      "x",
      { params: ["exp"], variables: ["x"] },
      'formula: "exp" is the name of a function (rename the parameter)',
    ],
    [
      "x",
      { params: ["true"], variables: ["x"] },
      'formula: "true" is a reserved word (rename the parameter)',
    ],
    [
      "x",
      { params: ["constructor"], variables: ["x"] },
      'formula: "constructor" is not allowed as a name (rename the parameter)',
    ],
    [
      "x",
      { params: [], variables: ["x"], constants: JSON.parse('{"__proto__": 1}') },
      'formula: "__proto__" is not allowed as a name (rename the constant)',
    ],
    [
      "x",
      { params: ["a`b"], variables: ["x"] },
      'formula: parameter name "a`b" is not a valid name (letters, digits, _ and $, not starting with a digit; others in backticks, without ` or line breaks)',
    ],
    [
      "x",
      { params: [], variables: [" "] },
      'formula: variable name " " is not a valid name (letters, digits, _ and $, not starting with a digit; others in backticks, without ` or line breaks)',
    ],
  ];
  it.each(cases)("%j with %j", (text, spec, message) => {
    expect(rejection(text, spec as FormulaSpec)).toBe(message);
  });

  it("checks the spec's shape like every options object", () => {
    expect(() => compileFormula("x", { params: [], variables: ["x"], extra: 1 } as never)).toThrow(
      'compileFormula: unknown option "extra" (known options: params, variables, constants, codegen)',
    );
    expect(() => compileFormula("x", { params: "Vm", variables: ["x"] } as never)).toThrow(
      'compileFormula: params must be an array of names, got "Vm"',
    );
    expect(() => compileFormula("x", { params: [] } as never)).toThrow(
      "compileFormula: variables must be an array of names, got undefined",
    );
    expect(() =>
      compileFormula("x", { params: [], variables: ["x"], constants: { R: Number.NaN } }),
    ).toThrow("compileFormula: constants.R must be a finite number, got NaN");
    expect(() => compileFormula(42 as never, MM)).toThrow(
      "compileFormula: text must be a string, got 42",
    );
  });
});
