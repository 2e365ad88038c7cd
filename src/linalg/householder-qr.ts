/**
 * Householder QR with column pivoting (Businger–Golub, as LAPACK's dgeqp3/dlaqp2) of a small
 * dense row-major m×n matrix, in place:
 *
 *   A·P = Q·R,   R upper triangular with |R_00| ≥ |R_11| ≥ …,   Q = H_0 H_1 … H_(k−1)
 *
 * Written here rather than taken from a library: the callers (the Levenberg–Marquardt solver,
 * the covariance) work on preallocated row-major Float64Array buffers and refactor every
 * iteration, and only need R, the permutation and Qᵀb — not Q. ml-matrix's QR works on its own
 * Matrix objects (a copy in and out per call), has no column pivoting and forms Q.
 *
 * Column pivoting makes R "graded" (large entries first), which is what lets the one-sided
 * Jacobi SVD that follows (jacobi-svd.ts) converge in a few sweeps with high relative accuracy.
 */

const EPS = 2.220446049250313e-16;
const TOL3Z = Math.sqrt(EPS);

/** Buffers for one m×n factorisation; allocate once, reuse for every matrix of that shape. */
export interface QrWorkspace {
  readonly m: number;
  readonly n: number;
  /** perm[k] = the original column now in position k. */
  readonly perm: Int32Array;
  /** Partial column norms (LAPACK's vn1) and the norms they were last recomputed at (vn2). */
  readonly norms: Float64Array;
  readonly norms0: Float64Array;
}

export function createQrWorkspace(m: number, n: number): QrWorkspace {
  return {
    m,
    n,
    perm: new Int32Array(n),
    norms: new Float64Array(n),
    norms0: new Float64Array(n),
  };
}

/** Overflow-safe 2-norm of column j of row-major `a` (n columns) over rows [from, m). */
function columnNorm(a: Float64Array, m: number, n: number, j: number, from: number): number {
  let scale = 0;
  let ssq = 1;
  for (let i = from; i < m; i++) {
    const v = a[i * n + j]!;
    if (v === 0) continue;
    const av = Math.abs(v);
    if (scale < av) {
      ssq = 1 + ssq * (scale / av) * (scale / av);
      scale = av;
    } else {
      ssq += (av / scale) * (av / scale);
    }
  }
  return scale * Math.sqrt(ssq);
}

/**
 * Factorises `a` (row-major m×n, overwritten: R in its upper triangle, the Householder vectors
 * below it) and applies Qᵀ to `b` (length m) in place when given. `ws.perm` receives the column
 * permutation. Rows ≥ min(m, n) of R are zero.
 */
export function qrPivoted(a: Float64Array, ws: QrWorkspace, b: Float64Array | null): void {
  const { m, n, perm, norms, norms0 } = ws;
  for (let j = 0; j < n; j++) {
    perm[j] = j;
    norms[j] = columnNorm(a, m, n, j, 0);
    norms0[j] = norms[j]!;
  }
  const k = Math.min(m, n);
  for (let c = 0; c < k; c++) {
    // Pivot: bring the column of largest remaining norm to position c.
    let pj = c;
    for (let j = c + 1; j < n; j++) if (norms[j]! > norms[pj]!) pj = j;
    if (pj !== c) {
      for (let i = 0; i < m; i++) {
        const t = a[i * n + c]!;
        a[i * n + c] = a[i * n + pj]!;
        a[i * n + pj] = t;
      }
      const tp = perm[c]!;
      perm[c] = perm[pj]!;
      perm[pj] = tp;
      norms[pj] = norms[c]!;
      norms0[pj] = norms0[c]!;
    }
    // Householder reflector H = I − τ v vᵀ (v_c = 1) with H·a[c:, c] = β e_c (LAPACK dlarfg).
    const alpha = a[c * n + c]!;
    const xnorm = columnNorm(a, m, n, c, c + 1);
    if (xnorm !== 0) applyReflector(a, m, n, c, alpha, xnorm, b);
    // Downdate the partial norms; recompute when cancellation has eaten their accuracy.
    for (let j = c + 1; j < n; j++) {
      const nj = norms[j]!;
      if (nj === 0) continue;
      const r = Math.abs(a[c * n + j]!) / nj;
      const t = Math.max(0, (1 + r) * (1 - r));
      const q = nj / norms0[j]!;
      if (t * q * q <= TOL3Z) {
        norms[j] = columnNorm(a, m, n, j, c + 1);
        norms0[j] = norms[j]!;
      } else {
        norms[j] = nj * Math.sqrt(t);
      }
    }
  }
}

/** Builds the reflector for column c (below-diagonal norm `xnorm` ≠ 0) and applies it. */
function applyReflector(
  a: Float64Array,
  m: number,
  n: number,
  c: number,
  alpha: number,
  xnorm: number,
  b: Float64Array | null,
): void {
  const beta = -Math.sign(alpha || 1) * Math.hypot(alpha, xnorm);
  const tau = (beta - alpha) / beta;
  const inv = 1 / (alpha - beta);
  for (let i = c + 1; i < m; i++) a[i * n + c]! *= inv;
  a[c * n + c] = beta;
  for (let j = c + 1; j < n; j++) {
    let s = a[c * n + j]!;
    for (let i = c + 1; i < m; i++) s += a[i * n + c]! * a[i * n + j]!;
    s *= tau;
    a[c * n + j]! -= s;
    for (let i = c + 1; i < m; i++) a[i * n + j]! -= s * a[i * n + c]!;
  }
  if (b !== null) {
    let s = b[c]!;
    for (let i = c + 1; i < m; i++) s += a[i * n + c]! * b[i]!;
    s *= tau;
    b[c]! -= s;
    for (let i = c + 1; i < m; i++) b[i]! -= s * a[i * n + c]!;
  }
}
