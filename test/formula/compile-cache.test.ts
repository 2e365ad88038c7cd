import { describe, expect, it } from "vitest";
import { compileFormula } from "../../src/formula/index.js";

const SPEC = { params: ["Vm", "K"], variables: ["x"] };

function values(text: string, spec: Parameters<typeof compileFormula>[1], theta: number[]) {
  const c = compileFormula(text, spec);
  const x = new Float64Array([0.02, 0.1, 1]);
  const f = new Float64Array(3);
  const jac = new Float64Array(3 * c.params.length);
  c.evaluate(new Float64Array(theta), [x], 3, f, jac);
  return [...f, ...jac];
}

describe("compileFormula: compiled once per text and spec in a process", () => {
  it("returns the same frozen object for the same text and spec (equal, not identical, specs)", () => {
    const a = compileFormula("Vm*x/(K+x)", SPEC);
    const b = compileFormula("Vm*x/(K+x)", { params: ["Vm", "K"], variables: ["x"] });
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(a.derivatives.K).toBe(b.derivatives.K);
  });

  it("compiles anew for another text, parameter order, constant or codegen setting", () => {
    const a = compileFormula("Vm*x/(K+x)", SPEC);
    expect(compileFormula("Vm*x/(K + x)", SPEC)).not.toBe(a);
    expect(compileFormula("Vm*x/(K+x)", { ...SPEC, params: ["K", "Vm"] })).not.toBe(a);
    expect(compileFormula("Vm*x/(K+x)", { ...SPEC, codegen: false }).mode).toBe("interpreter");
    expect(a.mode).toBe("codegen");
    const zero = { params: ["Vm"], variables: ["x"] };
    // 1/c with c = 0 and c = −0: different constants, different curves (+∞ and −∞).
    const pos = values("Vm + 1/c", { ...zero, constants: { c: 0 } }, [1]);
    const neg = values("Vm + 1/c", { ...zero, constants: { c: -0 } }, [1]);
    expect(pos[0]).toBe(Infinity);
    expect(neg[0]).toBe(-Infinity);
    // A constant that is not finite is an error every time, whatever was compiled before.
    for (let k = 0; k < 2; k++) {
      expect(() => values("Vm + 1/c", { ...zero, constants: { c: Number.NaN } }, [1])).toThrow(
        "constants.c must be a finite number",
      );
    }
  });

  it("gives the numbers a fresh compile gives, and still rejects a bad spec each time", () => {
    const cached = values("Vm*x/(K+x)", SPEC, [200, 0.05]);
    const closedForm = [
      (200 * 0.02) / 0.07,
      (200 * 0.1) / 0.15,
      200 / 1.05,
      0.02 / 0.07,
      (-200 * 0.02) / 0.07 ** 2,
      0.1 / 0.15,
      (-200 * 0.1) / 0.15 ** 2,
      1 / 1.05,
      -200 / 1.05 ** 2,
    ];
    // Codegen's operation order differs from these expressions' by an ulp or so.
    for (const [i, v] of cached.entries()) {
      expect(Math.abs(v - closedForm[i]!)).toBeLessThan(1e-13 * Math.abs(v));
    }
    expect(values("Vm*x/(K+x)", SPEC, [200, 0.05])).toEqual(cached);
    const bad = {
      params: ["Vm", "K"],
      variables: ["x"],
      constants: { c: "2" as unknown as number },
    };
    compileFormula("Vm*x/(K+x) + 2", {
      params: ["Vm", "K"],
      variables: ["x"],
      constants: { c: 2 },
    });
    expect(() => compileFormula("Vm*x/(K+x) + 2", bad)).toThrow();
    expect(() => compileFormula("Vm*x/(K+x) + 2", bad)).toThrow();
  });
});
