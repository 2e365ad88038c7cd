import {
  type Checker,
  checkOptions,
  nonNegative,
  oneOf,
  positive,
  positiveInteger,
} from "../../core/options.js";

/** Why `levenbergMarquardt` stopped. The first four mean it converged. */
export type LmStopCode =
  /** Both the actual and the predicted relative reduction of the RSS are ≤ ftol. */
  | "ftol"
  /** The trust radius (≈ the last step) is ≤ xtol·‖D·θ‖: relative change of θ is tiny. */
  | "xtol"
  /** max_j |cos(angle between r and column j of J)| ≤ gtol: r is orthogonal to J. */
  | "gtol"
  /** The residuals are exactly zero. */
  | "zero-residual"
  | "max-iterations"
  | "max-evaluations"
  /** No step reduces the RSS any more although no tolerance is met (they are below rounding). */
  | "no-progress"
  /** The residuals or the Jacobian at the starting point are not all finite. */
  | "non-finite-start"
  /** The Jacobian at an accepted point is not all finite (the residuals were). */
  | "non-finite-jacobian";

export const CONVERGED_CODES: readonly LmStopCode[] = ["ftol", "xtol", "gtol", "zero-residual"];

/** One line per iteration, to `onIteration` (after each accepted step). */
export interface LmIterationInfo {
  readonly iteration: number;
  readonly evaluations: number;
  readonly rss: number;
  /** Levenberg–Marquardt parameter of the accepted step (0 = Gauss–Newton). */
  readonly lambda: number;
  /** Trust-region radius Δ after the update, in the scaled norm ‖D·p‖. */
  readonly radius: number;
  /** ‖D·p‖ of the accepted step. */
  readonly stepNorm: number;
  readonly theta: Float64Array;
}

export interface LmOptions {
  /**
   * Relative RSS reduction tolerance (MINPACK ftol): stop when both the actual and the
   * predicted relative reduction of a step are ≤ ftol. Default 1e-14 (with 1e-12 NIST MGH09
   * stops at 6.0 correct digits; see docs/NIST.md).
   */
  ftol?: number;
  /** Relative step tolerance (MINPACK xtol): Δ ≤ xtol·‖D·θ‖. Default 1e-10. */
  xtol?: number;
  /** Gradient orthogonality tolerance (MINPACK gtol). Default 1e-12. */
  gtol?: number;
  /** Budget of iterations (accepted steps, each with a new Jacobian). Default 1000. */
  maxIterations?: number;
  /** Residual evaluations budget (the start and every trial point). Default 5000. */
  maxEvaluations?: number;
  /**
   * Initial radius Δ₀ = initialStepBound·‖D·θ₀‖ (or initialStepBound if that is 0): MINPACK's
   * `factor`. Default 1, not MINPACK's 100: with 100 the first step from NIST BoxBOD's Start 1
   * lands on the asymptote exp(−b2·x) ≈ 0 and stays there (docs/NIST.md). Δ doubles on every
   * very successful step, so a small Δ₀ costs a few iterations at most.
   */
  initialStepBound?: number;
  /**
   * "jacobian": D = diag of the Jacobian's column norms, each the largest seen so far
   * (MINPACK mode 1; makes the steps invariant to the units of the parameters);
   * "none": D = I. Default "jacobian".
   */
  scaling?: "jacobian" | "none";
  /** Called after every accepted step. Must not keep `theta` (the buffer is reused). */
  onIteration?: (info: LmIterationInfo) => void;
}

export interface ResolvedLmOptions {
  readonly ftol: number;
  readonly xtol: number;
  readonly gtol: number;
  readonly maxIterations: number;
  readonly maxEvaluations: number;
  readonly initialStepBound: number;
  readonly scaling: "jacobian" | "none";
  readonly onIteration: ((info: LmIterationInfo) => void) | null;
}

const fn: Checker = (v) => (typeof v === "function" ? null : "a function");

const CHECKERS: Record<string, Checker> = {
  ftol: nonNegative,
  xtol: nonNegative,
  gtol: nonNegative,
  maxIterations: positiveInteger,
  maxEvaluations: positiveInteger,
  initialStepBound: positive,
  scaling: oneOf("jacobian", "none"),
  onIteration: fn,
};

export function resolveLmOptions(options: LmOptions | undefined): ResolvedLmOptions {
  checkOptions("levenbergMarquardt", options, CHECKERS);
  const o = options ?? {};
  return {
    ftol: o.ftol ?? 1e-14,
    xtol: o.xtol ?? 1e-10,
    gtol: o.gtol ?? 1e-12,
    maxIterations: o.maxIterations ?? 1000,
    maxEvaluations: o.maxEvaluations ?? 5000,
    initialStepBound: o.initialStepBound ?? 1,
    scaling: o.scaling ?? "jacobian",
    onIteration: o.onIteration ?? null,
  };
}

/**
 * MINPACK's (and scipy `curve_fit`'s) defaults: ftol = xtol = 1.49012e-8 (√ε), gtol = 0,
 * factor = 100. Estimates are then good to about 8 significant digits of the RSS, not to
 * biograd's default 1e-14; use them to compare with MINPACK at equal precision.
 */
export const MINPACK_LM_OPTIONS: Readonly<LmOptions> = Object.freeze({
  ftol: 1.49012e-8,
  xtol: 1.49012e-8,
  gtol: 0,
  initialStepBound: 100,
});
