/**
 * (JᵀJ)⁻¹ of a well-conditioned m×p Jacobian with few columns, for the many-curves path: the
 * column scaling of covariance.ts (J = J̃·D, D = diag(‖J_j‖)), then Householder QR
 * J̃ = Q·R instead of an SVD, and
 *
 *   (JᵀJ)⁻¹ = D⁻¹·R⁻¹·R⁻ᵀ·D⁻¹.
 *
 * Both factorisations are backward stable on J̃, so the two inverses agree to about ε·κ
 * (κ = σ_max/σ_min of J̃). What QR does not give is κ itself, which decides inverseGram's
 * "ill-conditioned" (κ > 1e8) and "rank-deficient" warnings; it gives a bound instead. J̃ has
 * unit columns, so σ_max ≤ ‖J̃‖_F = √p, and 1/σ_min = ‖R⁻¹‖₂ ≤ ‖R⁻¹‖_F:
 *
 *   κ ≤ √(p·‖R⁻¹‖_F²) = √(p·trace((J̃ᵀJ̃)⁻¹)).
 *
 * When that bound is at most WELL_CONDITIONED (1e6, two decades under the warning) the
 * covariance comes with neither warning, exactly as inverseGram would say; otherwise (and for
 * a zero column, a zero pivot or anything not finite) this returns false and the caller takes
 * inverseGram's SVD, its condition number and its warnings. Nothing is allocated per call.
 */

/** The largest κ bound accepted here; above it the SVD decides. */
export const WELL_CONDITIONED = 1e6;

/** The most columns this path takes (the QR and R⁻¹ are written for small p). */
export const SMALL_P = 8;

export interface SmallGramWorkspace {
  readonly maxRows: number;
  readonly p: number;
  /** J̃, row-major maxRows×p; overwritten by the QR (R in its upper p×p triangle). */
  readonly a: Float64Array;
  /** Column norms D. */
  readonly d: Float64Array;
  /** R⁻¹, row-major p×p upper triangle. */
  readonly rinv: Float64Array;
  /** Output: (JᵀJ)⁻¹, row-major p×p. */
  readonly inverse: Float64Array;
}

export function createSmallGramWorkspace(maxRows: number, p: number): SmallGramWorkspace {
  if (p < 1 || p > SMALL_P || maxRows < p) {
    throw new RangeError(`small inverse Gram: p = ${p} must be in 1..${SMALL_P} and ≤ maxRows`);
  }
  return {
    maxRows,
    p,
    a: new Float64Array(maxRows * p),
    d: new Float64Array(p),
    rinv: new Float64Array(p * p),
    inverse: new Float64Array(p * p),
  };
}

/**
 * (JᵀJ)⁻¹ of `jac` (m×p row-major, m ≤ ws.maxRows, p = ws.p) into ws.inverse; false when J
 * is not certainly well conditioned (see above) — then nothing in ws is meaningful.
 */
export function smallInverseGram(
  jac: Float64Array,
  m: number,
  ws: SmallGramWorkspace,
  /** false: the general loops even for p = 4 (tests compare the two). */
  unrolled = true,
): boolean {
  const { p, a, d, rinv, inverse } = ws;
  if (m < p || m > ws.maxRows) return false;
  if (p === 4 && unrolled) {
    if (!scaledQr4(jac, m, a, d)) return false;
  } else if (!scaledQr(jac, m, p, a, d)) return false;
  return inverseFromR(p, a, d, rinv, inverse);
}

/** Column norms into d, J̃ = J·D⁻¹ into a, and its QR (householderR); false as above. */
function scaledQr(jac: Float64Array, m: number, p: number, a: Float64Array, d: Float64Array) {
  // Column norms in one pass; a column whose squares could under- or overflow is left to
  // inverseGram, which scales before squaring.
  for (let j = 0; j < p; j++) {
    let ss = 0;
    for (let i = 0; i < m; i++) {
      const v = jac[i * p + j]!;
      ss += v * v;
    }
    if (!(ss > 1e-280 && ss < 1e280)) return false;
    d[j] = Math.sqrt(ss);
  }
  for (let j = 0; j < p; j++) {
    const inv = 1 / d[j]!;
    for (let i = 0; i < m; i++) a[i * p + j] = jac[i * p + j]! * inv;
  }
  return householderR(a, m, p);
}

/** R⁻¹ (R in a's upper triangle), the condition bound and (JᵀJ)⁻¹ into `inverse`. */
function inverseFromR(
  p: number,
  a: Float64Array,
  d: Float64Array,
  rinv: Float64Array,
  inverse: Float64Array,
): boolean {
  // R⁻¹ by back substitution, column by column (upper triangular).
  for (let c = 0; c < p; c++) {
    for (let r = p - 1; r >= 0; r--) {
      if (r > c) {
        rinv[r * p + c] = 0;
        continue;
      }
      let s = r === c ? 1 : 0;
      for (let k = r + 1; k <= c; k++) s -= a[r * p + k]! * rinv[k * p + c]!;
      rinv[r * p + c] = s / a[r * p + r]!;
    }
  }
  let trace = 0;
  for (let k = 0; k < p * p; k++) trace += rinv[k]! * rinv[k]!;
  if (!(p * trace <= WELL_CONDITIONED * WELL_CONDITIONED)) return false;
  // (J̃ᵀJ̃)⁻¹ = R⁻¹R⁻ᵀ: entry (x, y) = Σ_k R⁻¹[x][k]·R⁻¹[y][k], k ≥ max(x, y).
  for (let x = 0; x < p; x++) {
    for (let y = x; y < p; y++) {
      let s = 0;
      for (let k = y; k < p; k++) s += rinv[x * p + k]! * rinv[y * p + k]!;
      const c = s / (d[x]! * d[y]!);
      inverse[x * p + y] = c;
      inverse[y * p + x] = c;
    }
  }
  return true;
}

/**
 * Householder QR in place (row-major m×p, no pivoting): R ends in the upper p×p triangle;
 * Q is not kept. False at a zero or non-finite pivot (J̃ numerically rank-deficient).
 */
function householderR(a: Float64Array, m: number, p: number): boolean {
  for (let k = 0; k < p; k++) {
    // The columns have unit norm, so the entries are at most 1: no scaling needed here.
    const x0 = a[k * p + k]!;
    let tail = 0;
    for (let i = k + 1; i < m; i++) tail += a[i * p + k]! * a[i * p + k]!;
    const norm = Math.sqrt(x0 * x0 + tail);
    if (!(norm > 0) || !Number.isFinite(norm)) return false;
    const alpha = x0 >= 0 ? -norm : norm;
    // v = x − α·e₁: v₀ = x₀ − α (no cancellation: α has the opposite sign), the rest in place.
    const v0 = x0 - alpha;
    const vtv = v0 * v0 + tail;
    a[k * p + k] = alpha;
    if (vtv === 0) continue; // x is already α·e₁
    for (let j = k + 1; j < p; j++) {
      let s = v0 * a[k * p + j]!;
      for (let i = k + 1; i < m; i++) s += a[i * p + k]! * a[i * p + j]!;
      const t = (2 * s) / vtv;
      a[k * p + j] = a[k * p + j]! - t * v0;
      for (let i = k + 1; i < m; i++) a[i * p + j] = a[i * p + j]! - t * a[i * p + k]!;
    }
  }
  return true;
}

/**
 * `scaledQr` for p = 4 (the 4PL): the same operations on the same values in the same order —
 * each column's sums still run down the rows one by one — with the columns' sums of one pass
 * kept in locals and the stride fixed, so the same bits (test/nls/stats/small-summary.test.ts
 * compares the two on random Jacobians).
 */
function scaledQr4(jac: Float64Array, m: number, a: Float64Array, d: Float64Array): boolean {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0, row = 0; i < m; i++, row += 4) {
    const v0 = jac[row]!;
    const v1 = jac[row + 1]!;
    const v2 = jac[row + 2]!;
    const v3 = jac[row + 3]!;
    s0 += v0 * v0;
    s1 += v1 * v1;
    s2 += v2 * v2;
    s3 += v3 * v3;
  }
  if (!(s0 > 1e-280 && s0 < 1e280) || !(s1 > 1e-280 && s1 < 1e280)) return false;
  if (!(s2 > 1e-280 && s2 < 1e280) || !(s3 > 1e-280 && s3 < 1e280)) return false;
  d[0] = Math.sqrt(s0);
  d[1] = Math.sqrt(s1);
  d[2] = Math.sqrt(s2);
  d[3] = Math.sqrt(s3);
  const i0 = 1 / d[0]!;
  const i1 = 1 / d[1]!;
  const i2 = 1 / d[2]!;
  const i3 = 1 / d[3]!;
  for (let row = 0; row < 4 * m; row += 4) {
    a[row] = jac[row]! * i0;
    a[row + 1] = jac[row + 1]! * i1;
    a[row + 2] = jac[row + 2]! * i2;
    a[row + 3] = jac[row + 3]! * i3;
  }
  for (let k = 0; k < 4; k++) {
    const kk = k * 4 + k;
    const x0 = a[kk]!;
    let tail = 0;
    for (let row = kk + 4; row < 4 * m; row += 4) tail += a[row]! * a[row]!;
    const norm = Math.sqrt(x0 * x0 + tail);
    if (!(norm > 0) || !Number.isFinite(norm)) return false;
    const alpha = x0 >= 0 ? -norm : norm;
    const v0 = x0 - alpha;
    const vtv = v0 * v0 + tail;
    a[kk] = alpha;
    if (vtv === 0 || k === 3) continue;
    // Columns k+1 … 3 (absent ones stay 0 and are not written back): dot products with v in
    // one pass, each sum in row order as householderR's, then the updates in one pass.
    const base = k * 4;
    let t1 = v0 * a[base + 1]!;
    let t2 = v0 * a[base + 2]!;
    let t3 = v0 * a[base + 3]!;
    for (let row = kk + 4; row < 4 * m; row += 4) {
      const vk = a[row]!;
      if (k < 1) t1 += vk * a[row - k + 1]!;
      if (k < 2) t2 += vk * a[row - k + 2]!;
      t3 += vk * a[row - k + 3]!;
    }
    const u1 = (2 * t1) / vtv;
    const u2 = (2 * t2) / vtv;
    const u3 = (2 * t3) / vtv;
    if (k < 1) a[base + 1] = a[base + 1]! - u1 * v0;
    if (k < 2) a[base + 2] = a[base + 2]! - u2 * v0;
    a[base + 3] = a[base + 3]! - u3 * v0;
    for (let row = kk + 4; row < 4 * m; row += 4) {
      const vk = a[row]!;
      const r0 = row - k;
      if (k < 1) a[r0 + 1] = a[r0 + 1]! - u1 * vk;
      if (k < 2) a[r0 + 2] = a[r0 + 2]! - u2 * vk;
      a[r0 + 3] = a[r0 + 3]! - u3 * vk;
    }
  }
  return true;
}
