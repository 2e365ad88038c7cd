import { describe, expect, it } from "vitest";
import type { LeastSquaresProblem } from "../../../src/core/curve.js";
import { SmallLm } from "../../../src/nls/many/small-lm.js";
import { levenbergMarquardt } from "../../../src/nls/solvers/levenberg-marquardt.js";
import { resolveLmOptions } from "../../../src/nls/solvers/lm-options.js";

/** r_i = y_i − Σ_k θ_k·x_i^powers[k]: linear least squares, closed form by the library solver. */
function polynomial(x: number[], y: number[], powers: number[]): LeastSquaresProblem {
  return {
    n: x.length,
    p: powers.length,
    residuals(theta, r, jac) {
      for (let i = 0; i < x.length; i++) {
        let f = 0;
        for (let k = 0; k < powers.length; k++) {
          const b = x[i]! ** powers[k]!;
          f += theta[k]! * b;
          if (jac) jac[i * powers.length + k] = -b;
        }
        r[i] = y[i]! - f;
      }
    },
  };
}

/** Rosenbrock as least squares: r = (10(θ1 − θ0²), 1 − θ0); minimum (1, 1), RSS 0. */
const rosenbrock: LeastSquaresProblem = {
  n: 2,
  p: 2,
  residuals(t, r, jac) {
    r[0] = 10 * (t[1]! - t[0]! * t[0]!);
    r[1] = 1 - t[0]!;
    if (jac) {
      jac[0] = -20 * t[0]!;
      jac[1] = 10;
      jac[2] = -1;
      jac[3] = 0;
    }
  },
};

const options = resolveLmOptions({});

describe("SmallLm (normal equations, Cholesky)", () => {
  it("solves a linear least-squares problem as the library solver does (1e-12)", () => {
    const x = [0.1, 0.4, 0.9, 1.3, 2, 2.2, 3.1, 4];
    const y = x.map((v, i) => 2 - 1.5 * v + 0.25 * v * v + 0.01 * Math.sin(7 * i));
    const problem = polynomial(x, y, [0, 1, 2]);
    const lib = levenbergMarquardt(problem, Float64Array.from([1, 1, 1]));
    const small = new SmallLm(16, 3).solve(problem, Float64Array.from([1, 1, 1]), options);
    expect(small.solved).toBe(true);
    expect(small.converged).toBe(true);
    expect(Math.abs(small.rss - lib.rss) / lib.rss).toBeLessThan(1e-12);
    for (let k = 0; k < 3; k++) expect(small.theta[k]!).toBeCloseTo(lib.theta[k]!, 10);
  });

  it("takes damped steps from a far start and reaches Rosenbrock's minimum", () => {
    const small = new SmallLm(4, 2).solve(rosenbrock, Float64Array.from([-1.2, 1]), options);
    expect(small.solved).toBe(true);
    expect(small.converged).toBe(true);
    expect(small.theta[0]!).toBeCloseTo(1, 8);
    expect(small.theta[1]!).toBeCloseTo(1, 8);
    const lib = levenbergMarquardt(rosenbrock, Float64Array.from([-1.2, 1]));
    // The same algorithm: the same number of steps within one or two (rounding of the steps).
    expect(Math.abs(small.iterations - lib.iterations)).toBeLessThanOrEqual(2);
  });

  it("gives up (solved = false) on a rank-deficient Jacobian, where the library solver copes", () => {
    const x = [1, 2, 3, 4, 5, 6];
    const problem = polynomial(x, [1, 3, 2, 5, 4, 6], [1, 1]); // two identical columns
    const small = new SmallLm(8, 2).solve(problem, Float64Array.from([0.5, 0.5]), options);
    expect(small.solved).toBe(false);
    expect(levenbergMarquardt(problem, Float64Array.from([0.5, 0.5])).converged).toBe(true);
  });

  it("reports a non-finite start without stepping", () => {
    const problem = polynomial([1, 2, 3], [1, 2, Number.NaN], [0, 1]);
    const small = new SmallLm(4, 2).solve(problem, Float64Array.from([0, 1]), options);
    expect(small.stopCode).toBe("non-finite-start");
    expect(small.converged).toBe(false);
  });
});
