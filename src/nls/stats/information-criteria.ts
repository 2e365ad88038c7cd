/**
 * Log-likelihood, AIC and BIC of a least-squares fit exactly as R computes them for an `nls`
 * fit (stats:::logLik.nls, stats::AIC, stats::BIC): Gaussian errors with variance σ²/w_i, σ²
 * estimated by maximum likelihood (RSS/N), observations with zero weight left out,
 *
 *   logLik = −N/2 · (log(2π) + 1 − log N − Σ log w_i / N + log RSS),   N = #{w_i > 0}
 *   AIC = −2·logLik + 2·(p + 1),   BIC = −2·logLik + log(N)·(p + 1)
 *
 * (p + 1: the p parameters and σ). RSS = Σ w_i (y_i − f_i)², the weighted residuals squared.
 * A perfect fit (RSS = 0) gives logLik = +∞, as in R.
 */
export interface InformationCriteria {
  readonly logLik: number;
  readonly aic: number;
  readonly bic: number;
  /** N, the observations with non-zero weight. */
  readonly nobs: number;
  /** Parameters counted: p + 1. */
  readonly df: number;
}

export function informationCriteria(
  rss: number,
  p: number,
  weights: Float64Array | null,
  m: number,
): InformationCriteria {
  let nobs = m;
  let sumLogW = 0;
  if (weights !== null) {
    nobs = 0;
    for (let i = 0; i < m; i++) {
      const w = weights[i]!;
      if (w === 0) continue;
      nobs++;
      sumLogW += Math.log(w);
    }
  }
  const logLik =
    (-nobs * (Math.log(2 * Math.PI) + 1 - Math.log(nobs) - sumLogW / nobs + Math.log(rss))) / 2;
  const df = p + 1;
  return { logLik, aic: -2 * logLik + 2 * df, bic: -2 * logLik + Math.log(nobs) * df, nobs, df };
}
