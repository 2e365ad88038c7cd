import type { IntegrateStats, OdeSystem, SensitivitySystem } from "../types.js";
import { luSolve, luSolveMany } from "./lu.js";

/**
 * The vector both methods integrate: z = [y; S] with S = dy/dθ stored row-major (n×np) after
 * the n states, so z has N = n·(1 + np) entries (N = n without sensitivities). Its right-hand
 * side is [f(t, y); J(t, y)·S + ∂f/∂θ(t, y)] (forward sensitivities, simultaneous corrector
 * style: the sensitivities take the same steps as the states and enter the error norm).
 *
 * Its Jacobian is block lower triangular, [[J, 0], [B, I⊗J]] with B_l = ∂(J·S_l + ∂f/∂θ_l)/∂y,
 * so the Rosenbrock matrix I/(γh) − J_aug is solved exactly with one LU of I/(γh) − J:
 *   E·x = r,  then  E·X_l = R_l + B_l·x  for every parameter l,
 * and the method keeps its order for the sensitivities.
 */
export class AugmentedSystem {
  readonly n: number;
  readonly np: number;
  readonly N: number;
  /** ∂f/∂y at the start of the current Rosenbrock step (frozen for all its stages). */
  readonly J: Float64Array;
  private readonly system: OdeSystem;
  private readonly sens: SensitivitySystem | null;
  /** The system's own augmented right-hand side, when it has one (compiled models). */
  private readonly fused: ((t: number, z: Float64Array, dz: Float64Array) => void) | null;
  private readonly stats: IntegrateStats;
  private readonly y: Float64Array;
  private readonly dy: Float64Array;
  private readonly Jstage: Float64Array;
  private readonly P: Float64Array;
  private readonly B: Float64Array;
  private readonly col: Float64Array;
  /** y and S at the start of the current Rosenbrock step, for the off-diagonal blocks B. */
  private readonly y0: Float64Array;
  private readonly S0: Float64Array;
  private t0 = 0;

  constructor(system: OdeSystem, sens: SensitivitySystem | null, stats: IntegrateStats) {
    this.system = system;
    this.sens = sens;
    this.fused = sens?.augmentedRhs?.bind(sens) ?? null;
    this.stats = stats;
    const n = system.n;
    const np = sens ? sens.np : 0;
    this.n = n;
    this.np = np;
    this.N = n * (1 + np);
    this.J = new Float64Array(n * n);
    this.y = new Float64Array(n);
    this.dy = new Float64Array(n);
    this.Jstage = new Float64Array(sens ? n * n : 0);
    this.P = new Float64Array(n * np);
    this.B = new Float64Array(n * np);
    this.col = new Float64Array(n);
    this.y0 = new Float64Array(n);
    this.S0 = new Float64Array(n * np);
  }

  /** dz ← [f(t, y); J·S + ∂f/∂θ]. */
  rhs(t: number, z: Float64Array, dz: Float64Array): void {
    const { n, np, y, dy } = this;
    this.stats.rhsEvaluations++;
    if (!this.sens) {
      this.system.rhs(t, z, dz);
      return;
    }
    if (this.fused) {
      // one generated kernel over the nonzeros of J and ∂f/∂θ (the same sums in the same order)
      this.fused(t, z, dz);
      return;
    }
    for (let i = 0; i < n; i++) y[i] = z[i]!;
    this.system.rhs(t, y, dy);
    for (let i = 0; i < n; i++) dz[i] = dy[i]!;
    const J = this.Jstage;
    const P = this.P;
    this.system.jacobian(t, y, J);
    this.stats.jacobianEvaluations++;
    this.sens.paramJacobian(t, y, P);
    for (let i = 0; i < n; i++) {
      const out = n + i * np;
      for (let l = 0; l < np; l++) dz[out + l] = P[i * np + l]!;
      for (let j = 0; j < n; j++) {
        const a = J[i * n + j]!;
        if (a === 0) continue;
        const src = n + j * np;
        for (let l = 0; l < np; l++) dz[out + l] = dz[out + l]! + a * z[src + l]!;
      }
    }
  }

  /** Evaluates J at the start of a Rosenbrock step and remembers the point for B. */
  startStep(t: number, z: Float64Array): void {
    const { n, y0, S0 } = this;
    for (let i = 0; i < n; i++) y0[i] = z[i]!;
    for (let k = 0; k < S0.length; k++) S0[k] = z[n + k]!;
    this.t0 = t;
    this.system.jacobian(t, y0, this.J);
    this.stats.jacobianEvaluations++;
  }

  /** out ← ∂(rhs)/∂t at the step start; false (and out untouched) when f is autonomous. */
  timeDerivative(out: Float64Array): boolean {
    const { system, sens, n } = this;
    if (!system.timeDerivative) return false;
    system.timeDerivative(this.t0, this.y0, this.dy);
    for (let i = 0; i < n; i++) out[i] = this.dy[i]!;
    if (sens) {
      if (sens.sensitivityTimeDerivative) {
        sens.sensitivityTimeDerivative(this.t0, this.y0, this.S0, this.P);
        for (let k = 0; k < this.P.length; k++) out[n + k] = this.P[k]!;
      } else {
        for (let k = n; k < this.N; k++) out[k] = 0;
      }
    }
    return true;
  }

  /** b ← (I/(γh) − J_aug)⁻¹ b, given the LU of I/(γh) − J (block forward substitution). */
  solve(lu: Float64Array, pivots: Int32Array, b: Float64Array): void {
    const { n, np, col, B } = this;
    luSolve(lu, n, pivots, b, 0);
    if (!this.sens) return;
    for (let i = 0; i < n; i++) col[i] = b[i]!;
    this.sens.sensitivityJacobianTimesVector(this.t0, this.y0, this.S0, col, B);
    const m = n * np;
    for (let k = 0; k < m; k++) b[n + k] = b[n + k]! + B[k]!;
    luSolveMany(lu, n, pivots, b, n, np);
  }
}
