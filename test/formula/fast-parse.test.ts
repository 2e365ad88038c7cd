import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { convert } from "../../src/formula/convert.js";
import { fastParse } from "../../src/formula/fast-parse.js";
import { mathParse } from "../../src/formula/mathjs.js";
import { parseFormula } from "../../src/formula/parse.js";
import { MODELS } from "../../src/nls/library/index.js";

// mathjs is the oracle: wherever the fast parser gives a tree, it must be exactly the tree
// (positions included) that convert(mathParse(text)) gives; where mathjs rejects the text,
// the fast parser must give none, so that the error is mathjs's.
function viaMathjs(text: string) {
  try {
    return convert(mathParse(text), text);
  } catch {
    return null;
  }
}

function agrees(text: string) {
  const fast = fastParse(text);
  if (fast === null) return;
  expect(viaMathjs(text), text).toEqual(fast);
}

const IN_SUBSET = [
  "Vm*conc/(K+conc)",
  "-x^2",
  "2^-1",
  "2^-3^2",
  "x^y^z",
  "a-b-c",
  "a/b/c*d",
  "a - -b",
  "x--y",
  "+x",
  "-a*b",
  "-(a+b)^2",
  "f()",
  "exp(-k*t)",
  "pow(x, 2)",
  "max(a, b, c)",
  "1.5e-3*x",
  "1E+3 + .5",
  "0123",
  "1e400*x",
  "$q1__ + x",
  "a  *\tb",
  "  bottom + (top - bottom) / (1 + (x / ec50)^hill)  ",
  "log(2)/k",
  "f (x)",
  "end + e + pi",
];

const OUTSIDE = [
  "2x",
  "x y",
  "a%b",
  "x!",
  "x'",
  "a mod b",
  "x\n+1",
  "x # note",
  "a.b",
  "5.*x",
  "2 .5",
  "x**2",
  "true",
  "NaN*x",
  "not x",
  "2 (x)",
  "(a)(b)",
  "f(x)(y)",
  "1.2.3",
  "2e",
  "1/2x",
  "a[1]",
  "x < 1",
  "a ? b : c",
  "a = 1",
  "",
  "x +",
  "(x",
  "x)",
  "f(x,)",
  "µ*x",
  `${"(".repeat(150)}x${")".repeat(150)}`,
  `${"-".repeat(150)}x`,
  Array.from({ length: 600 }, () => "a").join("+"),
];

describe("fastParse: the common subset without mathjs, the same trees", () => {
  it("reads every library model's formula, as mathjs does", () => {
    for (const model of MODELS) {
      expect(fastParse(model.formula), model.formula).not.toBeNull();
      agrees(model.formula);
    }
  });

  it("reads the subset's corner cases (precedence, unary, literals, spacing), as mathjs does", () => {
    for (const text of IN_SUBSET) {
      expect(fastParse(text), text).not.toBeNull();
      agrees(text);
    }
  });

  it("leaves everything else to mathjs: implicit products, other operators, errors, deep nesting", () => {
    for (const text of OUTSIDE) expect(fastParse(text), JSON.stringify(text)).toBeNull();
  });

  it("parseFormula still reports mathjs's errors and the nesting limit", () => {
    expect(() => parseFormula("x +")).toThrow("formula:1:4: unexpected end of expression");
    expect(() => parseFormula(`${"(".repeat(600)}x${")".repeat(600)}`)).toThrow(/nests too deeply/);
    expect(() => parseFormula(Array.from({ length: 600 }, () => "a").join("+"))).toThrow(
      /nests too deeply/,
    );
  });

  it("agrees with mathjs on random token strings of the subset's alphabet", () => {
    const token = fc.constantFrom(
      "x",
      "k",
      "$a_",
      "f",
      "exp",
      "2",
      "0.5",
      ".25",
      "1e3",
      "3E-2",
      "+",
      "-",
      "*",
      "/",
      "^",
      "(",
      ")",
      ",",
      " ",
      "\t",
      ".",
      "e",
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 14 }), (tokens) => {
        agrees(tokens.join(""));
      }),
      { numRuns: 3000, seed: 14 },
    );
  });

  it("reads random well-formed formulas of the subset, as mathjs does", () => {
    const gap = fc.constantFrom("", " ", "  ", "\t");
    const formula = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.constantFrom("x", "Km", "$b__", "2", "0.5", "1.5e-3", "pi"),
        fc
          .tuple(tie("e"), fc.constantFrom("+", "-", "*", "/", "^"), tie("e"), gap, gap)
          .map(([a, op, b, g1, g2]) => `${a}${g1}${op}${g2}${b}`),
        fc.tuple(fc.constantFrom("-", "+"), tie("e")).map(([op, a]) => `${op}${a}`),
        tie("e").map((a) => `(${a})`),
        fc
          .tuple(
            fc.constantFrom("exp", "log", "max"),
            fc.array(tie("e"), { minLength: 1, maxLength: 3 }),
          )
          .map(([f, args]) => `${f}(${args.join(", ")})`),
      ),
    })).e;
    let read = 0;
    fc.assert(
      fc.property(formula, (text) => {
        const fast = fastParse(text);
        if (fast !== null) read++;
        agrees(text);
      }),
      { numRuns: 2000, seed: 14 },
    );
    // Well-formed texts are the subset's business: only trees deeper than its bound go to mathjs.
    expect(read).toBeGreaterThan(1900);
  });
});
