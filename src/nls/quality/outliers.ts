import type { CurveFunction } from "../../core/curve.js";
import { type CurveData, curveProblem } from "../curve-problem.js";
import type { CurveFit } from "../fit-curve.js";
import { type ParameterSpec, parameterise, toInternal, toNatural } from "../parameters.js";
import { levenbergMarquardt } from "../solvers/levenberg-marquardt.js";
import { studentTQuantile, twoSidedPValue } from "../stats/student-t.js";
import { DistinctX } from "./distinct-x.js";

/**
 * Possible outliers, in the manner of ROUT (Motulsky & Brown 2006, "Detecting outliers when
 * fitting data with nonlinear regression – a new method based on robust nonlinear regression
 * and the false discovery rate", BMC Bioinformatics 7:123). Flagged, never removed.
 *
 * 1. Robust fit. ROUT minimises a Lorentzian loss Σ log(1 + (r_i/c)²) with an adaptive scale c.
 *    Approximated here by iteratively reweighted least squares with the Lorentzian's weights,
 *    w_i = w⁰_i / (1 + (r_i/c)²), c = RSDR of the least-squares residuals, each step a Levenberg–
 *    Marquardt refit from the previous estimate, until θ changes by < 1e-8 relative (or 30
 *    steps). Points far from the curve get little weight, so they cannot pull it towards them.
 * 2. Robust SD of the residuals: RSDR = P68·N/(N − K), P68 the 68.27th percentile of |r_i|
 *    (r_i = √w⁰_i·(y_i − f_i)), N points, K parameters; the larger of its values at the robust
 *    and at the least-squares fit (see below).
 * 3. Each point's t = |r_i|/RSDR and two-sided p value with N − K degrees of freedom.
 * 4. Benjamini–Hochberg at Q (default 1 %): with the p values sorted ascending, the largest k
 *    with p_(k) ≤ k·Q/N; the k points with the smallest p are the possible outliers.
 *
 * The differences from Prism's ROUT (its exact robust scale and stopping) only move points
 * near the threshold; the method needs N − K ≥ 1 and a non-zero RSDR.
 */

export interface OutlierOptions {
  /** The false discovery rate Q, in (0, 1). Default 0.01. */
  q?: number;
  /**
   * Skip the robust refit when no least-squares residual comes near a flaggable size: the
   * largest |r_i|/RSDR below SCREEN_FRACTION × the two-sided t quantile at Q (the least any
   * flagged point's t can be, since Benjamini–Hochberg flags only p ≤ Q). The refit costs ~20
   * LM runs and almost never flags a curve this screen passes over; on simulated 4PL curves
   * with planted outliers every flagged curve had a ratio ≥ 1.0 (the screen sits at 0.8;
   * test/nls/quality/outliers-screen.test.ts). Flags are the same; a screened report carries
   * skipped = "screened", rsdr NaN and the least-squares θ. Default false.
   */
  screen?: boolean;
  /**
   * The robust steps' weighted refit, when the caller has a cheaper one that runs the same
   * Levenberg–Marquardt fit (the many-curves path: many/weighted-refit.ts, on reused buffers).
   * Returning null falls back to the library run. Default: the library run.
   */
  refit?: StepRefit;
  /**
   * Evaluate the curve once per distinct x (distinct-x.ts: the same bits for a CurveFunction
   * whose f_i depends on row i alone, as core/curve.ts asks). Default false: every row.
   */
  distinctX?: boolean;
}

/**
 * A robust step's weighted refit, optionally with `robust`: the whole robust fit at once (the
 * same fixed point by fewer evaluations, many/robust-irls.ts), returning the robust θ or null
 * to fall back to refits step by step.
 */
export type StepRefit = ((
  data: CurveData,
  specs: readonly ParameterSpec[],
) => { theta: Float64Array; converged: boolean } | null) & {
  robust?: (
    data: CurveData,
    specs: readonly ParameterSpec[],
    start: Float64Array,
    c: number,
  ) => Float64Array | null;
};

/** The screen's margin: the fraction of the critical t that the largest residual must reach. */
export const SCREEN_FRACTION = 0.8;

export interface OutlierReport {
  readonly q: number;
  /** Rows flagged as possible outliers, ascending. */
  readonly rows: readonly number[];
  /** RSDR at the robust fit (NaN when skipped). */
  readonly rsdr: number;
  /** θ of the robust fit (the least-squares θ when skipped). */
  readonly robustTheta: Float64Array;
  /** Why the test was not run (null when it was). */
  readonly skipped: string | null;
}

export function findOutliers(
  curve: CurveFunction,
  data: CurveData,
  specs: readonly ParameterSpec[],
  fit: Pick<CurveFit, "converged" | "theta"> & {
    readonly summary: { readonly p: number };
    /**
     * √w_i·(y_i − f_i) at `theta` (n long), when the caller has them: used for the
     * least-squares RSDR and the screen instead of evaluating the curve again.
     */
    readonly residuals?: Float64Array;
  },
  options: OutlierOptions = {},
): OutlierReport {
  const q = options.q ?? 0.01;
  const n = data.y.length;
  const k = fit.summary.p;
  if (!fit.converged) return skipped(q, fit.theta, "the fit did not converge");
  if (n - k < 1) return skipped(q, fit.theta, "no residual degrees of freedom");
  const w0 = data.weights;
  const buf = scratch(n);
  if (options.distinctX === true && buf.distinct?.p !== curve.params.length) {
    buf.distinct = new DistinctX(n, curve.params.length);
  }
  buf.useDistinct = options.distinctX === true;
  let theta = fit.theta;
  const given = fit.residuals;
  const ls = given?.length === n ? given : residualsAt(curve, data, theta, buf, buf.ls);
  const c = rsdr(ls, k);
  if (options.screen === true && c > 0 && Number.isFinite(c)) {
    let largest = 0;
    for (let i = 0; i < n; i++) largest = Math.max(largest, Math.abs(ls[i]!));
    if (largest / c < SCREEN_FRACTION * criticalT(q, n - k)) return skipped(q, theta, "screened");
  }
  const whole = c > 0 ? (options.refit?.robust?.(data, specs, theta, c) ?? null) : null;
  if (whole !== null) theta = Float64Array.from(whole);
  for (let step = 0; step < 30 && c > 0 && whole === null; step++) {
    const r = residualsAt(curve, data, theta, buf, buf.r);
    const weights = Float64Array.from(r, (ri, i) => (w0?.[i] ?? 1) / (1 + (ri / c) ** 2));
    const starts = specs.map((s, j) => {
      const v = theta[j]!;
      const inside = v > (s.lower ?? -Infinity) && v < (s.upper ?? Infinity);
      return s.fixed || !inside ? s : { ...s, start: v };
    });
    let next: { theta: Float64Array; converged: boolean };
    try {
      const weighted = { ...data, weights };
      next = options.refit?.(weighted, starts) ?? weightedRefit(curve, weighted, starts);
    } catch {
      break;
    }
    if (!next.converged) break;
    let change = 0;
    for (let j = 0; j < theta.length; j++) {
      change = Math.max(change, Math.abs(next.theta[j]! - theta[j]!) / (Math.abs(theta[j]!) || 1));
    }
    theta = next.theta;
    if (change < 1e-8) break;
  }
  const r = residualsAt(curve, data, theta, buf, buf.r);
  // The larger of the robust fit's RSDR and the least-squares fit's (P68 is itself robust to
  // a minority of outliers): the robust fit can hug the majority of the points, and its
  // smaller RSDR alone made the test liberal (3 % of clean simulated 4PL curves flagged at
  // Q = 1 %; 1 of 300 with this choice, 8 clean curves × 3 replicates, sd 2 %).
  const scale = Math.max(rsdr(r, k), c);
  if (!(scale > 0) || !Number.isFinite(scale)) {
    return skipped(q, theta, "the robust SD of the residuals is zero");
  }
  return { q, rows: flagged(r, scale, q, n - k), rsdr: scale, robustTheta: theta, skipped: null };
}

/** A report of a test not run (why), with no rows. */
function skipped(q: number, theta: Float64Array, why: string): OutlierReport {
  return { q, rows: NO_ROWS, rsdr: Number.NaN, robustTheta: theta, skipped: why };
}
const NO_ROWS: readonly number[] = Object.freeze([]);

/** √w⁰_i·(y_i − f_i) at θ into `into` (a reused buffer); unweighted: y_i − f_i, the same bits. */
function residualsAt(
  curve: CurveFunction,
  data: CurveData,
  theta: Float64Array,
  buf: Scratch,
  into: Float64Array,
): Float64Array {
  const n = data.y.length;
  const { y, weights } = data;
  if (buf.useDistinct && buf.distinct !== null)
    buf.distinct.evaluate(curve, theta, data.columns, n, buf.f, null);
  else curve.evaluate(theta, data.columns, n, buf.f, null);
  if (weights === null) for (let i = 0; i < n; i++) into[i] = y[i]! - buf.f[i]!;
  else for (let i = 0; i < n; i++) into[i] = Math.sqrt(weights[i]!) * (y[i]! - buf.f[i]!);
  return into;
}

/**
 * Benjamini–Hochberg at Q on the two-sided p values of t_i = |r_i|/scale: the rows of the
 * `cut` smallest p values, cut the largest rank with p_(rank) ≤ rank·Q/N. Since rank·Q/N ≤ Q,
 * only points with p ≤ Q — |t| at or above the two-sided critical t at Q — can be under the
 * line, and p is decreasing in |t|; so the p values (incomplete beta functions) are computed
 * for those few candidates only, and the ranks of the others can never be the cut. The
 * critical t is taken a hair low (1e-6 relative) so an error in the quantile cannot drop a
 * point whose p is Q to within that.
 */
function flagged(r: Float64Array, scale: number, q: number, df: number): readonly number[] {
  const n = r.length;
  const bar = criticalT(q, df) * (1 - 1e-6);
  if (candidateP.length < n) {
    candidateP = new Float64Array(n);
    candidateRow = new Int32Array(n);
  }
  const ps = candidateP;
  const at = candidateRow;
  // The candidates in ascending p, ties in row order (the order a stable sort by p gives):
  // each one inserted after those with a p ≤ its own.
  let m = 0;
  for (let i = 0; i < n; i++) {
    const t = Math.abs(r[i]!) / scale;
    if (t >= bar) {
      const p = twoSidedPValue(t, df);
      let k = m;
      for (; k > 0 && ps[k - 1]! > p; k--) {
        ps[k] = ps[k - 1]!;
        at[k] = at[k - 1]!;
      }
      ps[k] = p;
      at[k] = i;
      m++;
    }
  }
  let cut = 0;
  for (let rank = 1; rank <= m; rank++) {
    if (ps[rank - 1]! <= (rank * q) / n) cut = rank;
  }
  if (cut === 0) return NO_ROWS;
  // The flagged rows ascending, frozen as NO_ROWS is (every frozen array has one shape in V8:
  // the code reading `rows` sees one kind of array; flags.ts says what a new kind costs).
  const rows: number[] = [];
  for (let k = 0; k < cut; k++) rows.push(at[k]!);
  rows.sort((a, b) => a - b);
  return Object.freeze(rows);
}

// flagged's candidates (p value, row), grown to the longest curve seen.
let candidateP = new Float64Array(64);
let candidateRow = new Int32Array(64);

/** Per-call buffers of findOutliers, reused across calls of the same length. */
interface Scratch {
  f: Float64Array;
  ls: Float64Array;
  r: Float64Array;
  /** Evaluation once per distinct x (OutlierOptions.distinctX), made when first asked for. */
  distinct: DistinctX | null;
  /** Whether this call asked for it. */
  useDistinct: boolean;
}
const scratches = new Map<number, Scratch>();
function scratch(n: number): Scratch {
  let s = scratches.get(n);
  if (s === undefined) {
    const f = new Float64Array(n);
    s = { f, ls: new Float64Array(n), r: new Float64Array(n), distinct: null, useDistinct: false };
    scratches.set(n, s);
  }
  return s;
}

/**
 * The robust step's weighted refit: exactly `fitCurve(curve, data, starts, { firstOrder:
 * false })`'s Levenberg–Marquardt run and estimates, without the summary (standard errors,
 * intervals) that fitCurve computes and the outlier test never reads — that summary cost as
 * much as the LM run itself.
 */
function weightedRefit(
  curve: CurveFunction,
  data: CurveData,
  specs: readonly ParameterSpec[],
): { theta: Float64Array; converged: boolean } {
  const param = parameterise(specs);
  const lm = levenbergMarquardt(curveProblem(curve, data, param), toInternal(param), {});
  const theta = new Float64Array(curve.params.length);
  toNatural(param, lm.theta, theta, new Float64Array(param.free.length));
  return { theta, converged: lm.converged };
}

// The two-sided critical t of the last (Q, df) asked: a run's curves mostly share both.
let lastCritical = { q: Number.NaN, df: Number.NaN, t: Number.NaN };
function criticalT(q: number, df: number): number {
  if (lastCritical.q !== q || lastCritical.df !== df) {
    lastCritical = { q, df, t: studentTQuantile(1 - q / 2, df) };
  }
  return lastCritical.t;
}

let sorted = new Float64Array(64);
const top = new Float64Array(64);

/** RSDR = P68(|r|)·N/(N − K), P68 by linear interpolation between order statistics. */
export function rsdr(r: Float64Array, k: number): number {
  const n = r.length;
  const pos = 0.6827 * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  let alo: number;
  let ahi: number;
  // The order statistics lo and lo + 1 of |r| are the two least of its n − lo largest values
  // (n ≥ 2 makes n − lo ≥ 2): kept in a small sorted buffer, about half the moves of sorting
  // all of |r| for a curve's rows. The same two values, so the same bits.
  if (n >= 2 && n <= 64 && largest(r, n, n - lo)) {
    alo = top[0]!;
    ahi = top[1]!;
  } else {
    const a = sortedAbs(r);
    alo = a[lo]!;
    ahi = a[hi]!;
  }
  const p68 = alo + (pos - lo) * (ahi - alo);
  return (p68 * n) / (n - k);
}

/**
 * The `count` largest |r_i| ascending in `top`; false (top meaningless) at a NaN, whose place
 * in an order only the full sort below decides as rsdr always has.
 */
function largest(r: Float64Array, n: number, count: number): boolean {
  let held = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.abs(r[i]!);
    if (Number.isNaN(v)) return false;
    if (held < count) {
      let j = held - 1;
      while (j >= 0 && top[j]! > v) {
        top[j + 1] = top[j]!;
        j--;
      }
      top[j + 1] = v;
      held++;
    } else if (v > top[0]!) {
      // v replaces the least held value; the others below v move down one place.
      let j = 1;
      while (j < count && top[j]! < v) {
        top[j - 1] = top[j]!;
        j++;
      }
      top[j - 1] = v;
    }
  }
  return true;
}

/** |r| sorted ascending in a reused buffer (by insertion for a curve's few rows). */
function sortedAbs(r: Float64Array): Float64Array {
  const n = r.length;
  let a = sorted;
  if (a.length < n) {
    a = new Float64Array(Math.max(n, 2 * a.length));
    sorted = a;
  }
  if (n > 64) {
    for (let i = 0; i < n; i++) a[i] = Math.abs(r[i]!);
    a.subarray(0, n).sort();
  } else {
    for (let i = 0; i < n; i++) {
      const v = Math.abs(r[i]!);
      let j = i - 1;
      while (j >= 0 && a[j]! > v) {
        a[j + 1] = a[j]!;
        j--;
      }
      a[j + 1] = v;
    }
  }
  return a;
}
