import { describe, expect, it } from "vitest";
import type { CurveFunction } from "../../../src/core/curve.js";
import { compileFormula } from "../../../src/formula/compile.js";
import { kernelFor } from "../../../src/nls/many/kernels.js";
import { DistinctX } from "../../../src/nls/quality/distinct-x.js";

const formula = "bottom + (top - bottom) / (1 + 10^((logEC50 - x) * hill))";
const params = ["bottom", "top", "logEC50", "hill"];
const compiled = compileFormula(formula, { params, variables: ["x"], constants: {} });
const kernel: CurveFunction = { ...compiled, evaluate: kernelFor("4pl")! };

let seed = 11;
const rand = () => {
  seed = (seed * 16807) % 2147483647;
  return seed / 2147483647;
};

/** Whether two arrays hold the same bits over their first n entries (Object.is). */
function sameBits(a: Float64Array, b: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** f and J by DistinctX and by the curve row by row; both NaN-filled first. */
function both(curve: CurveFunction, theta: Float64Array, x: Float64Array, jac: boolean) {
  const n = x.length;
  const d = new DistinctX(64, 4);
  const out = {
    f: new Float64Array(n).fill(Number.NaN),
    j: new Float64Array(4 * n).fill(Number.NaN),
  };
  const ref = {
    f: new Float64Array(n).fill(Number.NaN),
    j: new Float64Array(4 * n).fill(Number.NaN),
  };
  d.evaluate(curve, theta, [x], n, out.f, jac ? out.j : null);
  curve.evaluate(theta, [x], n, ref.f, jac ? ref.j : null);
  return { out, ref };
}

// The report's Jacobian and the outlier test's residuals are evaluated once per distinct x;
// they must be the row-by-row values bit for bit, or standard errors and flags would move.
describe("DistinctX", () => {
  const layouts: Record<string, () => number[]> = {
    "triplicates in order": () =>
      [-9, -8.5, -8, -7.5, -7, -6.5, -6, -5.5].flatMap((v) => [v, v, v]),
    "replicates shuffled": () =>
      [-9, -8, -7, -6, -5]
        .flatMap((v) => [v, v, v, v])
        .map((v) => ({ v, k: rand() }))
        .sort((a, b) => a.k - b.k)
        .map((e) => e.v),
    "no repeats": () => Array.from({ length: 12 }, (_, i) => -9 + i * 0.37),
    "zero and minus zero": () => [0, -0, 0, -0, 1, 1, -1, -1],
    "many distinct with repeats": () =>
      Array.from({ length: 60 }, (_, i) => Math.floor(i / 1.5) * 0.1 - 3),
  };
  for (const [name, layout] of Object.entries(layouts)) {
    for (const [which, curve] of [
      ["compiled", compiled],
      ["kernel", kernel],
    ] as const) {
      it(`gives the row-by-row bits: ${name}, ${which}`, () => {
        const x = Float64Array.from(layout());
        for (let trial = 0; trial < 20; trial++) {
          const theta = Float64Array.from([
            rand() * 20 - 10,
            80 + rand() * 40,
            -7 - rand(),
            (rand() - 0.5) * 6,
          ]);
          for (const jac of [false, true]) {
            const { out, ref } = both(curve, theta, x, jac);
            expect(sameBits(out.f, ref.f, x.length), `f, trial ${trial}`).toBe(true);
            if (jac) expect(sameBits(out.j, ref.j, 4 * x.length), `J, trial ${trial}`).toBe(true);
          }
        }
      });
    }
  }

  it("evaluates each distinct x once when x repeats, every row when it does not", () => {
    const seen: number[] = [];
    const counting: CurveFunction = {
      ...compiled,
      evaluate(theta, columns, n, f, jac) {
        seen.push(n);
        compiled.evaluate(theta, columns, n, f, jac);
      },
    };
    const theta = Float64Array.from([0, 100, -7, -1]);
    both(counting, theta, Float64Array.from(layouts["triplicates in order"]!()), true);
    both(counting, theta, Float64Array.from(layouts["no repeats"]!()), true);
    // Each `both` call runs DistinctX, then the curve row by row.
    expect(seen).toEqual([8, 24, 12, 12]);
  });

  it("evaluates a curve of two variables row by row", () => {
    const two = compileFormula("a * x + b * z", {
      params: ["a", "b"],
      variables: ["x", "z"],
      constants: {},
    });
    const d = new DistinctX(16, 2);
    const x = Float64Array.from([1, 1, 1, 2]);
    const z = Float64Array.from([1, 2, 3, 4]);
    const f = new Float64Array(4);
    d.evaluate(two, Float64Array.from([2, 10]), [x, z], 4, f, null);
    expect(Array.from(f)).toEqual([12, 22, 32, 44]);
  });
});
