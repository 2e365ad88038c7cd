import { expect, it } from "vitest";
import type { LeastSquaresProblem } from "../../../src/core/curve.js";
import {
  createLmSolver,
  levenbergMarquardt,
  resolveLmOptions,
} from "../../../src/nls/solvers/index.js";

/** Exponential decay y = a·e^(−k·t) on fixed data: a small problem with a known optimum. */
function decay(y: number[]): LeastSquaresProblem {
  const t = [0, 1, 2, 3, 4, 5, 6];
  return {
    n: t.length,
    p: 2,
    residuals(theta, r, jac) {
      for (let i = 0; i < t.length; i++) {
        const e = Math.exp(-theta[1]! * t[i]!);
        r[i] = y[i]! - theta[0]! * e;
        if (jac) {
          jac[2 * i] = -e;
          jac[2 * i + 1] = theta[0]! * t[i]! * e;
        }
      }
    },
  };
}

it("a reused solver gives levenbergMarquardt's result on each problem in turn", () => {
  const problems = [
    decay([10.1, 6.0, 3.7, 2.2, 1.4, 0.8, 0.5]),
    decay([5.2, 4.1, 3.4, 2.7, 2.1, 1.8, 1.4]),
    decay([10.1, 6.0, 3.7, 2.2, 1.4, 0.8, 0.5]),
  ];
  const solver = createLmSolver(7, 2);
  const opts = resolveLmOptions(undefined);
  for (const problem of problems) {
    const start = Float64Array.from([1, 0.1]);
    const ref = levenbergMarquardt(problem, start);
    const got = solver.solve(problem, start, opts);
    expect(Array.from(got.theta)).toEqual(Array.from(ref.theta));
    expect([got.rss, got.iterations, got.evaluations, got.stopCode]).toEqual([
      ref.rss,
      ref.iterations,
      ref.evaluations,
      ref.stopCode,
    ]);
    expect(start).toEqual(Float64Array.from([1, 0.1])); // the start is not written to
  }
});
