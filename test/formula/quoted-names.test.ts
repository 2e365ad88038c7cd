import { describe, expect, it } from "vitest";
import { compileFormula } from "../../src/formula/index.js";

const SPEC = { params: ["Vm", "K"], variables: ["conc (uM)"] };

describe("backtick-quoted names", () => {
  it("let columns that are not identifiers be used, computing what the plain formula computes", () => {
    const quoted = compileFormula("Vm*`conc (uM)`/(K+`conc (uM)`)", SPEC);
    const plain = compileFormula("Vm*x/(K+x)", { params: ["Vm", "K"], variables: ["x"] });
    const x = [Float64Array.of(0.02, 0.5, 1.1)];
    const theta = Float64Array.of(212.7, 0.0641);
    const a = new Float64Array(3);
    const b = new Float64Array(3);
    const ja = new Float64Array(6);
    const jb = new Float64Array(6);
    quoted.evaluate(theta, x, 3, a, ja);
    plain.evaluate(theta, x, 3, b, jb);
    expect(a).toEqual(b);
    expect(ja).toEqual(jb);
    expect(quoted.simplified).toBe("Vm * `conc (uM)` / (K + `conc (uM)`)");
    expect(compileFormula(quoted.simplified, SPEC).simplified).toBe(quoted.simplified);
  });

  it("read names mathjs cannot (Konz_µM) and quoted identifiers alike", () => {
    const f = compileFormula("a*`Konz_µM` + `a`", { params: ["a"], variables: ["Konz_µM"] });
    expect(f.simplified).toBe("a * `Konz_µM` + a");
  });

  const bad: [string, string][] = [
    ["Vm*`conc (uM)`/(k+`conc (uM)`)", 'formula:1:17: unknown name "k"'],
    ["Vm*`conc (uM)`/(K+`conc(uM)`)", 'formula:1:19: unknown name "conc(uM)"'],
    ["Vm*`conc (uM)`/(K+`conc (uM)`", "formula:1:30: parenthesis ) expected"],
    ["Vm*`conc (uM)/(K+x)", "formula:1:4: unclosed quoted name"],
    ["Vm*``+K*`conc (uM)`", "formula:1:4: empty quoted name"],
  ];
  for (const [text, message] of bad) {
    it(`point at the right character: ${text}`, () => {
      expect(() => compileFormula(text, SPEC)).toThrow(message);
    });
  }

  it("keep every position: an error is where the same formula with plain names has it", () => {
    const plain = { params: ["Vm", "K"], variables: ["concentratn"] }; // as long as `conc (uM)`
    for (const [text] of bad.slice(0, 3)) {
      const same = text
        .replaceAll("`conc (uM)`", "concentratn")
        .replaceAll("`conc(uM)`", "concentrt");
      const where = (t: string, spec: typeof SPEC) => {
        try {
          compileFormula(t, spec);
        } catch (e) {
          return (e as Error).message.split(":").slice(0, 3).join(":");
        }
        return "compiled";
      };
      expect(where(text, SPEC)).toBe(where(same, plain));
    }
  });

  it("refuse declared names that could not be quoted", () => {
    expect(() => compileFormula("a*x", { params: ["a"], variables: ["x`y"] })).toThrow(
      /variable name "x`y" is not a valid name/,
    );
  });
});
