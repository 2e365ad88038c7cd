import type { LmStopCode } from "./lm-options.js";

export interface LmResult {
  /** Final parameters: the best point found (every accepted step reduced the RSS). */
  readonly theta: Float64Array;
  /** ‖r(θ)‖². */
  readonly rss: number;
  /** RSS at the start. */
  readonly startRss: number;
  /** Accepted steps (each followed by one Jacobian evaluation). */
  readonly iterations: number;
  /** Residual evaluations at the start and at every trial point (refreshes with J not counted). */
  readonly evaluations: number;
  /** Calls that computed the Jacobian (the start and one per accepted step). */
  readonly jacobianEvaluations: number;
  readonly stopCode: LmStopCode;
  /** The stop in words, with the measured quantity (e.g. "relative step 3e-11 <= xtol"). */
  readonly stopReason: string;
  /** True for the stop codes "ftol", "xtol", "gtol" and "zero-residual". */
  readonly converged: boolean;
  /** r(θ), length n. */
  readonly residuals: Float64Array;
  /** ∂r_i/∂θ_j at θ, row-major n×p (for nlsSummary). */
  readonly jacobian: Float64Array;
  /** λ of the last trial step (0 = Gauss–Newton) and the final trust radius (diagnostics). */
  readonly lambda: number;
  readonly radius: number;
}
