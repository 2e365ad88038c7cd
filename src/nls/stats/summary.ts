import { BiogradError } from "../../core/errors.js";
import { type Checker, checkOptions } from "../../core/options.js";
import { ILL_CONDITIONED, inverseGram, rankTolerance } from "./covariance.js";
import { inference, rSquared } from "./inference.js";
import { informationCriteria } from "./information-criteria.js";
import type {
  NlsSummary,
  NlsSummaryInput,
  NlsSummaryOptions,
  NlsWarning,
} from "./summary-types.js";

/**
 * The summary of a nonlinear least-squares fit, as R's `summary(nls)` reports it (plus R²,
 * Wald confidence intervals, the correlation matrix and R's logLik/AIC/BIC):
 *
 *   RSS = Σ r_i²  (r_i = √w_i·(y_i − f_i)),   n = #{w_i > 0},   df = n − p
 *   s = √(RSS/df)                               residual standard error
 *   Cov(θ̂) = s²·(JᵀJ)⁻¹                        J = ∂r/∂θ, computed by SVD (covariance.ts)
 *   se_j = √Cov_jj,   t_j = θ̂_j / se_j,   p_j = 2·P(T_df ≥ |t_j|)
 *   CI_j = θ̂_j ± t_(df, (1+level)/2) · se_j   (Wald, with the t quantile, like confint.default
 *                                              but with t instead of z)
 *   R² = 1 − RSS/TSS,   TSS = Σ w_i (y_i − ȳ_w)²,   ȳ_w = Σ w_i y_i / Σ w_i
 *
 * When the covariance cannot be trusted the standard errors and everything derived from them
 * are null and `warnings` says why (see NlsWarningCode). Callers add "at-bound" and
 * "not-converged" warnings, which only they can know.
 */

const level: Checker = (v) =>
  typeof v === "number" && v > 0 && v < 1 ? null : "a number in (0, 1)";
const flag: Checker = (v) => (typeof v === "boolean" ? null : "true or false");

function allFinite(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) return false;
  return true;
}

function checkShapes(input: NlsSummaryInput): { m: number; p: number } {
  const p = input.theta.length;
  const m = input.residuals.length;
  const fail = (what: string) => {
    throw new BiogradError("shape_mismatch", `nlsSummary: ${what}`);
  };
  if (p < 1) fail("theta must have at least one entry");
  if (input.jacobian.length !== m * p) {
    fail(`jacobian has ${input.jacobian.length} entries, expected m·p = ${m}·${p} = ${m * p}`);
  }
  if (input.names !== undefined && input.names.length !== p) {
    fail(`names has ${input.names.length} entries, theta has ${p}`);
  }
  const w = input.weights;
  if (w !== undefined && w !== null) {
    if (w.length !== m) fail(`weights has ${w.length} entries, residuals has ${m}`);
    for (let i = 0; i < m; i++) {
      if (!(Number.isFinite(w[i]!) && w[i]! >= 0)) {
        throw new BiogradError(
          "bad_input",
          `nlsSummary: weights[${i}] must be a finite number >= 0, got ${w[i]}`,
        );
      }
    }
  }
  if (input.y !== undefined && input.y !== null && input.y.length !== m) {
    fail(`y has ${input.y.length} entries, residuals has ${m}`);
  }
  return { m, p };
}

export function nlsSummary(input: NlsSummaryInput, options?: NlsSummaryOptions): NlsSummary {
  checkOptions("nlsSummary", options, { level, pValues: flag });
  const conf = options?.level ?? 0.95;
  const { m, p } = checkShapes(input);
  const weights = input.weights ?? null;
  const names = input.names ?? Array.from({ length: p }, (_, j) => `b${j + 1}`);
  const warnings: NlsWarning[] = [];
  let rss = 0;
  for (let i = 0; i < m; i++) rss += input.residuals[i]! ** 2;
  const ic = informationCriteria(rss, p, weights, m);
  const n = ic.nobs;
  const df = n - p;
  const base = {
    names,
    estimates: Float64Array.from(input.theta),
    n,
    p,
    df,
    rss,
    level: conf,
    rSquared: rSquared(rss, input.y ?? null, weights),
    logLik: ic.logLik,
    aic: ic.aic,
    bic: ic.bic,
  };
  // Object.assign, not spread-then-add-keys: on Node 20 that literal takes a slow path
  // (bench/CURVE-RESULTS.md: 22 → 6.5 µs per summary, up to 2.3× on small LM-only fits).
  const none = Object.assign({}, base, {
    sigma: df > 0 && Number.isFinite(rss) ? Math.sqrt(rss / df) : null,
    standardErrors: null,
    tValues: null,
    pValues: null,
    lower: null,
    upper: null,
    covariance: null,
    correlation: null,
    conditionNumber: Number.NaN,
    rank: Number.NaN,
    warnings,
  });
  if (!allFinite(input.theta) || !allFinite(input.residuals) || !allFinite(input.jacobian)) {
    const bad = [
      allFinite(input.theta) ? "" : "estimates",
      allFinite(input.residuals) ? "" : "residuals",
      allFinite(input.jacobian) ? "" : "Jacobian",
    ].filter((s) => s !== "");
    warnings.push({
      code: "non-finite",
      message: `the ${bad.join(", ")} ${bad.length === 1 ? "contains" : "contain"} NaN or Infinity: no standard errors`,
    });
    return Object.assign(none, { sigma: null });
  }
  if (df <= 0) {
    warnings.push({
      code: "no-residual-df",
      message: `${n} observations (with non-zero weight) for ${p} parameters: no residual degrees of freedom, so no residual standard error or standard errors`,
    });
    return none;
  }
  const gram = inverseGram(input.jacobian, m, p);
  if (gram.inverse === null) {
    warnings.push(rankWarning(gram.zeroColumns, gram.conditionNumber, names, m, p));
    return Object.assign(none, { conditionNumber: gram.conditionNumber, rank: gram.rank });
  }
  if (gram.conditionNumber > ILL_CONDITIONED) {
    const digits = Math.max(0, Math.floor(-Math.log10(gram.conditionNumber * 2.22e-16)));
    warnings.push({
      code: "ill-conditioned",
      message: `the Jacobian is ill-conditioned (condition number ${gram.conditionNumber.toPrecision(3)} with its columns scaled to unit length): some parameters are nearly redundant and the standard errors may have only about ${digits} correct digits`,
    });
  }
  if (rss === 0) {
    warnings.push({
      code: "zero-residual",
      message: "the residuals are all zero (a perfect fit): standard errors are 0",
    });
  }
  return Object.assign(
    {},
    base,
    inference(input.theta, gram.inverse, rss / df, df, conf, options?.pValues ?? true),
    {
      conditionNumber: gram.conditionNumber,
      rank: gram.rank,
      warnings,
    },
  );
}

function rankWarning(
  zeroColumns: readonly number[],
  kappa: number,
  names: readonly string[],
  m: number,
  p: number,
): NlsWarning {
  if (zeroColumns.length > 0) {
    const which = zeroColumns.map((j) => `"${names[j]}"`).join(", ");
    return {
      code: "rank-deficient",
      message: `the Jacobian column of ${which} is zero (the fit does not depend on it at these values): no standard errors`,
    };
  }
  return {
    code: "rank-deficient",
    message: `the Jacobian is singular to working precision (condition number ${kappa.toPrecision(3)} > 1/${rankTolerance(m, p)} with its columns scaled to unit length): some parameters are not identifiable from these data; no standard errors`,
  };
}
