import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { centralDifferences, maxRelativeError } from "../../helpers/finite-diff.js";
import { loadNist, NIST_MODELS, NIST_NAMES, nistProblem, parseNist } from "../../helpers/nist.js";

describe("NIST model Jacobians (test/helpers/nist.ts) against central differences", () => {
  for (const name of NIST_NAMES) {
    const data = loadNist(name);
    const at = {
      "Start 1": data.params.map((q) => q.start1),
      "Start 2": data.params.map((q) => q.start2),
      certified: data.params.map((q) => q.certified),
    };
    for (const [where, values] of Object.entries(at)) {
      test(`${name} at ${where}`, () => {
        const model = NIST_MODELS[name];
        const p = values.length;
        const theta = Float64Array.from(values);
        const grad = new Float64Array(p);
        const scratch = new Float64Array(p);
        for (const x of data.x) {
          model(x, theta, grad);
          // Differences of f itself (not of r = y − f, whose y would swamp a tiny f).
          const fd = centralDifferences((b) => model(x, b, scratch), theta, 1e-6);
          expect(maxRelativeError(fd, grad), `x = ${x}`).toBeLessThan(1e-6);
        }
        // And the problem wraps them as ∂r/∂θ = −∂f/∂θ.
        const problem = nistProblem(data, model);
        const r = new Float64Array(problem.n);
        const jac = new Float64Array(problem.n * p);
        problem.residuals(theta, r, jac);
        const f0 = model(data.x[0]!, theta, grad);
        expect(r[0]).toBe(data.y[0]! - f0);
        expect(Array.from(jac.subarray(0, p))).toEqual(Array.from(grad, (g) => -g));
      });
    }
  }
});

describe("parseNist", () => {
  test("rejects a file whose header does not give the line spans", () => {
    expect(() => parseNist("X", "no header")).toThrow('no "Starting Values (lines a to b)"');
  });
  test("rejects a data line that is not two numbers", () => {
    const text = loadNistText().replace("10.07E0      77.6E0", "10.07E0      n/a");
    expect(() => parseNist("Misra1a", text)).toThrow('Misra1a.dat:61: expected "y x"');
  });
});

function loadNistText(): string {
  return readFileSync(new URL("../../fixtures/nist/Misra1a.dat", import.meta.url), "utf8");
}
