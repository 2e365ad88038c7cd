/**
 * Dense LU with partial pivoting, in place on a row-major n×n buffer (Doolittle, unit lower
 * triangle stored below the diagonal). Used for the Rosenbrock iteration matrix I/(γh) − J,
 * factored once per step and reused for every stage and every sensitivity column.
 */

/** Factors `a` in place; returns false when a pivot is exactly zero (singular matrix). */
export function luFactor(a: Float64Array, n: number, pivots: Int32Array): boolean {
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(a[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[i * n + k]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    pivots[k] = p;
    if (best === 0 || !Number.isFinite(best)) return false;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const tmp = a[k * n + j]!;
        a[k * n + j] = a[p * n + j]!;
        a[p * n + j] = tmp;
      }
    }
    const inv = 1 / a[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const row = i * n;
      const m = a[row + k]! * inv;
      a[row + k] = m;
      if (m === 0) continue;
      for (let j = k + 1; j < n; j++) a[row + j] = a[row + j]! - m * a[k * n + j]!;
    }
  }
  return true;
}

/** Solves (LU) x = b in place on the first n entries of `b` starting at `offset`. */
export function luSolve(
  a: Float64Array,
  n: number,
  pivots: Int32Array,
  b: Float64Array,
  offset = 0,
): void {
  for (let k = 0; k < n; k++) {
    const p = pivots[k]!;
    if (p !== k) {
      const tmp = b[offset + k]!;
      b[offset + k] = b[offset + p]!;
      b[offset + p] = tmp;
    }
  }
  for (let i = 1; i < n; i++) {
    let s = b[offset + i]!;
    const row = i * n;
    for (let j = 0; j < i; j++) s -= a[row + j]! * b[offset + j]!;
    b[offset + i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[offset + i]!;
    const row = i * n;
    for (let j = i + 1; j < n; j++) s -= a[row + j]! * b[offset + j]!;
    b[offset + i] = s / a[row + i]!;
  }
}

/**
 * Solves (LU) X = B in place for m right-hand sides stored row-major (n×m) in `b` from
 * `offset`: the sensitivity block, where row i holds ∂y_i/∂θ_l for every l. The inner loops
 * run over the contiguous columns, so the m solves cost about one pass over LU.
 */
export function luSolveMany(
  a: Float64Array,
  n: number,
  pivots: Int32Array,
  b: Float64Array,
  offset: number,
  m: number,
): void {
  for (let k = 0; k < n; k++) {
    const p = pivots[k]!;
    if (p === k) continue;
    const rk = offset + k * m;
    const rp = offset + p * m;
    for (let l = 0; l < m; l++) {
      const tmp = b[rk + l]!;
      b[rk + l] = b[rp + l]!;
      b[rp + l] = tmp;
    }
  }
  for (let i = 1; i < n; i++) {
    const ri = offset + i * m;
    for (let j = 0; j < i; j++) {
      const f = a[i * n + j]!;
      if (f === 0) continue;
      const rj = offset + j * m;
      for (let l = 0; l < m; l++) b[ri + l] = b[ri + l]! - f * b[rj + l]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    const ri = offset + i * m;
    for (let j = i + 1; j < n; j++) {
      const f = a[i * n + j]!;
      if (f === 0) continue;
      const rj = offset + j * m;
      for (let l = 0; l < m; l++) b[ri + l] = b[ri + l]! - f * b[rj + l]!;
    }
    const inv = 1 / a[i * n + i]!;
    for (let l = 0; l < m; l++) b[ri + l] = b[ri + l]! * inv;
  }
}
