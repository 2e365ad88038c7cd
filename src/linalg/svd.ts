import { createQrWorkspace, type QrWorkspace, qrPivoted } from "./householder-qr.js";

/**
 * Thin SVD of a small dense row-major m×n matrix, A = U·Σ·Vᵀ, by column-pivoted Householder
 * QR followed by a one-sided (Hestenes) Jacobi SVD of the n×n triangle R — the
 * "QR-preconditioned Jacobi" of Drmač & Veselić (SIAM J. Matrix Anal. Appl. 29, 2008):
 *
 *   A·P = Q·R,   R = U_R·Σ·Vᵀ_R   ⇒   A = (Q·U_R)·Σ·(P·V_R)ᵀ
 *
 * One-sided Jacobi computes the singular values of a column-scaled matrix with high relative
 * accuracy (small singular values are not swamped by large ones), which is what the
 * Levenberg–Marquardt step and the covariance (JᵀJ)⁻¹ = V·Σ⁻²·Vᵀ need on ill-conditioned
 * problems (NIST Thurber, MGH09); forming JᵀJ and using a Cholesky factor would square the
 * condition number. The QR step reduces the work from O(sweeps·m·n²) to O(m·n² + sweeps·n³),
 * which matters when there are many residuals and few parameters.
 *
 * U is not formed: callers need only Uᵀb for one right-hand side b (the residuals).
 * Written here (no library) for the same reasons as householder-qr.ts: preallocated row-major
 * Float64Array buffers, refactored every solver iteration, no allocation per call.
 */

const EPS = 2.220446049250313e-16;
const MAX_SWEEPS = 60;

export interface SvdWorkspace {
  readonly m: number;
  readonly n: number;
  /** Input: A, row-major m×n. Overwritten by `svd`. */
  readonly a: Float64Array;
  /** Input: b (length m) when `svd` is asked for Uᵀb. Overwritten. */
  readonly b: Float64Array;
  /** Output: singular values, descending. */
  readonly sigma: Float64Array;
  /** Output: right singular vectors, row-major n×n: column k (v[i·n + k]) goes with sigma[k]. */
  readonly v: Float64Array;
  /** Output: (Uᵀb)_k for the k-th singular triple (0 where sigma[k] = 0). */
  readonly utb: Float64Array;
  /** Jacobi sweeps used by the last call (for tests and diagnostics). */
  sweeps: number;
  readonly qr: QrWorkspace;
  /** R, then R·V_R, column-major n×n. */
  readonly w: Float64Array;
  /** V_R, column-major n×n. */
  readonly vr: Float64Array;
  readonly order: Int32Array;
  readonly tmp: Float64Array;
}

export function createSvdWorkspace(m: number, n: number): SvdWorkspace {
  return {
    m,
    n,
    a: new Float64Array(m * n),
    b: new Float64Array(m),
    sigma: new Float64Array(n),
    v: new Float64Array(n * n),
    utb: new Float64Array(n),
    sweeps: 0,
    qr: createQrWorkspace(m, n),
    w: new Float64Array(n * n),
    vr: new Float64Array(n * n),
    order: new Int32Array(n),
    tmp: new Float64Array(n),
  };
}

/**
 * Computes the SVD of `ws.a` (and Uᵀb of `ws.b` when `withRhs`). Entries must be finite.
 * Returns false if the Jacobi iteration did not converge in 60 sweeps (not seen in practice;
 * the results are then still a valid, slightly less accurate, factorisation).
 */
export function svd(ws: SvdWorkspace, withRhs: boolean): boolean {
  const { m, n, a, b, w, vr, qr } = ws;
  qrPivoted(a, qr, withRhs ? b : null);
  const k = Math.min(m, n);
  // W = R (column-major), V_R = I.
  w.fill(0);
  vr.fill(0);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i <= Math.min(j, k - 1); i++) w[j * n + i] = a[i * n + j]!;
    vr[j * n + j] = 1;
  }
  const converged = jacobiSweeps(ws);
  finish(ws, withRhs);
  return converged;
}

/** One-sided Jacobi: rotate column pairs of W (and V_R) until all are orthogonal. */
function jacobiSweeps(ws: SvdWorkspace): boolean {
  const { n, w, vr } = ws;
  const tol = EPS * Math.max(n, 1);
  for (let sweep = 1; sweep <= MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < n; i++) {
          const wp = w[p * n + i]!;
          const wq = w[q * n + i]!;
          alpha += wp * wp;
          beta += wq * wq;
          gamma += wp * wq;
        }
        if (gamma === 0 || Math.abs(gamma) <= tol * Math.sqrt(alpha) * Math.sqrt(beta)) continue;
        rotated = true;
        // The rotation that zeroes the (p, q) entry of WᵀW (Rutishauser's formulas).
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotate(w, n, p, q, c, s);
        rotate(vr, n, p, q, c, s);
      }
    }
    ws.sweeps = sweep;
    if (!rotated) return true;
  }
  return false;
}

function rotate(x: Float64Array, n: number, p: number, q: number, c: number, s: number): void {
  for (let i = 0; i < n; i++) {
    const xp = x[p * n + i]!;
    const xq = x[q * n + i]!;
    x[p * n + i] = c * xp - s * xq;
    x[q * n + i] = s * xp + c * xq;
  }
}

/** σ_k = ‖W_k‖, sorted descending; V = P·V_R; (Uᵀb)_k = W_kᵀ(Qᵀb)_(0:n) / σ_k. */
function finish(ws: SvdWorkspace, withRhs: boolean): void {
  const { m, n, w, vr, b, sigma, v, utb, order, tmp, qr } = ws;
  const k = Math.min(m, n);
  for (let j = 0; j < n; j++) {
    let scale = 0;
    for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(w[j * n + i]!));
    let ss = 0;
    if (scale > 0) {
      for (let i = 0; i < n; i++) {
        const x = w[j * n + i]! / scale;
        ss += x * x;
      }
    }
    tmp[j] = scale * Math.sqrt(ss);
    order[j] = j;
  }
  // Insertion sort of indices by σ descending (n is small).
  for (let i = 1; i < n; i++) {
    const oi = order[i]!;
    let j = i - 1;
    while (j >= 0 && tmp[order[j]!]! < tmp[oi]!) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = oi;
  }
  for (let kk = 0; kk < n; kk++) {
    const j = order[kk]!;
    const s = tmp[j]!;
    sigma[kk] = s;
    for (let i = 0; i < n; i++) v[qr.perm[i]! * n + kk] = vr[j * n + i]!;
    if (withRhs) {
      let dot = 0;
      if (s > 0) for (let i = 0; i < k; i++) dot += w[j * n + i]! * b[i]!;
      utb[kk] = s > 0 ? dot / s : 0;
    }
  }
}
