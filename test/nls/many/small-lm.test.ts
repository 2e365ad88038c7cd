import { describe, expect, it } from "vitest";
import type { LeastSquaresProblem } from "../../../src/core/curve.js";
import { findModel } from "../../../src/nls/library/index.js";
import { CurveRows } from "../../../src/nls/many/curve-rows.js";
import { curvatureFor, kernelFor } from "../../../src/nls/many/kernels.js";
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

/** max_j |cos(r, J_j)|: MINPACK's gtol measure. */
function gradientCosine(r: Float64Array, jac: Float64Array, n: number, p: number): number {
  let rr = 0;
  for (let i = 0; i < n; i++) rr += r[i]! * r[i]!;
  let worst = 0;
  for (let j = 0; j < p; j++) {
    let g = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      g += jac[i * p + j]! * r[i]!;
      c += jac[i * p + j]! ** 2;
    }
    worst = Math.max(worst, Math.abs(g) / Math.sqrt(c * rr));
  }
  return worst;
}

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

  it("evaluates every trial once, with its Jacobian (no second evaluation of an accepted point)", () => {
    let calls = 0;
    let withoutJacobian = 0;
    const counted: LeastSquaresProblem = {
      n: 2,
      p: 2,
      residuals(t, r, jac) {
        calls++;
        if (jac === null) withoutJacobian++;
        rosenbrock.residuals(t, r, jac);
      },
    };
    const small = new SmallLm(4, 2).solve(counted, Float64Array.from([-1.2, 1]), options);
    expect(small.converged).toBe(true);
    expect(small.iterations).toBeGreaterThan(5);
    expect(calls).toBe(small.evaluations);
    expect(withoutJacobian).toBe(0);
  });

  it("stops on a model that promises ≤ ftol without evaluating its step; Newton's lands on the optimum", () => {
    // A 4PL with its curvature kernel: Newton's model, quadratic convergence.
    const model = findModel("4pl")!;
    const curve = { params: model.params, variables: model.variables, evaluate: kernelFor("4pl")! };
    const rows = new CurveRows(
      curve,
      32,
      Int32Array.from([0, 1, 2, 3]),
      new Uint8Array(4),
      new Float64Array(4),
    );
    rows.curvatureKernel = curvatureFor("4pl");
    const x = Float64Array.from({ length: 16 }, (_, i) => -9 + 0.25 * i);
    const y = Float64Array.from(
      x,
      (v, i) => 3 + 95 / (1 + 10 ** ((-7 - v) * -1.3)) + 4 * Math.sin(5 * i),
    );
    rows.load([x], y, null, 0, 16);
    const phi = new Float64Array(4);
    rows.toInternal(Float64Array.from([0, 100, -6.8, -1]), phi);
    let calls = 0;
    const counted = {
      n: rows.n,
      p: 4,
      residuals: (t: Float64Array, r: Float64Array, j: Float64Array | null) => {
        calls++;
        rows.residuals(t, r, j);
      },
      curvature: (t: Float64Array, r: Float64Array, out: Float64Array) => rows.curvature(t, r, out),
    };
    const run = new SmallLm(32, 4).solve(counted, phi, options);
    expect(run.stopCode).toBe("ftol");
    expect(calls).toBe(run.evaluations);
    // Where it stopped the gradient vanishes to rounding: cos(r, J_j) far below gtol (the
    // point before the unevaluated step, where a confirming evaluation would have stopped,
    // has ~1e-10), and the RSS reported is the one evaluated there to 1e-14.
    const r = new Float64Array(rows.n);
    const jac = new Float64Array(rows.n * 4);
    rows.residuals(run.theta, r, jac);
    let rss = 0;
    for (let i = 0; i < rows.n; i++) rss += r[i]! * r[i]!;
    expect(Math.abs(run.rss - rss)).toBeLessThanOrEqual(1e-14 * rss);
    expect(gradientCosine(r, jac, rows.n, 4)).toBeLessThan(1e-13);
  });

  it("reports a non-finite start without stepping", () => {
    const problem = polynomial([1, 2, 3], [1, 2, Number.NaN], [0, 1]);
    const small = new SmallLm(4, 2).solve(problem, Float64Array.from([0, 1]), options);
    expect(small.stopCode).toBe("non-finite-start");
    expect(small.converged).toBe(false);
  });

  // J's finiteness is read from JᵀJ's diagonal, with a scan where that is not finite: a
  // non-finite entry must stop the run as a scan of J would, and finite entries whose squares
  // overflow must not.
  /** r_i = y_i − θ·x_i with ∂r_i/∂θ = `slope(θ, i)`. */
  const line = (x: number[], y: number[], slope: (t: number, i: number) => number) => ({
    n: x.length,
    p: 1,
    residuals(t: Float64Array, r: Float64Array, jac: Float64Array | null) {
      for (let i = 0; i < x.length; i++) {
        r[i] = y[i]! - t[0]! * x[i]!;
        if (jac) jac[i] = slope(t[0]!, i);
      }
    },
  });

  it("reports a non-finite Jacobian at the start, with finite residuals", () => {
    const problem = line([1, 2, 3], [1, 2, 3], (_, i) => (i === 1 ? Number.NaN : -1));
    const run = new SmallLm(4, 1).solve(problem, Float64Array.of(0.5), options);
    expect(run.stopCode).toBe("non-finite-start");
    expect(run.iterations).toBe(0);
  });

  it("reports a Jacobian that turns non-finite at an accepted point", () => {
    const x = [1, 2, 3];
    const problem = line(x, [2, 4, 6], (t, i) => (t > 1 ? Number.POSITIVE_INFINITY : -x[i]!));
    const run = new SmallLm(4, 1).solve(problem, Float64Array.of(0.5), options);
    expect(run.stopCode).toBe("non-finite-jacobian");
    expect(run.iterations).toBeGreaterThan(0);
    expect(run.converged).toBe(false);
  });

  it("does not take finite entries whose squares overflow for non-finite ones", () => {
    // Σ J² = Inf with every entry finite: the scaled gradient g/‖J‖ is 0, a gtol stop (as
    // before the diagonal check), not a non-finite Jacobian.
    const problem = line([1, 2, 3], [1, 2, 3], () => -1e160);
    const run = new SmallLm(4, 1).solve(problem, Float64Array.of(0.5), options);
    expect(run.stopCode).toBe("gtol");
  });
});
