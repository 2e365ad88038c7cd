import type { CurveFunction } from "../../core/curve.js";
import { BiogradError } from "../../core/errors.js";
import { type Checker, checkOptions } from "../../core/options.js";
import type { CurveFit } from "../fit-curve.js";
import { studentTQuantile } from "./student-t.js";

/**
 * Confidence and prediction bands of a fitted curve at new x, by the delta method (as
 * GraphPad Prism and lmfit's eval_uncertainty; Seber & Wild 1989, §5.1):
 *
 *   ŷ(x) = f(x; θ̂),   g = ∂f/∂θ at (x, θ̂) over the free parameters
 *   se_fit(x) = √(g·Cov(θ̂)·gᵀ),   Cov(θ̂) = s²(JᵀJ)⁻¹ (the fit's covariance)
 *   confidence: ŷ ± t·se_fit                  (where the true curve lies)
 *   prediction: ŷ ± t·√(s²/w + se_fit²)       (where a new observation of weight w lies)
 *
 * t = t_(df, (1+level)/2), df = n − p the fit's residual degrees of freedom. The band is as
 * good as the linearisation of f in θ around θ̂; profile-based bands are not attempted.
 */

/** The pieces of a fitted model the bands need (`bandModel` builds them from a CurveFit). */
export interface BandModel {
  readonly curve: CurveFunction;
  /** θ̂ for every parameter of the curve (fixed ones at their value). */
  readonly theta: Float64Array;
  /** Indices in θ of the free parameters, in the order of `covariance`'s rows. */
  readonly free: readonly number[];
  /** Cov(θ̂) of the free parameters, row-major, free.length². */
  readonly covariance: Float64Array;
  /** Residual standard error s. */
  readonly sigma: number;
  /** Residual degrees of freedom n − p. */
  readonly df: number;
}

export interface BandOptions {
  /** Confidence level in (0, 1). Default 0.95. */
  level?: number;
  /** Weight of a new observation at each x (prediction band variance s²/w). Default 1. */
  weights?: Float64Array | null;
}

export interface Band {
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly halfWidth: Float64Array;
}

export interface CurveBands {
  readonly level: number;
  readonly tQuantile: number;
  /** ŷ at each new x. */
  readonly fitted: Float64Array;
  /** Standard error of ŷ (the curve, not a new observation). */
  readonly seFit: Float64Array;
  readonly confidence: Band;
  readonly prediction: Band;
}

/** The band model of a fit; an error saying why when the fit has no covariance. */
export function bandModel(curve: CurveFunction, fit: CurveFit): BandModel {
  const s = fit.summary;
  if (s.covariance === null || s.sigma === null) {
    const why = fit.warnings.map((w) => w.message).join("; ");
    throw new BiogradError(
      "bad_input",
      `no confidence or prediction band: the fit has no covariance (${why || "no standard errors"})`,
    );
  }
  return {
    curve,
    theta: fit.theta,
    free: s.names.map((name) => fit.names.indexOf(name)),
    covariance: s.covariance,
    sigma: s.sigma,
    df: s.df,
  };
}

const level: Checker = (v) =>
  typeof v === "number" && v > 0 && v < 1 ? null : "a number in (0, 1)";
const weights: Checker = (v) =>
  v === null || v instanceof Float64Array ? null : "a Float64Array or null";

/** Bands at the rows of `columns` (the curve's variables, in its order). */
export function curveBands(
  model: BandModel,
  columns: readonly Float64Array[],
  options: BandOptions = {},
): CurveBands {
  checkOptions("curveBands", options, { level, weights });
  const conf = options.level ?? 0.95;
  const { curve, theta, free, covariance, sigma, df } = model;
  const p = curve.params.length;
  const q = free.length;
  if (columns.length !== curve.variables.length) {
    throw new BiogradError(
      "shape_mismatch",
      `curveBands: the curve takes ${curve.variables.length} column(s), got ${columns.length}`,
    );
  }
  if (covariance.length !== q * q) {
    throw new BiogradError(
      "shape_mismatch",
      `curveBands: covariance has ${covariance.length} entries, expected ${q}² for the free parameters`,
    );
  }
  const m = columns[0]?.length ?? 0;
  const w = options.weights ?? null;
  if (w !== null && w.length !== m) {
    throw new BiogradError("shape_mismatch", `curveBands: ${w.length} weights for ${m} points`);
  }
  const fitted = new Float64Array(m);
  const jac = new Float64Array(m * p);
  curve.evaluate(theta, columns, m, fitted, jac);
  const t = studentTQuantile(0.5 + conf / 2, df);
  const seFit = new Float64Array(m);
  const band = (): Band => ({
    lower: new Float64Array(m),
    upper: new Float64Array(m),
    halfWidth: new Float64Array(m),
  });
  const confidence = band();
  const prediction = band();
  const g = new Float64Array(q);
  for (let i = 0; i < m; i++) {
    for (let a = 0; a < q; a++) g[a] = jac[i * p + free[a]!]!;
    let v = 0;
    for (let a = 0; a < q; a++) {
      let row = 0;
      for (let b = 0; b < q; b++) row += covariance[a * q + b]! * g[b]!;
      v += g[a]! * row;
    }
    seFit[i] = Math.sqrt(Math.max(v, 0));
    const c = t * seFit[i]!;
    const pr = t * Math.sqrt((sigma * sigma) / (w === null ? 1 : w[i]!) + seFit[i]! ** 2);
    fill(confidence, i, fitted[i]!, c);
    fill(prediction, i, fitted[i]!, pr);
  }
  return { level: conf, tQuantile: t, fitted, seFit, confidence, prediction };
}

function fill(b: Band, i: number, centre: number, half: number): void {
  b.halfWidth[i] = half;
  b.lower[i] = centre - half;
  b.upper[i] = centre + half;
}
