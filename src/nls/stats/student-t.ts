import tCdf from "@stdlib/stats-base-dists-t-cdf";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";

/**
 * Student t distribution, through stdlib (@stdlib/stats-base-dists-t-cdf and -quantile: the
 * regularised incomplete beta function and its inverse, Boost-derived, accurate to a few ulps
 * over the range used here — checked against scipy.stats.t in test/nls/stats).
 */

/** P(T ≤ t) for T ~ t(df), df > 0. */
export function studentTCdf(t: number, df: number): number {
  return tCdf(t, df);
}

/** The q-quantile of t(df): P(T ≤ x) = q, for 0 < q < 1 and df > 0. */
export function studentTQuantile(q: number, df: number): number {
  return tQuantile(q, df);
}

/**
 * Two-sided p value P(|T| ≥ |t|) = 2·P(T ≤ −|t|), computed from the lower tail so that tiny p
 * values keep their digits (1 − cdf would cancel to 0 below ~1e-16). 0 for |t| = ∞.
 */
export function twoSidedPValue(t: number, df: number): number {
  if (Number.isNaN(t)) return Number.NaN;
  return 2 * tCdf(-Math.abs(t), df);
}
