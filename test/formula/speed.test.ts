import { describe, expect, it } from "vitest";
import { compileFormula } from "../../src/formula/index.js";
import { sameBits } from "./harness.js";

/**
 * Speed sanity: value + Jacobian of a 4-parameter formula over 10^6 rows. Not a timed
 * assertion (CI machines vary); set BIOGRAD_TIMING=1 to print the times. On the reference
 * machine (2 cores, shared) codegen took 0.10–0.20 s, the interpreter 0.18–0.36 s.
 */
describe("speed", () => {
  it("evaluates value and Jacobian of a 4-parameter formula over 1e6 rows", () => {
    const n = 1_000_000;
    const x = Float64Array.from({ length: n }, (_, i) => 0.01 + (50 * i) / n);
    const spec = { params: ["a", "b", "c", "d"], variables: ["x"] };
    const text = "d + (a - d)/(1 + (x/c)^b)"; // four-parameter logistic (4PL)
    const theta = Float64Array.of(0.1, 1.3, 5, 2);
    const results = [true, false].map((codegen) => {
      const formula = compileFormula(text, { ...spec, codegen });
      const f = new Float64Array(n);
      const jac = new Float64Array(4 * n);
      formula.evaluate(theta, [x], n, f, jac); // warm-up
      const start = performance.now();
      formula.evaluate(theta, [x], n, f, jac);
      const ms = performance.now() - start;
      if (process.env.BIOGRAD_TIMING)
        console.log(`${formula.mode}: ${ms.toFixed(1)} ms for ${n} rows`);
      expect(f.every(Number.isFinite) && jac.every(Number.isFinite)).toBe(true);
      return { f, jac };
    });
    expect(sameBits(results[0]!.f, results[1]!.f)).toBe(true);
    expect(sameBits(results[0]!.jac, results[1]!.jac)).toBe(true);
  });
});
