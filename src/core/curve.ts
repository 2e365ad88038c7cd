/**
 * Shared shapes of nonlinear least squares (curve fitting). Kept in one small file so the
 * formula compiler, the model library, the solvers and the CLI agree on them.
 */

/**
 * A curve y = f(x; θ) over whole data columns, with its parameter partials: what a compiled
 * formula (src/formula) and every library model (src/nls/library) provide.
 */
export interface CurveFunction {
  /** Parameter names, in the order of θ. */
  readonly params: readonly string[];
  /** Variable (data column) names, in the order of `columns`. */
  readonly variables: readonly string[];
  /**
   * Writes f(x_i; θ) into `f[i]` for i < n and, when `jac` is given, ∂f/∂θ_j into
   * `jac[i·p + j]` (row-major, p = params.length). `columns[k][i]` is variable k at row i.
   * Allocates nothing.
   */
  evaluate(
    theta: Float64Array,
    columns: readonly Float64Array[],
    n: number,
    f: Float64Array,
    jac: Float64Array | null,
  ): void;
}

/**
 * A least-squares problem in the solver's coordinates: minimise ½‖r(θ)‖² (solvers may
 * report RSS = ‖r‖²). r_i = sqrt(w_i)·(y_i − f_i) for a curve fit.
 */
export interface LeastSquaresProblem {
  /** Residuals (n). */
  readonly n: number;
  /** Parameters (p). */
  readonly p: number;
  /** Writes r(θ) into `r` and, when `jac` is given, ∂r_i/∂θ_j into `jac[i·p + j]`. */
  residuals(theta: Float64Array, r: Float64Array, jac: Float64Array | null): void;
}
