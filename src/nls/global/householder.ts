/**
 * Small dense kernels for the structured QR (block-qr.ts): unpivoted Householder triangularisation
 * of a row-major matrix and triangular solves / inverses. Unpivoted on purpose: the block
 * structure fixes the elimination order (a group's local columns, then the shared ones).
 */

/**
 * Reduces the first `k` columns of row-major `a` (m rows, `cols` columns, k ≤ cols) to upper
 * triangular form by Householder reflections, applying each to the columns right of it (the
 * shared columns and the right-hand side ride along). Rows below min(m, k) are left holding the
 * part of the trailing columns orthogonal to the first k.
 */
export function householderTriangularise(
  a: Float64Array,
  m: number,
  cols: number,
  k: number,
): void {
  const steps = Math.min(m, k);
  for (let c = 0; c < steps; c++) {
    let scale = 0;
    for (let i = c; i < m; i++) scale = Math.max(scale, Math.abs(a[i * cols + c]!));
    if (scale === 0) continue;
    let ss = 0;
    for (let i = c; i < m; i++) ss += (a[i * cols + c]! / scale) ** 2;
    const x0 = a[c * cols + c]!;
    const norm = scale * Math.sqrt(ss);
    const alpha = x0 > 0 ? -norm : norm;
    // v = x − alpha·e1 (stored in place below the diagonal, v0 separately); vᵀv = 2·norm·|v0|.
    const v0 = x0 - alpha;
    const vtv = norm * Math.abs(v0) * 2;
    a[c * cols + c] = v0;
    for (let j = c + 1; j < cols; j++) {
      let s = 0;
      for (let i = c; i < m; i++) s += a[i * cols + c]! * a[i * cols + j]!;
      const t = (2 * s) / vtv;
      if (t === 0) continue;
      for (let i = c; i < m; i++) a[i * cols + j]! -= t * a[i * cols + c]!;
    }
    a[c * cols + c] = alpha;
    for (let i = c + 1; i < m; i++) a[i * cols + c] = 0;
  }
}

/**
 * x = R⁻¹·b for the k×k upper triangle of row-major `r` (row stride `stride`, starting at
 * column `col0`), in place on `x` (length k). A zero diagonal gives a zero component (the
 * minimum-norm choice for an exactly unidentifiable parameter).
 */
export function solveUpper(
  r: Float64Array,
  stride: number,
  col0: number,
  k: number,
  x: Float64Array,
  xOffset = 0,
): void {
  for (let i = k - 1; i >= 0; i--) {
    let s = x[xOffset + i]!;
    for (let j = i + 1; j < k; j++) s -= r[i * stride + col0 + j]! * x[xOffset + j]!;
    const d = r[i * stride + col0 + i]!;
    x[xOffset + i] = d !== 0 ? s / d : 0;
  }
}

/** R⁻¹ (k×k, row-major, upper triangular) of the k×k upper triangle of `r` (stride, col0). */
export function invertUpper(
  r: Float64Array,
  stride: number,
  col0: number,
  k: number,
): Float64Array {
  const inv = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    // Column j of R⁻¹ solves R·x = e_j; only its first j + 1 entries are non-zero.
    for (let i = j; i >= 0; i--) {
      let s = i === j ? 1 : 0;
      for (let l = i + 1; l <= j; l++) s -= r[i * stride + col0 + l]! * inv[l * k + j]!;
      inv[i * k + j] = s / r[i * stride + col0 + i]!;
    }
  }
  return inv;
}
