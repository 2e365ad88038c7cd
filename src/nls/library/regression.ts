/**
 * Linear least squares for self-starting rules: a weighted straight line, y ≈ a·g and
 * y ≈ a + b·g for a fixed shape g (the conditionally linear parameters of a model), and a
 * small weighted multiple regression. Degenerate input gives `null` or a documented
 * default, never NaN.
 */

export interface Line {
  readonly intercept: number;
  readonly slope: number;
}

/**
 * Weighted least-squares line z ≈ intercept + slope·t over the points with w > 0 (all
 * weights 1 when `w` is omitted). Centred sums, so large offsets in t do not cancel.
 * `null` when fewer than two distinct t carry weight or a result is not finite.
 */
export function fitLine(
  t: ArrayLike<number>,
  z: ArrayLike<number>,
  w?: ArrayLike<number>,
): Line | null {
  let sw = 0;
  let st = 0;
  let sz = 0;
  for (let i = 0; i < t.length; i++) {
    const wi = w === undefined ? 1 : w[i]!;
    if (!(wi > 0) || !Number.isFinite(wi)) continue;
    sw += wi;
    st += wi * t[i]!;
    sz += wi * z[i]!;
  }
  if (!(sw > 0)) return null;
  const mt = st / sw;
  const mz = sz / sw;
  let stt = 0;
  let stz = 0;
  for (let i = 0; i < t.length; i++) {
    const wi = w === undefined ? 1 : w[i]!;
    if (!(wi > 0) || !Number.isFinite(wi)) continue;
    const dt = t[i]! - mt;
    stt += wi * dt * dt;
    stz += wi * dt * (z[i]! - mz);
  }
  if (!(stt > 0)) return null;
  const slope = stz / stt;
  const intercept = mz - slope * mt;
  return Number.isFinite(slope) && Number.isFinite(intercept) ? { intercept, slope } : null;
}

/**
 * y ≈ a·g by least squares, with its residual sum of squares. g is rescaled by its largest
 * magnitude first, so tiny (underflowing) shapes still give a finite a; a = 0 when g is 0.
 */
export function fitScale(g: ArrayLike<number>, y: ArrayLike<number>): { a: number; rss: number } {
  let scale = 0;
  for (let i = 0; i < g.length; i++) scale = Math.max(scale, Math.abs(g[i]!));
  let sgy = 0;
  let sgg = 0;
  if (scale > 0 && Number.isFinite(scale)) {
    for (let i = 0; i < g.length; i++) {
      const gi = g[i]! / scale;
      sgy += gi * y[i]!;
      sgg += gi * gi;
    }
  }
  const a = sgg > 0 ? sgy / sgg / scale : 0;
  let rss = 0;
  for (let i = 0; i < g.length; i++) {
    const r = y[i]! - a * g[i]!;
    rss += r * r;
  }
  return Number.isFinite(a) && Number.isFinite(rss)
    ? { a, rss }
    : { a: 0, rss: Number.POSITIVE_INFINITY };
}

/** y ≈ a + b·g by least squares (b = 0 when g is constant), with the RSS. */
export function fitAffine(
  g: ArrayLike<number>,
  y: ArrayLike<number>,
): { a: number; b: number; rss: number } {
  const line = fitLine(g, y);
  let a: number;
  let b: number;
  if (line === null) {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += y[i]!;
    a = y.length > 0 ? s / y.length : 0;
    b = 0;
  } else {
    a = line.intercept;
    b = line.slope;
  }
  let rss = 0;
  for (let i = 0; i < y.length; i++) {
    const r = y[i]! - a - b * g[i]!;
    rss += r * r;
  }
  return Number.isFinite(rss) ? { a, b, rss } : { a, b, rss: Number.POSITIVE_INFINITY };
}

/**
 * Weighted linear least squares z ≈ X·β for a few predictors (X row-major, n × p), by the
 * normal equations with columns scaled to unit weighted norm and Gaussian elimination with
 * partial pivoting. Fine for p ≤ 4 well-scaled start problems; `null` when singular.
 */
export function leastSquares(
  X: Float64Array,
  p: number,
  z: ArrayLike<number>,
  w: ArrayLike<number>,
): Float64Array | null {
  const n = z.length;
  const scale = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) scale[j]! += w[i]! * X[i * p + j]! ** 2;
  }
  for (let j = 0; j < p; j++) {
    scale[j] = Math.sqrt(scale[j]!);
    if (!(scale[j]! > 0) || !Number.isFinite(scale[j]!)) return null;
  }
  // Augmented normal equations [XᵀWX | XᵀWz] in scaled columns.
  const A = new Float64Array(p * (p + 1));
  for (let i = 0; i < n; i++) {
    const wi = w[i]!;
    for (let j = 0; j < p; j++) {
      const xj = X[i * p + j]! / scale[j]!;
      for (let k = 0; k < p; k++) A[j * (p + 1) + k]! += wi * xj * (X[i * p + k]! / scale[k]!);
      A[j * (p + 1) + p]! += wi * xj * z[i]!;
    }
  }
  for (let c = 0; c < p; c++) {
    let best = c;
    for (let r = c + 1; r < p; r++) {
      if (Math.abs(A[r * (p + 1) + c]!) > Math.abs(A[best * (p + 1) + c]!)) best = r;
    }
    const pivot = A[best * (p + 1) + c]!;
    if (!(Math.abs(pivot) > 1e-12)) return null;
    if (best !== c) {
      for (let k = 0; k <= p; k++) {
        const t = A[c * (p + 1) + k]!;
        A[c * (p + 1) + k] = A[best * (p + 1) + k]!;
        A[best * (p + 1) + k] = t;
      }
    }
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = A[r * (p + 1) + c]! / pivot;
      if (f === 0) continue;
      for (let k = c; k <= p; k++) A[r * (p + 1) + k]! -= f * A[c * (p + 1) + k]!;
    }
  }
  const beta = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    beta[j] = A[j * (p + 1) + p]! / A[j * (p + 1) + j]! / scale[j]!;
    if (!Number.isFinite(beta[j]!)) return null;
  }
  return beta;
}
