/**
 * The quality flags of one curve fit (`qualityFlags`), each with the rule that raises it.
 * Flags describe doubts; they never change the fit or drop data.
 */
export type QualityFlagCode =
  | "not-converged"
  | "worse-than-mean"
  | "ec50-outside-range"
  | "flat-curve"
  | "at-bound"
  | "ambiguous"
  | "too-few-points"
  | "possible-outliers";

export const QUALITY_FLAGS: Readonly<Record<QualityFlagCode, string>> = Object.freeze({
  "not-converged": "the solver did not report convergence",
  "worse-than-mean":
    "the curve fits worse than the constant model y = mean(y) (RSS > the total sum of squares)",
  "ec50-outside-range":
    "the EC50 parameter (logEC50 or K) lies outside the range of the tested x values",
  "flat-curve":
    "the curve is not distinguishable from a horizontal line: extra-sum-of-squares F test against the constant model with p > alpha (default 0.05, as GRmetrics)",
  "at-bound": "a parameter sits at one of its bounds (its standard error is not meaningful)",
  ambiguous:
    "a parameter is poorly determined: a standard error larger than |estimate| (than the range of y, for a plateau near 0), a |correlation| above 0.999, or a Jacobian too ill-conditioned for standard errors",
  "too-few-points":
    "fewer distinct x values than parameters, or fewer residual degrees of freedom (n − p) than the minimum (default 1)",
  "possible-outliers":
    "ROUT-style test (robust Lorentzian fit, then Benjamini–Hochberg on the residuals at Q = 1 %) finds points far from the curve; they are flagged, not removed",
});

export interface QualityFlag {
  readonly code: QualityFlagCode;
  /** One plain sentence with the numbers behind the flag. */
  readonly message: string;
  /** The parameters concerned (at-bound, ambiguous, ec50-outside-range). */
  readonly parameters?: readonly string[];
  /** The rows concerned (possible-outliers). */
  readonly rows?: readonly number[];
}
