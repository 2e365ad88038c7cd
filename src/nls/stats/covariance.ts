import { createSvdWorkspace, type SvdWorkspace, svd } from "../../linalg/svd.js";

/**
 * (JᵀJ)⁻¹ of an m×p Jacobian, computed without forming JᵀJ: the columns are first scaled to
 * unit 2-norm (J = J̃·D, D = diag(‖J_j‖)), then J̃ = U·Σ·Vᵀ by QR-preconditioned Jacobi SVD
 * (src/linalg/svd.ts) and
 *
 *   (JᵀJ)⁻¹ = D⁻¹·V·Σ⁻²·Vᵀ·D⁻¹.
 *
 * Rank test (on the column-scaled J̃, so it does not depend on the units of the parameters):
 * J is numerically rank-deficient when a column is exactly zero or
 *
 *   σ_min / σ_max ≤ RCOND = max(1e-12, max(m, p)·ε)
 *
 * 1e-12: the relative error of σ_min from a backward-stable SVD is about ε·κ (κ = σ_max/σ_min),
 * so beyond κ = 1e12 the standard errors would have fewer than ~3.5 correct digits; max(m, p)·ε
 * is LAPACK's/numpy's cut-off below which a singular value is indistinguishable from rounding.
 * Above ILL_CONDITIONED (κ > 1e8) the covariance is returned but flagged.
 */

const EPS = 2.220446049250313e-16;
export const ILL_CONDITIONED = 1e8;

export function rankTolerance(m: number, p: number): number {
  return Math.max(1e-12, Math.max(m, p) * EPS);
}

/**
 * SVD workspaces by shape, reused across calls (a grouped run asks for the same few shapes
 * thousands of times; the SVD overwrites all of a workspace it reads, so results do not
 * depend on earlier calls). Bounded: cleared past a few dozen shapes.
 */
const workspaces = new Map<number, SvdWorkspace>();

function workspaceFor(m: number, p: number): SvdWorkspace {
  const key = m * 64 + p;
  let ws = p < 64 ? workspaces.get(key) : undefined;
  if (ws === undefined) {
    ws = createSvdWorkspace(m, p);
    if (workspaces.size >= 32) workspaces.clear();
    if (p < 64) workspaces.set(key, ws);
  }
  return ws;
}

export interface InverseGram {
  /** (JᵀJ)⁻¹, row-major p×p; null when J is numerically rank-deficient. */
  readonly inverse: Float64Array | null;
  /** Numerical rank of the column-scaled J. */
  readonly rank: number;
  /** σ_max/σ_min of the column-scaled J (Infinity when singular). */
  readonly conditionNumber: number;
  /** Indices of exactly-zero columns (parameters that do not move the fit at all). */
  readonly zeroColumns: readonly number[];
}

export function inverseGram(jac: Float64Array, m: number, p: number): InverseGram {
  const d = new Float64Array(p);
  const zeroColumns: number[] = [];
  for (let j = 0; j < p; j++) {
    let scale = 0;
    for (let i = 0; i < m; i++) scale = Math.max(scale, Math.abs(jac[i * p + j]!));
    let ss = 0;
    if (scale > 0) for (let i = 0; i < m; i++) ss += (jac[i * p + j]! / scale) ** 2;
    d[j] = scale * Math.sqrt(ss);
    if (d[j] === 0) zeroColumns.push(j);
  }
  const ws = workspaceFor(m, p);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < p; j++) ws.a[i * p + j] = d[j]! > 0 ? jac[i * p + j]! / d[j]! : 0;
  }
  svd(ws, false);
  const { sigma, v } = ws;
  const smax = sigma[0]!;
  const smin = sigma[p - 1]!;
  const conditionNumber = smin > 0 ? smax / smin : Number.POSITIVE_INFINITY;
  const cut = smax * rankTolerance(m, p);
  let rank = 0;
  while (rank < p && sigma[rank]! > cut) rank++;
  if (rank < p || zeroColumns.length > 0) {
    return {
      inverse: null,
      rank: Math.min(rank, p - zeroColumns.length),
      conditionNumber,
      zeroColumns,
    };
  }
  const inverse = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += (v[a * p + k]! * v[b * p + k]!) / (sigma[k]! * sigma[k]!);
      const c = s / (d[a]! * d[b]!);
      inverse[a * p + b] = c;
      inverse[b * p + a] = c;
    }
  }
  return { inverse, rank, conditionNumber, zeroColumns };
}
