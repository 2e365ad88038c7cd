import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.js";
import {
  compileFormula,
  type FormulaSpec,
  generateSource,
  planFormula,
} from "../../src/formula/index.js";
import { cli } from "../helpers/cli.js";
import { compareWithFiniteDifferences, compileBoth, run, sameBits } from "./harness.js";

const SPEC: FormulaSpec = { params: ["a", "b", "c"], variables: ["x", "y"] };
const leaf = fc.constantFrom("a", "b", "c", "x", "y", "0.5", "1.5", "2", "3", "pi", "e");

/** A formula's text and a bound on the magnitude of every subexpression over [−2, 2]. */
type Bounded = [text: string, bound: number];

/**
 * Formulas smooth and finite for parameters and data in [−2, 2] (apart from kinks of
 * abs/min/max) whose subexpressions all stay below 1e4 in magnitude (the bound is over the
 * whole subtree): beyond that, sin of a large argument or a difference of large terms makes
 * finite differences meaningless.
 */
const smooth = fc.memo<Bounded>((n): fc.Arbitrary<Bounded> => {
  const leaves = fc.constantFrom<Bounded>(
    ...["a", "b", "c", "x", "y"].map((v): Bounded => [v, 2]),
    ["0.5", 0.5],
    ["1.5", 1.5],
    ["2", 2],
    ["3", 3],
    ["pi", Math.PI],
    ["e", Math.E],
  );
  if (n <= 1) return leaves;
  const u: fc.Arbitrary<Bounded> = smooth(n - 1);
  const one = (f: (a: string) => string, bound: (m: number) => number) =>
    u.map(([a, m]): Bounded => [f(a), bound(m)]).filter(([, m]) => m <= 1e4);
  const two = (f: (a: string, b: string) => string, bound: (m: number, k: number) => number) =>
    fc
      .tuple(u, u)
      .map(([[a, m], [b, k]]): Bounded => [f(a, b), bound(m, k)])
      .filter(([, m]) => m <= 1e4);
  const M = Math.max;
  return fc.oneof(
    leaves,
    two(
      (a, b) => `(${a} + ${b})`,
      (m, k) => m + k,
    ),
    two(
      (a, b) => `(${a} - ${b})`,
      (m, k) => m + k,
    ),
    two(
      (a, b) => `${a} * ${b}`,
      (m, k) => M(m, k, m * k),
    ),
    two(
      (a, b) => `(${a}) / (1 + (${b})^2)`,
      (m, k) => M(m, 1 + k * k),
    ),
    one(
      (a) => `(${a})^2`,
      (m) => M(m, m * m),
    ),
    one(
      (a) => `(${a})^3`,
      (m) => M(m, m * m * m),
    ),
    two(
      (a, b) => `(1 + (${a})^2)^(${b})`,
      (m, k) => M(k, 1 + m * m, (1 + m * m) ** k),
    ),
    two(
      (a, b) => `pow(2 + sin(${a}), ${b})`,
      (m, k) => M(m, k, 3 ** k),
    ),
    one(
      (a) => `exp(sin(${a}))`,
      (m) => M(m, Math.E),
    ),
    one(
      (a) => `exp(-(${a})^2)`,
      (m) => M(m, m * m),
    ),
    one(
      (a) => `log(1 + (${a})^2)`,
      (m) => M(m, 1 + m * m),
    ),
    one(
      (a) => `log10(2 + cos(${a}))`,
      (m) => M(m, 3),
    ),
    one(
      (a) => `log2(2 + tanh(${a}))`,
      (m) => M(m, 3),
    ),
    two(
      (a, b) => `log(2 + sin(${a}), 3 + cos(${b}))`,
      (m, k) => M(m, k, 4),
    ),
    one(
      (a) => `sqrt(1 + (${a})^2)`,
      (m) => M(m, 1 + m * m),
    ),
    one(
      (a) => `sin(${a})`,
      (m) => M(m, 1),
    ),
    one(
      (a) => `cos(${a})`,
      (m) => M(m, 1),
    ),
    one(
      (a) => `tan(atan(${a}) / 2)`,
      (m) => M(m, 2),
    ),
    one(
      (a) => `atan(${a})`,
      (m) => M(m, 2),
    ),
    one(
      (a) => `tanh(${a})`,
      (m) => M(m, 1),
    ),
    one(
      (a) => `sinh(tanh(${a}))`,
      (m) => M(m, 2),
    ),
    one(
      (a) => `cosh(atan(${a}))`,
      (m) => M(m, 3),
    ),
    one(
      (a) => `-(${a})`,
      (m) => m,
    ),
    one(
      (a) => `+(${a})`,
      (m) => m,
    ),
    one(
      (a) => `abs(${a})`,
      (m) => m,
    ),
    two(
      (a, b) => `min(${a}, ${b})`,
      (m, k) => M(m, k),
    ),
    two(
      (a, b) => `max(${a}, ${b}, 0.25)`,
      (m, k) => M(m, k),
    ),
  );
});

/** Anything the language allows, with no regard for domains (for mode identity). */
const anything = fc.memo<string>((n): fc.Arbitrary<string> => {
  if (n <= 1) return fc.oneof(leaf, fc.constantFrom("0", "-0", "1e300", "1e-300", "0.1"));
  const u: fc.Arbitrary<string> = anything(n - 1);
  const two = (op: string) => fc.tuple(u, u).map(([a, b]) => `(${a}) ${op} (${b})`);
  const call = (fn: string, arity = 1) =>
    fc.array(u, { minLength: arity, maxLength: arity }).map((args) => `${fn}(${args.join(", ")})`);
  return fc.oneof(
    leaf,
    two("+"),
    two("-"),
    two("*"),
    two("/"),
    two("^"),
    u.map((a) => `-(${a})`),
    ...[
      "exp",
      "log",
      "log10",
      "log2",
      "sqrt",
      "abs",
      "sin",
      "cos",
      "tan",
      "atan",
      "tanh",
      "sinh",
      "cosh",
    ].map((f) => call(f)),
    call("pow", 2),
    call("min", 3),
    call("max", 2),
    call("log", 2),
  );
});

/** Uniform on a grid of step 1e-6 in [−2, 2]: no bias towards 0 and the bounds, where kinks sit. */
const unit = fc.noBias(fc.integer({ min: -2_000_000, max: 2_000_000 })).map((k) => k / 1_000_000);
const column = fc.array(unit, { minLength: 3, maxLength: 3 }).map((v) => Float64Array.from(v));
const wild = fc.oneof(
  fc.double(),
  fc.constantFrom(0, -0, 1, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.MIN_VALUE, 1e308),
);
const wildColumn = fc.array(wild, { minLength: 5, maxLength: 5 }).map((v) => Float64Array.from(v));

describe("random formulas", () => {
  it("have partials that match central finite differences (few samples skipped)", () => {
    let samples = 0;
    let outsideDomain = 0;
    let entries = 0;
    let illConditioned = 0;
    fc.assert(
      fc.property(smooth(5), fc.tuple(unit, unit, unit), column, column, ([text], theta, x, y) => {
        const formula = compileFormula(text, SPEC);
        const cmp = compareWithFiniteDifferences(formula, theta, [x, y]);
        samples++;
        if (cmp.nonFinite) {
          outsideDomain++;
          return;
        }
        entries += cmp.entries;
        illConditioned += cmp.illConditioned;
        expect(cmp.maxError, text).toBeLessThan(1e-6);
      }),
      { numRuns: 400, seed: 20240611 },
    );
    expect(samples).toBe(400);
    expect(outsideDomain / samples).toBeLessThan(0.01);
    expect(illConditioned / entries).toBeLessThan(0.01);
  });

  it("evaluate bit for bit the same in both modes, with or without the Jacobian", () => {
    fc.assert(
      fc.property(
        anything(4),
        fc.tuple(wild, wild, wild),
        wildColumn,
        wildColumn,
        (text, theta, x, y) => {
          const [gen, int] = compileBoth(text, SPEC);
          const a = run(gen, theta, [x, y]);
          const b = run(int, theta, [x, y]);
          expect(sameBits(a.f, b.f) && sameBits(a.jac, b.jac), text).toBe(true);
          const f = new Float64Array(x.length);
          int.evaluate(Float64Array.from(theta), [x, y], x.length, f, null);
          expect(sameBits(f, a.f)).toBe(true);
          gen.evaluate(Float64Array.from(theta), [x, y], x.length, f, null);
          expect(sameBits(f, a.f)).toBe(true);
        },
      ),
      { numRuns: 500, seed: 7 },
    );
  });

  it("compute each distinct subexpression once per row", () => {
    fc.assert(
      fc.property(smooth(5), ([text]) => {
        const source = generateSource(planFormula(text, SPEC).plan);
        for (const loop of source.split("for (").slice(1)) {
          const rhs = [...loop.matchAll(/const t\d+ = (.*);/g)].map((m) => m[1]);
          expect(new Set(rhs).size).toBe(rhs.length);
        }
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it("print their simplified value faithfully (recompiled, it computes the same bits)", () => {
    fc.assert(
      fc.property(anything(4), fc.tuple(unit, unit, unit), column, column, (text, theta, x, y) => {
        const formula = compileFormula(text, SPEC);
        // A folded constant like log(0) = -Infinity prints as text no formula may contain.
        fc.pre(!/Infinity|NaN/.test(formula.simplified));
        const again = compileFormula(formula.simplified, SPEC);
        expect(again.simplified).toBe(formula.simplified);
        expect(sameBits(run(again, theta, [x, y]).f, run(formula, theta, [x, y]).f)).toBe(true);
      }),
      { numRuns: 300, seed: 5 },
    );
  });
});

/** Text that is mostly formula-like (so that parsing gets far), sometimes anything at all. */
const formulaText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc
    .array(
      fc.constantFrom(
        ..."abxK Vm conc ( ) + - * / ^ , . ; = ? : ! ' [ ] { } \" # % < > & | ~ 1 2.5 1e309 0x1f exp log pow min sqrt sin ` `conc` `a b` \n \r $ _ µ constructor __proto__ to in mod".split(
          " ",
        ),
      ),
      { maxLength: 24 },
    )
    .map((parts) => parts.join("")),
);

describe("arbitrary formula text", () => {
  it("compiles, or is refused with an InputError naming the place — never another exception", () => {
    fc.assert(
      fc.property(formulaText, (text) => {
        try {
          compileFormula(text, { params: ["a", "K", "Vm"], variables: ["x", "conc"] });
        } catch (e) {
          expect(e, String(e)).toBeInstanceOf(InputError);
          expect((e as Error).message).toMatch(/^formula(:\d+:\d+)?: /);
          expect((e as Error).message).not.toMatch(/compileFormula|planFormula|\bat .*\(|\n/);
        }
      }),
      { numRuns: 3000, seed: 8 },
    );
  });

  it("as biograd fit --model: exit 0, 1 or 2, and a refusal is one line without internal names", async () => {
    const data = new URL("../../examples/puromycin-treated.csv", import.meta.url).pathname;
    await fc.assert(
      fc.asyncProperty(formulaText, async (text) => {
        const r = await cli(
          "fit",
          data,
          "--model",
          text,
          "--x",
          "conc",
          "--y",
          "rate",
          "--start",
          "a=1",
        );
        expect([0, 1, 2]).toContain(r.code);
        const err = r.err.filter((l) => l !== "");
        expect(err.join("\n")).not.toMatch(
          /internal error|compileFormula|planFormula|formulaNames| {4}at /,
        );
        if (r.code === 2) expect(err, text).toHaveLength(1);
      }),
      { numRuns: 300, seed: 9 },
    );
  });
});
