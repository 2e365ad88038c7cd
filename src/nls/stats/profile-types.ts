import type { LmOptions } from "../solvers/lm-options.js";

/** Options of `profileIntervals`. */
export interface ProfileOptions {
  /** Confidence level, in (0, 1). Default 0.95. */
  level?: number;
  /** Free parameters to profile, by name. Default: every free parameter. */
  parameters?: readonly string[];
  /**
   * How far from the estimate to look for each limit, in standard errors (or, without a
   * standard error, in steps of 10 % of |estimate|). Default 100: beyond that the limit is
   * reported as open (null) with its reason.
   */
  maxStandardErrors?: number;
  /** Options of the Levenberg–Marquardt refits (default: the solver's defaults). */
  lm?: LmOptions;
}

/** One evaluated point of a profile: τ at the parameter fixed at `value`. */
export interface ProfilePoint {
  readonly value: number;
  /** sign(value − estimate)·√((S(value) − S)/s²). */
  readonly tau: number;
  /** The least RSS with the parameter fixed at `value`. */
  readonly rss: number;
}

/** One parameter's profile interval with the Wald interval beside it. */
export interface ParameterProfile {
  readonly name: string;
  readonly estimate: number;
  /** The fit's standard error; null when the fit gave none. */
  readonly standardError: number | null;
  /** Profile-likelihood limits; null when open (see the reasons). */
  readonly lower: number | null;
  readonly upper: number | null;
  /** Why `lower` / `upper` is null (null when the limit was found). */
  readonly lowerReason: string | null;
  readonly upperReason: string | null;
  /** estimate ∓ t·se (t = tQuantile); null without a standard error. */
  readonly wald: { readonly lower: number; readonly upper: number } | null;
  /** Every point evaluated (the estimate with τ = 0 included), sorted by value. */
  readonly trace: readonly ProfilePoint[];
}

export interface ProfileIntervals {
  readonly level: number;
  /** Residual degrees of freedom n − p of the fit. */
  readonly df: number;
  /** t_(df, (1+level)/2): the limits are where |τ| reaches it (= √F_(1, df; level)). */
  readonly tQuantile: number;
  readonly parameters: readonly ParameterProfile[];
  /** Refits run in all. */
  readonly refits: number;
}
