import type { CurveRows } from "./curve-rows.js";
import { choleskySolve, factorShifted } from "./small-cholesky.js";

/** The most steps (each one Jacobian and one or a few residual evaluations). */
const MAX_STEPS = 100;
/** Step halvings tried before the point counts as stationary to rounding. */
const MAX_HALVINGS = 30;
/**
 * A full Newton step that moves θ by less than this (relative) ends the fit: Newton's steps
 * converge quadratically, the next one would move θ by about C·change², and that is what the
 * 1e-8 rule would wait for. On 10,000 simulated 4PL curves (2,031 robust fits) the steps it
 * skips moved θ by at most 5.9e-9 relative in all — under the 1e-8 tolerance itself — and
 * saved 12 % of the steps; the flags are the same on 10,000 and 100,000 curves.
 */
export const NEWTON_STOP = 1e-5;

/** Robust fits and reweighting steps run in this thread (for benchmarks; never reset here). */
export const irlsCounters = { fits: 0, steps: 0 };

/** Buffers of a robust fit, sized once for curves of up to maxRows rows and p free parameters. */
export interface IrlsWorkspace {
  /** r and J at the current point (swapped with rNext and jacNext by robustIrls). */
  r: Float64Array;
  readonly rTrial: Float64Array;
  /** r and J at the trial (CurveRows.residualsDual), the next step's once it is accepted. */
  rNext: Float64Array;
  jacNext: Float64Array;
  jac: Float64Array;
  readonly a: Float64Array;
  readonly l: Float64Array;
  readonly g: Float64Array;
  readonly z: Float64Array;
  readonly d: Float64Array;
  readonly phi: Float64Array;
  readonly trial: Float64Array;
  readonly last: Float64Array;
  /** u_i·r_i, the weights of the residuals' curvature in Newton's matrix. */
  readonly ur: Float64Array;
  /** Σ u_i r_i ∇²r_i (p×p). */
  readonly curvature: Float64Array;
}

export function createIrlsWorkspace(maxRows: number, p: number, params: number): IrlsWorkspace {
  return {
    r: new Float64Array(maxRows),
    rTrial: new Float64Array(maxRows),
    rNext: new Float64Array(maxRows),
    jacNext: new Float64Array(maxRows * p),
    jac: new Float64Array(maxRows * p),
    a: new Float64Array(p * p),
    l: new Float64Array(p * p),
    g: new Float64Array(p),
    z: new Float64Array(p),
    d: new Float64Array(p),
    phi: new Float64Array(p),
    trial: new Float64Array(p),
    last: new Float64Array(params),
    ur: new Float64Array(maxRows),
    curvature: new Float64Array(p * p),
  };
}

/**
 * The outlier test's robust fit (quality/outliers.ts): the minimum of the Lorentzian loss
 * L(θ) = Σ ln(1 + (r_i/c)²) near the least-squares θ, reached by one damped step per
 * reweighting instead of a full Levenberg–Marquardt refit per reweighting. Its gradient is
 * (2/c²)·Σ u_i r_i ∇r_i with the Lorentzian weights u_i = 1/(1 + (r_i/c)²), so its stationary
 * points are exactly the fixed points of the full-refit IRLS (where Σ u_i(θ) r_i(θ) ∇r_i(θ)
 * = 0). Each step solves M·δ = −Σ u_i r_i ∇r_i with M the reweighting matrix Σ u_i ∇r_i∇r_iᵀ
 * (first step, and whenever Newton's is not positive definite) or Newton's Σ L''(r_i)
 * ∇r_i∇r_iᵀ, and is halved until L does not increase: every step descends, from the same
 * start, to the same fixed point, in about 5 steps where the full IRLS takes ~24 refits of ~3
 * iterations each (linear convergence). Stops as the full IRLS does, when a step moves θ by
 * < 1e-8 relative, or when no halving descends (stationary to rounding); and one step sooner
 * after a full Newton step of < NEWTON_STOP, whose successor would move θ by less than 1e-8.
 *
 * `rows` holds the curve (r_i = √w⁰_i·(y_i − f_i)) and `theta` (natural, all parameters) the
 * start, which it overwrites with the robust estimate. Returns false when it cannot proceed
 * (a non-finite start or estimate, a reweighting matrix not positive definite): the caller
 * then runs the full-refit IRLS.
 */
export function robustIrls(
  rows: CurveRows,
  ws: IrlsWorkspace,
  theta: Float64Array,
  c: number,
  tolerance = 1e-8,
  maxSteps = MAX_STEPS,
  /** 0: only the tolerance rule (for tests comparing the two). */
  newtonStop = NEWTON_STOP,
): boolean {
  const { l, g, rTrial, phi, trial, last, z, d } = ws;
  const n = rows.n;
  const p = rows.p;
  rows.toInternal(theta, phi);
  for (let k = 0; k < p; k++) if (!Number.isFinite(phi[k]!)) return false;
  const inv = 1 / c;
  rows.residuals(phi, ws.r, ws.jac);
  let loss = lorentzian(ws.r, n, inv);
  if (!Number.isFinite(loss)) return false;
  last.set(rows.theta);
  irlsCounters.fits++;
  for (let step = 0; step < maxSteps; step++) {
    irlsCounters.steps++;
    // From the second step on, Newton's matrix of the loss first (quadratic convergence to
    // the same fixed point); the reweighting matrix when Newton's is not positive definite.
    const newton = step > 0 && stepMatrix(ws, n, p, inv, rows, phi);
    if (!newton && !stepMatrix(ws, n, p, inv, null, phi)) return false;
    choleskySolve(l, p, g, z);
    // Halve δ = −D⁻¹z until the loss does not increase.
    let t = 1;
    let accepted = false;
    let trialLoss = loss;
    // Whether rNext and jacNext hold r and J at the trial (the dual kernel's one pass).
    let next = false;
    let h = 0;
    for (; h < MAX_HALVINGS; h++, t *= 0.5) {
      for (let k = 0; k < p; k++) trial[k] = phi[k]! - (t * z[k]!) / d[k]!;
      next = rows.residualsDual(trial, rTrial, ws.rNext, ws.jacNext);
      if (!next) rows.residuals(trial, rTrial, null);
      trialLoss = lorentzian(rTrial, n, inv);
      if (trialLoss <= loss) {
        accepted = true;
        break;
      }
    }
    if (!accepted) break; // stationary to rounding
    phi.set(trial);
    loss = trialLoss;
    // rows.theta is θ(trial) after the last evaluation: the relative change, as the full IRLS.
    let change = 0;
    for (let j = 0; j < last.length; j++) {
      const v = rows.theta[j]!;
      change = Math.max(change, Math.abs(v - last[j]!) / (Math.abs(last[j]!) || 1));
    }
    last.set(rows.theta);
    if (change < tolerance) break;
    // A full Newton step (no halving) this small is in the quadratic regime, where the next
    // step would move θ by about C·change² ≪ tolerance: stop here instead of taking it only
    // to measure it (see NEWTON_STOP).
    if (newton && h === 0 && change < newtonStop) break;
    if (next) {
      // The same bits as evaluating the accepted point again with its Jacobian: the trial's
      // buffers become the current point's (a swap, not a copy of n·(p + 1) numbers).
      const r = ws.r;
      ws.r = ws.rNext;
      ws.rNext = r;
      const jac = ws.jac;
      ws.jac = ws.jacNext;
      ws.jacNext = jac;
    } else rows.residuals(phi, ws.r, ws.jac);
  }
  rows.toNatural(phi);
  theta.set(rows.theta);
  for (let j = 0; j < theta.length; j++) if (!Number.isFinite(theta[j]!)) return false;
  return true;
}

/**
 * The step's system at the current r and J, scaled to a unit diagonal (D in ws.d), factorised
 * into ws.l, with the scaled gradient in ws.g: g = Σ u_i r_i J_i, u_i = 1/(1 + s_i),
 * s_i = (r_i/c)², and the matrix Σ h_i J_iJ_iᵀ with h_i = u_i (reweighting, always positive
 * definite for a full-rank J; `newton` null) or Newton's: h_i = u_i²(1 − s_i), the loss's
 * second derivative in r_i, plus — where the model has a curvature kernel (kernels.ts) — the
 * residuals' own curvature Σ u_i r_i ∇²r_i, which makes it the loss's full Hessian (up to the
 * factor 2/c² the gradient shares): quadratic convergence, where without it the steps
 * converge only linearly when the residuals are large. Newton's is indefinite when far-out
 * points dominate. False when the matrix is not numerically positive definite.
 */
function stepMatrix(
  ws: IrlsWorkspace,
  n: number,
  p: number,
  inv: number,
  newton: CurveRows | null,
  phi: Float64Array,
) {
  const { a, l, g, d, ur } = ws;
  if (p === 4) accumulate4(ws, n, inv, newton !== null);
  else accumulate(ws, n, p, inv, newton !== null);
  if (newton?.curvature(phi, ur, ws.curvature)) {
    for (let k = 0; k < p * p; k++) a[k] = a[k]! + ws.curvature[k]!;
  }
  for (let j = 0; j < p; j++) {
    if (!(a[j * p + j]! > 0)) return false;
    d[j] = Math.sqrt(a[j * p + j]!);
  }
  for (let j = 0; j < p; j++) {
    g[j] = g[j]! / d[j]!;
    for (let k = 0; k < p; k++) a[j * p + k] = a[j * p + k]! / (d[j]! * d[k]!);
  }
  return factorShifted(a, p, 0, l);
}

/** g = Σ u_i r_i J_i, the matrix Σ h_i J_iJ_iᵀ (both triangles) and ur (see stepMatrix). */
export function accumulate(ws: IrlsWorkspace, n: number, p: number, inv: number, newton: boolean) {
  const { r, jac, a, g, ur } = ws;
  a.fill(0);
  g.fill(0);
  for (let i = 0, row = 0; i < n; i++, row += p) {
    const si = r[i]! * inv * (r[i]! * inv);
    const u = 1 / (1 + si);
    const uri = u * r[i]!;
    ur[i] = uri;
    const h = newton ? u * u * (1 - si) : u;
    for (let j = 0; j < p; j++) {
      const jj = jac[row + j]!;
      g[j] = g[j]! + uri * jj;
      const hj = h * jj;
      for (let k = 0; k <= j; k++) a[j * p + k] = a[j * p + k]! + hj * jac[row + k]!;
    }
  }
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) a[k * p + j] = a[j * p + k]!;
}

/**
 * `accumulate` for p = 4 (the 4PL, the common case) with the sums in locals instead of
 * memory: the same products added in the same order, so the same bits.
 */
export function accumulate4(ws: IrlsWorkspace, n: number, inv: number, newton: boolean) {
  const { r, jac, a, g, ur } = ws;
  let g0 = 0;
  let g1 = 0;
  let g2 = 0;
  let g3 = 0;
  let a00 = 0;
  let a10 = 0;
  let a11 = 0;
  let a20 = 0;
  let a21 = 0;
  let a22 = 0;
  let a30 = 0;
  let a31 = 0;
  let a32 = 0;
  let a33 = 0;
  for (let i = 0, row = 0; i < n; i++, row += 4) {
    const si = r[i]! * inv * (r[i]! * inv);
    const u = 1 / (1 + si);
    const uri = u * r[i]!;
    ur[i] = uri;
    const h = newton ? u * u * (1 - si) : u;
    const j0 = jac[row]!;
    const j1 = jac[row + 1]!;
    const j2 = jac[row + 2]!;
    const j3 = jac[row + 3]!;
    g0 += uri * j0;
    const h0 = h * j0;
    a00 += h0 * j0;
    g1 += uri * j1;
    const h1 = h * j1;
    a10 += h1 * j0;
    a11 += h1 * j1;
    g2 += uri * j2;
    const h2 = h * j2;
    a20 += h2 * j0;
    a21 += h2 * j1;
    a22 += h2 * j2;
    g3 += uri * j3;
    const h3 = h * j3;
    a30 += h3 * j0;
    a31 += h3 * j1;
    a32 += h3 * j2;
    a33 += h3 * j3;
  }
  g[0] = g0;
  g[1] = g1;
  g[2] = g2;
  g[3] = g3;
  a[0] = a00;
  a[1] = a[4] = a10;
  a[5] = a11;
  a[2] = a[8] = a20;
  a[6] = a[9] = a21;
  a[10] = a22;
  a[3] = a[12] = a30;
  a[7] = a[13] = a31;
  a[11] = a[14] = a32;
  a[15] = a33;
}

/**
 * Σ ln(1 + (r_i/c)²) (NaN-propagating: a non-finite residual never descends), as ln Π(1 +
 * (r_i/c)²): one logarithm per evaluation instead of one per row (a sixth of the robust fit's
 * time). The product's rounding (≤ n ulps) moves the loss by ≤ ~n·1e-16 — as much as summing
 * the n logarithms does — so only the comparisons of losses equal to rounding, at the end of
 * a fit, can go the other way; the fit then stops within its tolerance as before (the same
 * flags on 10,000 and 100,000 curves). The product cannot underflow (every factor is ≥ 1);
 * when it overflows (past 1.8e308: residuals of millions of c on every row), or at a NaN, the
 * logarithms are summed.
 */
function lorentzian(r: Float64Array, n: number, inv: number): number {
  let product = 1;
  for (let i = 0; i < n; i++) {
    const t = r[i]! * inv;
    product *= 1 + t * t;
  }
  if (product < Number.POSITIVE_INFINITY) return Math.log(product);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const t = r[i]! * inv;
    s += Math.log1p(t * t);
  }
  return Number.isNaN(s) ? Number.POSITIVE_INFINITY : s;
}
