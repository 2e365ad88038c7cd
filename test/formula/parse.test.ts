import { describe, expect, it } from "vitest";
import {
  compileFormula,
  editDistance,
  lineColumn,
  parseFormula,
  type SyntaxNode,
  suggest,
} from "../../src/formula/index.js";

/** Every node as [kind, detail, the source it spans], in pre-order. */
function spans(text: string): string[] {
  const out: string[] = [];
  const visit = (n: SyntaxNode): void => {
    const src = text.slice(n.start, n.end);
    switch (n.kind) {
      case "number":
        out.push(`number ${n.value} «${src}»`);
        return;
      case "name":
        out.push(`name «${src}»`);
        return;
      case "call":
        out.push(`call «${src}»`);
        [n.callee, ...n.args].forEach(visit);
        return;
      case "unary":
        out.push(`unary ${n.op}@${n.at} «${src}»`);
        visit(n.arg);
        return;
      case "binary":
        out.push(`binary ${n.op}@${n.at}${n.implicit ? " implicit" : ""} «${src}»`);
        visit(n.left);
        visit(n.right);
        return;
      case "paren":
        out.push(`paren «${src}»`);
        visit(n.body);
        return;
      case "other":
        out.push(`other ${n.construct}@${n.at} «${src}»`);
        n.before.forEach(visit);
    }
  };
  visit(parseFormula(text));
  return out;
}

describe("parseFormula", () => {
  it("places every node in the text", () => {
    expect(spans("b1 - b2*x1*exp(-b3*x2)")).toEqual([
      "binary -@3 «b1 - b2*x1*exp(-b3*x2)»",
      "name «b1»",
      "binary *@10 «b2*x1*exp(-b3*x2)»",
      "binary *@7 «b2*x1»",
      "name «b2»",
      "name «x1»",
      "call «exp(-b3*x2)»",
      "name «exp»",
      "binary *@18 «-b3*x2»",
      "unary -@15 «-b3»",
      "name «b3»",
      "name «x2»",
    ]);
  });

  it("keeps mathjs's precedence: -x^2 is −(x²), ^ is right associative, 2^-1 works", () => {
    expect(spans("-x^2")).toEqual([
      "unary -@0 «-x^2»",
      "binary ^@2 «x^2»",
      "name «x»",
      "number 2 «2»",
    ]);
    expect(spans("x^2^3")).toEqual([
      "binary ^@1 «x^2^3»",
      "name «x»",
      "binary ^@3 «2^3»",
      "number 2 «2»",
      "number 3 «3»",
    ]);
    expect(spans("2^-1")).toEqual([
      "binary ^@1 «2^-1»",
      "number 2 «2»",
      "unary -@2 «-1»",
      "number 1 «1»",
    ]);
  });

  it("finds tokens across comments, newlines, tabs and Windows line ends", () => {
    const text = "Vm * x /  # rate\r\n\t(K +\r\n  x)";
    expect(spans(text)).toEqual([
      "binary /@7 «Vm * x /  # rate\r\n\t(K +\r\n  x)»",
      "binary *@3 «Vm * x»",
      "name «Vm»",
      "name «x»",
      "paren «(K +\r\n  x)»",
      "binary +@22 «K +\r\n  x»",
      "name «K»",
      "name «x»",
    ]);
    expect(() => compileFormula(text, { params: ["Vm"], variables: ["x"] })).toThrow(
      'formula:2:3: unknown name "K" (parameters: Vm; variables: x)',
    );
  });

  it("reads numbers as mathjs does, with their source", () => {
    expect(spans("1.5e-3 + .5 + 0x1F + 3.")).toEqual([
      "binary +@19 «1.5e-3 + .5 + 0x1F + 3.»",
      "binary +@12 «1.5e-3 + .5 + 0x1F»",
      "binary +@7 «1.5e-3 + .5»",
      "number 0.0015 «1.5e-3»",
      "number 0.5 «.5»",
      "number 31 «0x1F»",
      "number 3 «3.»",
    ]);
  });

  it("keeps what formulas do not allow as located constructs", () => {
    expect(spans("a.b + c[1] + (d = 2)")).toEqual([
      "binary +@11 «a.b + c[1] + (d = 2)»",
      "binary +@4 «a.b + c[1]»",
      "other member@1 «a.b»",
      "other index@7 «c[1]»",
      "paren «(d = 2)»",
      "other assignment@16 «d = 2»",
    ]);
    expect(spans('x < 2 ? "s" : [1, 2]')).toEqual([
      'other conditional@6 «x < 2 ? "s" : [1, 2]»',
      "binary <@2 «x < 2»",
      "name «x»",
      "number 2 «2»",
    ]);
    expect(spans("a < b <= c")).toEqual(["other comparison@2 «a < b <= c»", "name «a»"]);
  });
});

describe("lineColumn", () => {
  it("counts lines at \\n and columns from 1", () => {
    expect(lineColumn("ab\ncd", 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn("ab\ncd", 2)).toEqual({ line: 1, column: 3 });
    expect(lineColumn("ab\ncd", 3)).toEqual({ line: 2, column: 1 });
    expect(lineColumn("ab\ncd", 99)).toEqual({ line: 2, column: 3 });
  });
});

describe("names", () => {
  it("measures edit distance with transpositions", () => {
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("Km", "mK")).toBe(1);
    expect(editDistance("exp", "exp")).toBe(0);
  });

  it("suggests the nearest declared name, or nothing when none is near", () => {
    expect(suggest("km", ["Vm", "K"])).toBe("K");
    expect(suggest("vm", ["Vm", "K"])).toBe("Vm");
    expect(suggest("Vmax", ["Vm", "K"])).toBe("Vm");
    expect(suggest("y", ["x", "K"])).toBeUndefined();
    expect(suggest("substrate", ["Vm", "K"])).toBeUndefined();
    expect(suggest("tahn", ["tanh", "tan", "atan"])).toBe("tanh");
  });
});
