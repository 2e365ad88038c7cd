import { describe, expect, test } from "vitest";
import type { LeastSquaresProblem } from "../../../src/core/curve.js";
import { BiogradError, OptionError } from "../../../src/core/errors.js";
import { levenbergMarquardt } from "../../../src/nls/solvers/levenberg-marquardt.js";
import { loadNist, NIST_MODELS, nistProblem } from "../../helpers/nist.js";

/** r(θ) = y − X·θ for a row-major design X (n×p). */
function linearProblem(X: number[][], y: number[]): LeastSquaresProblem {
  const n = X.length;
  const p = X[0]!.length;
  return {
    n,
    p,
    residuals(theta, r, jac) {
      for (let i = 0; i < n; i++) {
        let f = 0;
        for (let j = 0; j < p; j++) {
          f += X[i]![j]! * theta[j]!;
          if (jac !== null) jac[i * p + j] = -X[i]![j]!;
        }
        r[i] = y[i]! - f;
      }
    },
  };
}

describe("levenbergMarquardt on linear problems", () => {
  // Quadratic in x = −2..2 plus c·(1, −4, 6, −4, 1): the fourth difference is orthogonal to
  // 1, x and x², so the least-squares solution is exactly β* and the RSS exactly 70·c².
  const xs = [-2, -1, 0, 1, 2];
  const X = xs.map((x) => [1, x, x * x]);
  const beta = [1.5, -2, 0.25];
  const c = 0.3;
  const e = [1, -4, 6, -4, 1].map((v) => c * v);
  const y = xs.map((x, i) => beta[0]! + beta[1]! * x + beta[2]! * x * x + e[i]!);

  test("equals the least-squares solution", () => {
    const res = levenbergMarquardt(linearProblem(X, y), Float64Array.of(10, 10, 10));
    expect(res.converged).toBe(true);
    for (let j = 0; j < 3; j++) expect(res.theta[j]).toBeCloseTo(beta[j]!, 13);
    expect(res.rss).toBeCloseTo(70 * c * c, 12);
    // Gauss–Newton solves a linear problem in one step once the radius allows it.
    expect(res.iterations).toBeLessThanOrEqual(6);
  });

  test("a rank-deficient design (a repeated column) still reaches the minimum RSS", () => {
    const Xd = X.map((row) => [row[0]!, row[1]!, row[1]!, row[2]!]);
    const res = levenbergMarquardt(linearProblem(Xd, y), Float64Array.of(0, 0, 0, 0));
    expect(res.converged).toBe(true);
    expect(res.rss).toBeCloseTo(70 * c * c, 10);
    expect(res.theta[1]! + res.theta[2]!).toBeCloseTo(beta[1]!, 10);
    expect(Array.from(res.theta).every(Number.isFinite)).toBe(true);
  });

  test("fewer residuals than parameters: an exact fit, every θ finite", () => {
    const res = levenbergMarquardt(
      linearProblem(
        [
          [1, 1, 0],
          [0, 1, 1],
        ],
        [1, 2],
      ),
      Float64Array.of(0, 0, 0),
    );
    expect(res.converged).toBe(true);
    expect(res.rss).toBeLessThan(1e-25);
    expect(Array.from(res.theta).every(Number.isFinite)).toBe(true);
  });

  test("an exact fit stops on a zero or rounding-level RSS, converged", () => {
    const yExact = xs.map((x) => beta[0]! + beta[1]! * x + beta[2]! * x * x);
    const res = levenbergMarquardt(linearProblem(X, yExact), Float64Array.of(0, 0, 0));
    expect(res.converged).toBe(true);
    expect(res.rss).toBeLessThan(1e-25);
  });
});

describe("levenbergMarquardt results", () => {
  const data = loadNist("Misra1a");

  test("returns r and J at θ, counts evaluations, reports each accepted step", () => {
    const problem = nistProblem(data, NIST_MODELS.Misra1a);
    const rss: number[] = [];
    const res = levenbergMarquardt(problem, Float64Array.of(500, 1e-4), {
      onIteration: (info) => rss.push(info.rss),
    });
    expect(res.converged).toBe(true);
    expect(rss.length).toBe(res.iterations);
    for (let k = 1; k < rss.length; k++) expect(rss[k]!).toBeLessThan(rss[k - 1]!);
    expect(res.rss).toBe(rss[rss.length - 1]);
    expect(res.startRss).toBeGreaterThan(res.rss);
    expect(problem.evaluations).toBe(res.evaluations + res.jacobianEvaluations - 1);
    const r = new Float64Array(problem.n);
    const J = new Float64Array(problem.n * problem.p);
    problem.residuals(res.theta, r, J);
    expect(Array.from(res.residuals)).toEqual(Array.from(r));
    expect(Array.from(res.jacobian)).toEqual(Array.from(J));
    expect(res.rss).toBe(r.reduce((s, v) => s + v * v, 0));
  });

  test("stops at maxIterations and maxEvaluations, not converged", () => {
    const mgh = loadNist("MGH09");
    const start = Float64Array.from(mgh.params.map((q) => q.start1));
    const it = levenbergMarquardt(nistProblem(mgh, NIST_MODELS.MGH09), start, { maxIterations: 5 });
    expect(it.stopCode).toBe("max-iterations");
    expect(it.converged).toBe(false);
    expect(it.iterations).toBe(5);
    const ev = levenbergMarquardt(nistProblem(mgh, NIST_MODELS.MGH09), start, {
      maxEvaluations: 7,
    });
    expect(ev.stopCode).toBe("max-evaluations");
    expect(ev.evaluations).toBe(7);
    expect(ev.converged).toBe(false);
  });

  test("tolerances of 0 end in no-progress (not converged) at the same minimum", () => {
    const res = levenbergMarquardt(
      nistProblem(data, NIST_MODELS.Misra1a),
      Float64Array.of(500, 1e-4),
      {
        ftol: 0,
        xtol: 0,
        gtol: 0,
      },
    );
    expect(res.stopCode).toBe("no-progress");
    expect(res.converged).toBe(false);
    expect(res.theta[0]).toBeCloseTo(238.94212918, 6);
  });

  test("the stop reason names the measured quantity", () => {
    const res = levenbergMarquardt(
      nistProblem(data, NIST_MODELS.Misra1a),
      Float64Array.of(500, 1e-4),
    );
    expect(res.stopCode).toBe("ftol");
    expect(res.stopReason).toMatch(/^relative RSS reduction \S+ <= ftol/);
  });

  test('scaling "none" (D = I) also solves Misra1a from Start 2', () => {
    const res = levenbergMarquardt(
      nistProblem(data, NIST_MODELS.Misra1a),
      Float64Array.of(250, 5e-4),
      {
        scaling: "none",
      },
    );
    expect(res.converged).toBe(true);
    expect(res.theta[0]).toBeCloseTo(238.94212918, 5);
  });

  test("the start is not modified", () => {
    const start = Float64Array.of(500, 1e-4);
    levenbergMarquardt(nistProblem(data, NIST_MODELS.Misra1a), start);
    expect(Array.from(start)).toEqual([500, 1e-4]);
  });
});

describe("non-finite residuals", () => {
  // r = y − a·√(x − c): NaN for c > x_min. The minimum is at c = 0.5, close to the NaN region;
  // the large first steps of initialStepBound 100 land in it.
  const xs = [1, 2, 3, 4, 6, 9];
  const a0 = 2;
  const c0 = 0.5;
  const ys = xs.map((x, i) => a0 * Math.sqrt(x - c0) + (i % 2 === 0 ? 0.01 : -0.01));
  let nanCalls = 0;
  const problem: LeastSquaresProblem = {
    n: xs.length,
    p: 2,
    residuals(theta, r, jac) {
      const [a, c] = [theta[0]!, theta[1]!];
      for (let i = 0; i < xs.length; i++) {
        const s = Math.sqrt(xs[i]! - c);
        r[i] = ys[i]! - a * s;
        if (jac !== null) {
          jac[i * 2] = -s;
          jac[i * 2 + 1] = a / (2 * s);
        }
      }
      if (!Number.isFinite(r[0]!)) nanCalls++;
    },
  };

  test("a trial point with NaN residuals is a failed step: the radius shrinks, θ stays finite", () => {
    nanCalls = 0;
    const res = levenbergMarquardt(problem, Float64Array.of(0.1, -5), { initialStepBound: 100 });
    expect(nanCalls).toBeGreaterThan(0);
    expect(res.converged).toBe(true);
    expect(Array.from(res.theta).every(Number.isFinite)).toBe(true);
    expect(res.theta[0]).toBeCloseTo(a0, 1);
    expect(res.theta[1]).toBeCloseTo(c0, 1);
    expect(Number.isFinite(res.rss)).toBe(true);
  });

  test("non-finite residuals at the start: stop code non-finite-start, no iteration", () => {
    const res = levenbergMarquardt(problem, Float64Array.of(1, 5));
    expect(res.stopCode).toBe("non-finite-start");
    expect(res.converged).toBe(false);
    expect(res.iterations).toBe(0);
    expect(Array.from(res.theta)).toEqual([1, 5]);
    expect(res.stopReason).toMatchInlineSnapshot(
      `"the residuals at the starting point are not all finite"`,
    );
  });

  test("a non-finite Jacobian at the start is reported as such", () => {
    const bad: LeastSquaresProblem = {
      n: 2,
      p: 1,
      residuals(theta, r, jac) {
        r[0] = 1 - theta[0]!;
        r[1] = 2 - theta[0]!;
        if (jac !== null) jac.fill(Number.NaN);
      },
    };
    const res = levenbergMarquardt(bad, Float64Array.of(0));
    expect(res.stopCode).toBe("non-finite-start");
    expect(res.stopReason).toMatchInlineSnapshot(
      `"the Jacobian at the starting point has non-finite entries"`,
    );
  });

  test("a Jacobian that turns non-finite at an accepted point stops the run", () => {
    const bad: LeastSquaresProblem = {
      n: 2,
      p: 1,
      residuals(theta, r, jac) {
        r[0] = 1 - theta[0]!;
        r[1] = 3 - theta[0]!;
        if (jac !== null) jac.fill(theta[0] === 0 ? -1 : Number.POSITIVE_INFINITY);
      },
    };
    const res = levenbergMarquardt(bad, Float64Array.of(0));
    expect(res.stopCode).toBe("non-finite-jacobian");
    expect(res.converged).toBe(false);
    expect(res.theta[0]).toBeGreaterThan(0);
    expect(res.rss).toBeLessThan(res.startRss);
  });
});

describe("options and inputs", () => {
  const problem = nistProblem(loadNist("Misra1a"), NIST_MODELS.Misra1a);
  const start = Float64Array.of(500, 1e-4);

  test("unknown options are rejected by name", () => {
    const call = () => levenbergMarquardt(problem, start, { fTol: 1e-8 } as never);
    expect(call).toThrow(BiogradError);
    expect(call).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: levenbergMarquardt: unknown option "fTol" (known options: ftol, xtol, gtol, maxIterations, maxEvaluations, initialStepBound, scaling, onIteration)]`,
    );
  });

  test.each([
    [{ ftol: -1 }, "levenbergMarquardt: ftol must be a finite number >= 0, got -1"],
    [{ xtol: Number.NaN }, "levenbergMarquardt: xtol must be a finite number >= 0, got NaN"],
    [{ maxIterations: 1.5 }, "levenbergMarquardt: maxIterations must be an integer >= 1, got 1.5"],
    [{ maxEvaluations: 0 }, "levenbergMarquardt: maxEvaluations must be an integer >= 1, got 0"],
    [
      { initialStepBound: 0 },
      "levenbergMarquardt: initialStepBound must be a finite number > 0, got 0",
    ],
    [
      { scaling: "unit" },
      'levenbergMarquardt: scaling must be one of "jacobian", "none", got "unit"',
    ],
    [{ onIteration: 3 }, "levenbergMarquardt: onIteration must be a function, got 3"],
  ])("%j is rejected", (options, message) => {
    const call = () => levenbergMarquardt(problem, start, options as never);
    expect(call).toThrow(OptionError);
    expect(call).toThrow(message);
  });

  test("a start of the wrong length or with non-finite entries is rejected", () => {
    expect(() =>
      levenbergMarquardt(problem, Float64Array.of(1)),
    ).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: levenbergMarquardt: start has 1 entries, the problem has p=2 parameters]`,
    );
    expect(() => levenbergMarquardt(problem, Float64Array.of(1, Number.NaN))).toThrow(
      "start must be all finite numbers",
    );
  });
});
