import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type { LeastSquaresProblem } from "../../../src/core/curve.js";
import { BiogradError, OptionError } from "../../../src/core/errors.js";
import { levenbergMarquardt } from "../../../src/nls/solvers/levenberg-marquardt.js";
import { nlsSummary } from "../../../src/nls/stats/summary.js";

/** Against R's summary(nls), vcov, logLik, AIC, BIC (fixtures/make_r_summaries.R). */
interface RCase {
  name: string;
  R: string;
  x: number[];
  y: number[];
  weights: number[] | null;
  start: Record<string, number>;
  estimates: number[];
  standardErrors: number[];
  tValues: number[];
  pValues: number[];
  sigma: number;
  df: number;
  rss: number;
  covariance: number[];
  correlation: number[];
  lower: number[];
  upper: number[];
  rSquared: number;
  logLik: number;
  aic: number;
  bic: number;
  nobs: number;
}

const cases: RCase[] = JSON.parse(
  readFileSync(new URL("./fixtures/r-summaries.json", import.meta.url), "utf8"),
);

type Curve = (x: number, b: Float64Array, g: Float64Array) => number;

const curves: Record<string, Curve> = {
  // Michaelis–Menten: Vm·x/(K + x)
  puromycin(x, b, g) {
    const d = b[1]! + x;
    g[0] = x / d;
    g[1] = (-b[0]! * x) / (d * d);
    return (b[0]! * x) / d;
  },
  // Logistic in log(x): Asym / (1 + exp((xmid − log x)/scal))
  dnase1(x, b, g) {
    const u = (b[1]! - Math.log(x)) / b[2]!;
    const e = Math.exp(u);
    const f = b[0]! / (1 + e);
    const df = (-b[0]! * e) / (1 + e) ** 2; // ∂f/∂u
    g[0] = 1 / (1 + e);
    g[1] = df / b[2]!;
    g[2] = (-df * u) / b[2]!;
    return f;
  },
};

/** r_i = √w_i·(y_i − f(x_i)), the weighted residuals R's nls uses. */
function weightedProblem(c: RCase, curve: Curve): LeastSquaresProblem {
  const p = c.estimates.length;
  const g = new Float64Array(p);
  return {
    n: c.x.length,
    p,
    residuals(b, r, jac) {
      for (let i = 0; i < c.x.length; i++) {
        const sw = Math.sqrt(c.weights?.[i] ?? 1);
        r[i] = sw * (c.y[i]! - curve(c.x[i]!, b, g));
        if (jac !== null) for (let j = 0; j < p; j++) jac[i * p + j] = -sw * g[j]!;
      }
    },
  };
}

/** |actual_k − expected_k| ≤ tol·scale_k (scale: |expected| by default). */
function closeArray(
  actual: ArrayLike<number> | null,
  expected: number[],
  tol: number,
  what: string,
  scale: number[] = expected.map(Math.abs),
) {
  expect(actual, what).not.toBeNull();
  for (let k = 0; k < expected.length; k++) {
    const e = expected[k]!;
    const err = Math.abs(actual![k]! - e) / scale[k]!;
    expect(err, `${what}[${k}]: ${actual![k]} vs R ${e}`).toBeLessThan(tol);
  }
}

describe.each(cases)("nlsSummary against R ($name)", (c) => {
  const curve = curves[c.name.replace("-weighted", "")]!;
  const fit = levenbergMarquardt(
    weightedProblem(c, curve),
    Float64Array.from(Object.values(c.start)),
  );
  const weights = c.weights === null ? null : Float64Array.from(c.weights);
  const s = nlsSummary({
    theta: fit.theta,
    residuals: fit.residuals,
    jacobian: fit.jacobian,
    names: Object.keys(c.start),
    weights,
    y: Float64Array.from(c.y),
  });

  // R's nls stops at a relative offset of 1e-7 (the fixture's setting), so its estimates are
  // the minimiser to about 1e-6 standard errors (4e-8 relative for Puromycin's K); the
  // comparisons of the estimates and intervals are scaled by the standard errors accordingly.
  test(`the fit reaches R's estimates (${c.R}, nls tol 1e-7)`, () => {
    expect(fit.converged).toBe(true);
    closeArray(fit.theta, c.estimates, 1e-6, "estimates", c.standardErrors);
    expect(s.names).toEqual(Object.keys(c.start));
    expect(s.warnings).toEqual([]);
  });

  test("n, df, RSS, residual standard error", () => {
    expect(s.n).toBe(c.nobs);
    expect(s.df).toBe(c.df);
    expect(Math.abs(s.rss - c.rss) / c.rss).toBeLessThan(1e-12);
    expect(Math.abs(s.sigma! - c.sigma) / c.sigma).toBeLessThan(1e-12);
  });

  test("standard errors, t values, p values, covariance, correlation, 95% intervals", () => {
    closeArray(s.standardErrors, c.standardErrors, 1e-6, "se");
    closeArray(s.tValues, c.tValues, 1e-6, "t");
    closeArray(s.pValues, c.pValues, 1e-5, "p");
    closeArray(s.covariance, c.covariance, 1e-6, "vcov");
    closeArray(s.correlation, c.correlation, 1e-6, "cor");
    closeArray(s.lower, c.lower, 1e-6, "lower", c.standardErrors);
    closeArray(s.upper, c.upper, 1e-6, "upper", c.standardErrors);
    expect(s.level).toBe(0.95);
  });

  test("logLik, AIC and BIC as R computes them (weights term, zero weights, p + 1)", () => {
    expect(s.logLik).toBeCloseTo(c.logLik, 10);
    expect(s.aic).toBeCloseTo(c.aic, 10);
    expect(s.bic).toBeCloseTo(c.bic, 10);
    expect(s.rSquared).toBeCloseTo(c.rSquared, 12);
  });
});

describe("nlsSummary basics", () => {
  const c = cases[0]!;
  const fit = levenbergMarquardt(weightedProblem(c, curves.puromycin!), Float64Array.of(200, 0.05));
  const base = { theta: fit.theta, residuals: fit.residuals, jacobian: fit.jacobian };

  test("weights of 1 are the unweighted summary; default names; narrower intervals at 90%", () => {
    const plain = nlsSummary(base);
    const ones = nlsSummary({ ...base, weights: new Float64Array(c.x.length).fill(1) });
    expect(ones.logLik).toBe(plain.logLik);
    expect(Array.from(ones.standardErrors!)).toEqual(Array.from(plain.standardErrors!));
    expect(plain.names).toEqual(["b1", "b2"]);
    expect(plain.rSquared).toBeNull();
    const ninety = nlsSummary(base, { level: 0.9 });
    expect(ninety.upper![0]! - ninety.lower![0]!).toBeLessThan(plain.upper![0]! - plain.lower![0]!);
    const cor = plain.correlation!;
    expect([cor[0], cor[3]]).toEqual([1, 1]);
    expect(cor[1]).toBe(cor[2]);
  });

  test("a repeated parameter (singular J): null standard errors and a rank-deficient warning", () => {
    // f = (a + b)·x: only a + b is identifiable.
    const x = [1, 2, 3, 4];
    const jac = Float64Array.from(x.flatMap((v) => [-v, -v]));
    const s = nlsSummary({
      theta: Float64Array.of(1, 1),
      residuals: Float64Array.of(0.1, -0.1, 0.2, 0),
      jacobian: jac,
    });
    expect(s.standardErrors).toBeNull();
    expect(s.covariance).toBeNull();
    expect(s.pValues).toBeNull();
    expect(s.rank).toBe(1);
    expect(s.sigma).toBeCloseTo(Math.sqrt(0.06 / 2), 14);
    expect(s.warnings.map((w) => w.code)).toEqual(["rank-deficient"]);
    expect(s.warnings[0]!.message).toContain("not identifiable");
  });

  test("a parameter with a zero Jacobian column is named", () => {
    const jac = Float64Array.of(-1, 0, -2, 0, -3, 0);
    const s = nlsSummary({
      theta: Float64Array.of(1, 5),
      residuals: Float64Array.of(0.1, -0.2, 0.1),
      jacobian: jac,
      names: ["Vmax", "Km"],
    });
    expect(s.standardErrors).toBeNull();
    expect(s.warnings[0]!.message).toMatchInlineSnapshot(
      `"the Jacobian column of "Km" is zero (the fit does not depend on it at these values): no standard errors"`,
    );
  });

  test("nearly collinear columns: numbers plus an ill-conditioned warning", () => {
    const x = [1, 2, 3, 4, 5];
    const jac = Float64Array.from(x.flatMap((v) => [-v, -v * (1 + 1e-10 * v)]));
    const s = nlsSummary({
      theta: Float64Array.of(1, 1),
      residuals: Float64Array.of(0.1, -0.1, 0.2, 0, -0.1),
      jacobian: jac,
    });
    expect(s.standardErrors).not.toBeNull();
    expect(s.conditionNumber).toBeGreaterThan(1e8);
    expect(s.warnings.map((w) => w.code)).toEqual(["ill-conditioned"]);
  });

  test("non-finite input: no standard errors, a non-finite warning naming what", () => {
    const s = nlsSummary({
      ...base,
      jacobian: base.jacobian.map((v, i) => (i === 3 ? Number.NaN : v)),
    });
    expect(s.standardErrors).toBeNull();
    expect(s.sigma).toBeNull();
    expect(s.warnings).toEqual([
      { code: "non-finite", message: "the Jacobian contains NaN or Infinity: no standard errors" },
    ]);
  });

  test("n <= p: no residual degrees of freedom", () => {
    const s = nlsSummary({
      theta: Float64Array.of(1, 2),
      residuals: Float64Array.of(0, 0),
      jacobian: Float64Array.of(1, 0, 0, 1),
    });
    expect(s.df).toBe(0);
    expect(s.sigma).toBeNull();
    expect(s.standardErrors).toBeNull();
    expect(s.warnings.map((w) => w.code)).toEqual(["no-residual-df"]);
    // Zero weights reduce n: 3 rows, one weighted 0, 2 parameters → df 0.
    const z = nlsSummary({
      theta: Float64Array.of(1, 2),
      residuals: Float64Array.of(0.1, 0, 0.2),
      jacobian: Float64Array.of(1, 0, 0, 0, 0, 1),
      weights: Float64Array.of(1, 0, 2),
    });
    expect(z.n).toBe(2);
    expect(z.warnings.map((w) => w.code)).toEqual(["no-residual-df"]);
  });

  test("a perfect fit: zero standard errors, a zero-residual warning, logLik +∞", () => {
    const s = nlsSummary({
      theta: Float64Array.of(1),
      residuals: Float64Array.of(0, 0, 0),
      jacobian: Float64Array.of(1, 2, 3),
    });
    expect(Array.from(s.standardErrors!)).toEqual([0]);
    expect(s.logLik).toBe(Number.POSITIVE_INFINITY);
    expect(s.warnings.map((w) => w.code)).toEqual(["zero-residual"]);
  });

  test("shape, weight and option errors", () => {
    expect(() =>
      nlsSummary({ ...base, jacobian: new Float64Array(3) }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: nlsSummary: jacobian has 3 entries, expected m·p = 12·2 = 24]`,
    );
    expect(() => nlsSummary({ ...base, names: ["a"] })).toThrow(BiogradError);
    expect(() =>
      nlsSummary({ ...base, weights: new Float64Array(12).fill(-1) }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: nlsSummary: weights[0] must be a finite number >= 0, got -1]`,
    );
    expect(() => nlsSummary(base, { level: 95 })).toThrow(OptionError);
    expect(() => nlsSummary(base, { level: 95 })).toThrow(
      "nlsSummary: level must be a number in (0, 1), got 95",
    );
    expect(() => nlsSummary(base, { confidence: 0.9 } as never)).toThrow(
      'unknown option "confidence"',
    );
  });
});
