import type { FitOptions } from "../fit-curve.js";
import type { ParameterSpec } from "../parameters.js";
import type { NlsWarning } from "../stats/index.js";

/** One curve of a global fit: its rows, in the order of the curve's variables. */
export interface GlobalGroup {
  /** The group's level (a compound, a run); per-group parameters are named `P[name]`. */
  name: string;
  columns: readonly Float64Array[];
  y: Float64Array;
  /** w_i > 0 (residual √w_i·(y_i − f_i)); null or absent for unweighted. */
  weights?: Float64Array | null;
  /** This group's own start values (e.g. its self-start), over the spec's `start`. */
  start?: Readonly<Record<string, number>>;
}

/** A parameter of a global fit: a single-fit spec plus whether all groups share it. */
export interface GlobalParameterSpec extends ParameterSpec {
  /** One value common to every group (true) or one per group (false). */
  shared: boolean;
}

export interface GlobalFitOptions {
  /** Options of the per-group fits that give the starts (default: `fitCurve`'s defaults). */
  groupFit?: FitOptions;
  /**
   * How a shared parameter's start is made from the per-group estimates: their `median`
   * (default) or their `weighted-mean` with weights 1/se².
   */
  sharedStart?: "median" | "weighted-mean";
  /** Skip the per-group fits; start every group at its `start` (or the spec's). */
  perGroupStarts?: boolean;
  /**
   * Budget of accepted LM steps (default 1000, as a single fit's): a curve whose optimum lies
   * far along a valley (a steep hill running off) takes as many steps here as alone.
   */
  maxIterations?: number;
  /** Relative RSS reduction tolerance (default 1e-14), as MINPACK's ftol. */
  ftol?: number;
  /** Relative step tolerance ‖D·δ‖ ≤ xtol·‖D·φ‖ (default 1e-10). */
  xtol?: number;
  /** max |cos(r, J_j)| ≤ gtol (default 1e-12). */
  gtol?: number;
  /** Confidence level of the Wald intervals (default 0.95). */
  level?: number;
}

/** How a per-group start fit went (the shared parameters' starts come from these). */
export interface GroupStart {
  group: string;
  /** The per-group fit converged and its estimates were used. */
  fitted: boolean;
  /** Why not, when `fitted` is false. */
  reason?: string;
  /** The group's start values over all curve parameters. */
  start: Record<string, number>;
}

/** The global fit's summary over its free parameters (`names`, as in R: `P` or `P[level]`). */
export interface GlobalSummary {
  names: readonly string[];
  estimates: Float64Array;
  /** Observations with non-zero weight, over all groups. */
  n: number;
  /** Free parameters: shared + per-group × groups. */
  p: number;
  df: number;
  rss: number;
  sigma: number | null;
  standardErrors: Float64Array | null;
  tValues: Float64Array | null;
  pValues: Float64Array | null;
  level: number;
  lower: Float64Array | null;
  upper: Float64Array | null;
  logLik: number;
  aic: number;
  /** AIC + 2k(k+1)/(n − k − 1), k = p + 1 (null when n − k − 1 ≤ 0). */
  aicc: number | null;
  bic: number;
  /**
   * Per group: the covariance of that group's free parameters in the curve's order (its
   * local ones and the shared ones), row-major; `groupParams[g]` names the rows. null with
   * the standard errors.
   */
  groupCovariance: Float64Array[] | null;
  groupParams: string[][];
  /** max/min |R_kk| of the column-scaled triangular factor: a lower bound on κ(J). */
  conditionEstimate: number;
}

export interface GlobalFit {
  /** The curve's parameter names and which are shared, per-group or fixed. */
  shared: readonly string[];
  local: readonly string[];
  fixed: readonly string[];
  groups: readonly string[];
  /** Estimates by free-parameter name (`hill`, `logEC50[3]`). */
  estimates: Record<string, number>;
  /** Per group: θ over all curve parameters (shared and fixed values included). */
  groupTheta: Float64Array[];
  rss: number;
  n: number;
  converged: boolean;
  iterations: number;
  evaluations: number;
  stopReason: string;
  starts: GroupStart[];
  summary: GlobalSummary;
  warnings: NlsWarning[];
}

/** The shared model against the separate (nothing shared) one: Prism's "do the values differ?". */
export interface SharedComparison {
  rssShared: number;
  rssSeparate: number;
  dfShared: number;
  dfSeparate: number;
  /** Parameters saved by sharing (dfShared − dfSeparate). */
  df: number;
  /** ((RSS_shared − RSS_separate)/df) / (RSS_separate/dfSeparate). */
  F: number;
  /** P(F(df, dfSeparate) ≥ F). */
  p: number;
  /** AICc(shared) − AICc(separate). */
  deltaAICc: number | null;
  /** 1/(1 + exp(ΔAICc/2)). */
  akaikeWeightShared: number | null;
}
