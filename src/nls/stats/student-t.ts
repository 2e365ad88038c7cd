import { dd, shares, twoProduct } from "./double-double.js";
import { incompleteBeta } from "./incomplete-beta.js";
import { logBeta } from "./log-gamma.js";

/**
 * Student t distribution through the regularised incomplete beta (incomplete-beta.ts):
 *
 *   P(T ≤ −|t|) = ½·I_x(ν/2, ½),   x = ν/(ν + t²),   1 − x = t²/(ν + t²)
 *
 * (both x and 1 − x from t and ν directly), and the quantile by Newton's method on the log
 * tail. Checked against scipy.stats.t to 1e-13 relative in test/nls/stats/student-t.test.ts.
 */

/**
 * ½·I_x(ν/2, ½) = P(T ≤ −|t|), the lower tail at −|t|: x = ν/(ν + t²) and 1 − x from t² and
 * ν in double-double (the fraction needs x's low part at a large ν).
 */
function lowerTail(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0;
  const t2 = twoProduct(t, t);
  const { x, y } = t2.hi === Number.POSITIVE_INFINITY ? overflowShares(t, df) : shares(dd(df), t2);
  return 0.5 * incompleteBeta(df / 2, 0.5, x.hi, y.hi, x.lo);
}

/** t² overflows: x = r/(1 + r), 1 − x = 1/(1 + r) with r = ν/t² (tiny). */
function overflowShares(t: number, df: number) {
  const r = df / Math.abs(t) / Math.abs(t);
  return { x: dd(r / (1 + r)), y: dd(1 / (1 + r)) };
}

/** P(T ≤ t) for T ~ t(df), df > 0. */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (t === 0) return 0.5;
  const tail = lowerTail(t, df);
  return t < 0 ? tail : 1 - tail;
}

/**
 * Two-sided p value P(|T| ≥ |t|) = I_x(ν/2, ½), computed from the lower tail so that tiny p
 * values keep their digits (1 − cdf would cancel to 0 below ~1e-16). 0 for |t| = ∞.
 */
export function twoSidedPValue(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (t === 0) return 1;
  return 2 * lowerTail(t, df);
}

/** Quantiles asked for again and again (one level, a few df): kept per q, then per df. */
const cache = new Map<number, Map<number, number>>();
const CACHE_LIMIT = 4096;
let cached = 0;

/**
 * The q-quantile of t(df): P(T ≤ x) = q, for 0 < q < 1 and df > 0. Remembered per (q, df):
 * a run of grouped fits asks for the same few quantiles thousands of times.
 */
export function studentTQuantile(q: number, df: number): number {
  let byDf = cache.get(q);
  const hit = byDf?.get(df);
  if (hit !== undefined) return hit;
  const value = computeQuantile(q, df);
  if (cached >= CACHE_LIMIT) {
    cache.clear();
    cached = 0;
    byDf = undefined;
  }
  if (byDf === undefined) {
    byDf = new Map();
    cache.set(q, byDf);
  }
  byDf.set(df, value);
  cached++;
  return value;
}

function computeQuantile(q: number, df: number): number {
  if (Number.isNaN(q) || !(df > 0) || q < 0 || q > 1) return Number.NaN;
  if (q === 0) return Number.NEGATIVE_INFINITY;
  if (q === 1) return Number.POSITIVE_INFINITY;
  if (q === 0.5) return 0;
  // p = the lower tail of the negative quantile; 1 − q is exact for q ≥ ½.
  const p = q < 0.5 ? q : 1 - q;
  const magnitude = upperQuantile(p, df);
  return q < 0.5 ? -magnitude : magnitude;
}

/** t > 0 with P(T ≤ −t) = p, 0 < p < ½. */
function upperQuantile(p: number, df: number): number {
  // Closed forms: the Cauchy distribution (ν = 1) and ν = 2.
  if (df === 1) return 1 / Math.tan(Math.PI * p);
  if (df === 2) return (1 - 2 * p) / Math.sqrt(2 * p * (1 - p));
  const lnP = Math.log(p);
  const lnB = logBeta(df / 2, 0.5);
  // Two starts, the better one kept: Cornish–Fisher about the normal quantile (the body and
  // large ν) and the power-law tail P(T ≤ −t) ≈ ν^(ν/2)·t^(−ν)/(ν·B(ν/2, ½)) (small ν, far out).
  const z = normalUpperQuantile(p);
  const z2 = z * z;
  const cornishFisher =
    z + (z * (z2 + 1)) / (4 * df) + (z * ((5 * z2 + 16) * z2 + 3)) / (96 * df * df);
  const powerTail = Math.sqrt(df) * Math.exp(-(lnP + Math.log(df) + lnB) / df);
  const miss = (t: number) => Math.abs(Math.log(lowerTail(t, df)) - lnP);
  let u = Math.log(miss(cornishFisher) <= miss(powerTail) ? cornishFisher : powerTail);
  // Newton on g(u) = ln P(T ≤ −e^u) − ln p, nearly linear in u in the tail (≈ −ν·u + c):
  //   g'(u) = −t·f(t)/P(T ≤ −t),   f(t) = (1 + t²/ν)^(−(ν+1)/2) / (√ν·B(ν/2, ½)).
  let settled = 0;
  for (let k = 0; k < 100 && settled < 2; k++) {
    const t = Math.exp(u);
    const tail = lowerTail(t, df);
    const lnDensity = (-(df + 1) / 2) * Math.log1p((t * t) / df) - 0.5 * Math.log(df) - lnB;
    const slope = -t * Math.exp(lnDensity - Math.log(tail));
    const step = (Math.log(tail) - lnP) / slope;
    u -= step;
    // Converged: two steps in a row below ~20 ulp of t (the second polishes the first).
    if (Math.abs(step) < 4e-15) settled++;
  }
  // Two polishing steps in t itself (exp(u) would add its own rounding): t −= (P − p)/(−f).
  let t = Math.exp(u);
  for (let k = 0; k < 2; k++) {
    const density = Math.exp((-(df + 1) / 2) * Math.log1p((t * t) / df) - 0.5 * Math.log(df) - lnB);
    t += (lowerTail(t, df) - p) / density;
  }
  return t;
}

/**
 * A start for the normal upper quantile z (P(Z ≥ z) = p, p ≤ ½): Abramowitz & Stegun 26.2.23,
 * |error| < 4.5e-4 — Newton polishes it.
 */
function normalUpperQuantile(p: number): number {
  const s = Math.sqrt(-2 * Math.log(p));
  return (
    s -
    (2.515517 + s * (0.802853 + s * 0.010328)) /
      (1 + s * (1.432788 + s * (0.189269 + s * 0.001308)))
  );
}
