/**
 * The contract between the ODE layers: `model/` turns a model file into these systems,
 * `integrate/` solves them, `fit/` fits their parameters to data. Buffers are flat
 * `Float64Array`s, row-major, written in place (no allocation per call), so the integrators
 * can run millions of right-hand-side calls without garbage.
 */

/** dy/dt = f(t, y) with n states and its Jacobian ∂f/∂y. */
export interface OdeSystem {
  /** Number of states. */
  readonly n: number;
  /** dydt ← f(t, y). */
  rhs(t: number, y: Float64Array, dydt: Float64Array): void;
  /** J ← ∂f/∂y (n×n, row-major: J[i*n + j] = ∂f_i/∂y_j). */
  jacobian(t: number, y: Float64Array, J: Float64Array): void;
  /** out ← ∂f/∂t (n); absent when f does not depend on t explicitly (treated as zero). */
  timeDerivative?(t: number, y: Float64Array, out: Float64Array): void;
}

/**
 * An OdeSystem with forward sensitivities S = dy/dθ (n×np, row-major: S[i*np + l] = ∂y_i/∂θ_l)
 * for np parameters θ (model parameters and, where fitted, initial values). S obeys
 *   dS/dt = J(t, y)·S + ∂f/∂θ(t, y)
 * Stiff (Rosenbrock) methods solve their stages with the exact Jacobian of the augmented system
 * [y; S], which is block lower triangular with J on the diagonal; its off-diagonal blocks are
 * applied through `sensitivityJacobianTimesVector`, so one LU of (I − γhJ) serves every block.
 */
export interface SensitivitySystem extends OdeSystem {
  /** Number of parameters θ (columns of S). */
  readonly np: number;
  /** out ← ∂f/∂θ (n×np, row-major). Columns of parameters that only enter y0 are zero. */
  paramJacobian(t: number, y: Float64Array, out: Float64Array): void;
  /**
   * Optional, for speed: the whole augmented right-hand side in one call, dz ← [f(t, y);
   * J(t, y)·S + ∂f/∂θ(t, y)] for z = [y; S] (n·(1 + np) entries), over the nonzero entries of J
   * and ∂f/∂θ only (compiled models); without it the integrators form it from `rhs`,
   * `jacobian` and `paramJacobian`.
   */
  augmentedRhs?(t: number, z: Float64Array, dz: Float64Array): void;
  /**
   * out[:, l] ← (∂/∂y)(J(t, y)·S[:, l] + ∂f/∂θ_l(t, y)) · v for every l
   * (n×np, row-major; v has n entries): second derivatives of f, from symbolic differentiation.
   */
  sensitivityJacobianTimesVector(
    t: number,
    y: Float64Array,
    S: Float64Array,
    v: Float64Array,
    out: Float64Array,
  ): void;
  /** out ← ∂/∂t (J·S + ∂f/∂θ) (n×np); absent when f does not depend on t explicitly. */
  sensitivityTimeDerivative?(t: number, y: Float64Array, S: Float64Array, out: Float64Array): void;
}

/** A jump at a fixed time (a bolus dose): the integrator stops at `time`, applies it, restarts. */
export interface Discontinuity {
  readonly time: number;
  /** Changes the states (and their sensitivities, when S is given) in place. */
  apply(y: Float64Array, S: Float64Array | undefined): void;
}

export type SolverChoice = "auto" | "dopri5" | "rodas";

export interface IntegrateOptions {
  readonly t0: number;
  /** Initial states (n). */
  readonly y0: Float64Array;
  /** Initial sensitivities dy0/dθ (n×np); required to integrate sensitivities. */
  readonly S0?: Float64Array;
  /** Output times, non-decreasing, all ≥ t0. */
  readonly times: Float64Array;
  /** "auto" (default): Dormand–Prince, switching to Rodas when stiffness is detected. */
  readonly solver?: SolverChoice;
  readonly rtol?: number;
  readonly atol?: number;
  /** Accepted plus rejected steps before the integrator gives up (IntegrationError). */
  readonly maxSteps?: number;
  readonly discontinuities?: readonly Discontinuity[];
  /** Stops at the next step boundary (IntegrationError, reason "interrupted"). */
  readonly signal?: AbortSignal;
  /**
   * Whether the sensitivities enter the local error estimate (default true, CVODES's
   * errconS = true: they are then as accurate as the states). With false the steps are
   * those of the states alone — the states come out exactly as without sensitivities, and
   * the sensitivities are integrated on those steps without a check of their own (CVODES
   * with errconS = false); fits use it: an integration with sensitivities then takes the
   * steps of one without (Lotka–Volterra at rtol 1e-11: 738 instead of 1281).
   */
  readonly sensitivityErrorControl?: boolean;
}

export interface IntegrateStats {
  /** The method that finished the run ("rodas" after an automatic switch). */
  solver: "dopri5" | "rodas";
  /** Time at which "auto" switched to the stiff method, or null. */
  switchedAt: number | null;
  steps: number;
  rejected: number;
  rhsEvaluations: number;
  jacobianEvaluations: number;
  factorizations: number;
}

export interface IntegrateResult {
  /** times.length × n, row-major. */
  states: Float64Array;
  /** times.length × n × np, row-major (time, state, parameter); present when S0 was given. */
  sensitivities?: Float64Array;
  stats: IntegrateStats;
}
