/** The shapes of `nlsSummary`'s input and output (summary.ts). */

export type NlsWarningCode =
  /** J is singular or numerically rank-deficient: no covariance. */
  | "rank-deficient"
  /** J is ill-conditioned (κ > 1e8 after column scaling): covariance given, few digits. */
  | "ill-conditioned"
  /** θ̂, the residuals or J contain NaN or ±Infinity. */
  | "non-finite"
  /** n ≤ p: no residual degrees of freedom. */
  | "no-residual-df"
  /** RSS = 0: a perfect fit; standard errors are 0 and logLik is +∞. */
  | "zero-residual"
  /** Added by callers: a parameter is at (or numerically at) a bound. */
  | "at-bound"
  /** Added by callers: the solver did not report convergence. */
  | "not-converged";

export interface NlsWarning {
  readonly code: NlsWarningCode;
  readonly message: string;
}

export interface NlsSummaryInput {
  /** θ̂ (length p). */
  readonly theta: Float64Array;
  /** Weighted residuals r_i = √w_i·(y_i − f_i), one per data row (m rows). */
  readonly residuals: Float64Array;
  /**
   * ∂r_i/∂θ_j at θ̂, row-major m×p — what `levenbergMarquardt` returns. The Jacobian of √w_i·f_i
   * serves as well (the sign does not matter). With respect to the natural parameters.
   */
  readonly jacobian: Float64Array;
  /** Parameter names (length p). Default "b1", "b2", …. */
  readonly names?: readonly string[];
  /** w_i ≥ 0 (length m). Rows with w_i = 0 are not counted in n. Default: all 1. */
  readonly weights?: Float64Array | null;
  /** The observed y (length m), needed for R² only. */
  readonly y?: Float64Array | null;
}

export interface NlsSummaryOptions {
  /** Confidence level of the intervals, in (0, 1). Default 0.95. */
  level?: number;
  /**
   * Compute the two-sided p values of the t statistics. Default true; false leaves `pValues`
   * null (grouped fits never show them, and they were ~4 % of a many-curves run).
   */
  pValues?: boolean;
}

export interface NlsSummary {
  readonly names: readonly string[];
  readonly estimates: Float64Array;
  /** Observations with non-zero weight. */
  readonly n: number;
  readonly p: number;
  /** Residual degrees of freedom n − p. */
  readonly df: number;
  readonly rss: number;
  /** Residual standard error s; null when df ≤ 0. */
  readonly sigma: number | null;
  readonly standardErrors: Float64Array | null;
  readonly tValues: Float64Array | null;
  readonly pValues: Float64Array | null;
  readonly level: number;
  readonly lower: Float64Array | null;
  readonly upper: Float64Array | null;
  /** s²(JᵀJ)⁻¹, row-major p×p. */
  readonly covariance: Float64Array | null;
  /** Cov_ij / √(Cov_ii·Cov_jj), row-major p×p. */
  readonly correlation: Float64Array | null;
  /** null without `y`, or when TSS = 0. */
  readonly rSquared: number | null;
  readonly logLik: number;
  readonly aic: number;
  readonly bic: number;
  /** σ_max/σ_min of J with unit-norm columns (NaN when not computed). */
  readonly conditionNumber: number;
  /** Numerical rank of that matrix (NaN when not computed). */
  readonly rank: number;
  readonly warnings: NlsWarning[];
}
