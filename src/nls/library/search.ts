/**
 * One-dimensional searches for self-starting rules. Most library models are linear in some
 * parameters once the others are fixed (Vmax once Km is fixed; y0 and plateau once k is
 * fixed), so the residual sum of squares can be minimised over the nonlinear ones alone
 * (variable projection, as in R's `plinear`). These searches do that cheaply and without
 * derivatives: a log-spaced grid, then golden-section search in the best grid cell.
 */

const INV_PHI = (Math.sqrt(5) - 1) / 2;

/** f(v) with NaN counted as +∞, so searches never adopt it. */
function safe(f: (v: number) => number, v: number): number {
  const r = f(v);
  return Number.isNaN(r) ? Number.POSITIVE_INFINITY : r;
}

/**
 * The v in [lo, hi] that minimises f: `points` evenly spaced grid values, then (when
 * `polish`) golden-section search between the best one's neighbours, down to `tolerance`
 * of that bracket. Returns the best point evaluated.
 */
export function minimize(
  f: (v: number) => number,
  lo: number,
  hi: number,
  points = 41,
  polish = true,
  tolerance = 1e-3,
): number {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) {
    return Number.isFinite(lo) ? lo : 0;
  }
  const g = (u: number) => safe(f, u);
  const step = (hi - lo) / (points - 1);
  let best = 0;
  let bestValue = Number.POSITIVE_INFINITY;
  for (let i = 0; i < points; i++) {
    const value = g(lo + i * step);
    if (value < bestValue) {
      bestValue = value;
      best = i;
    }
  }
  if (!polish) return lo + best * step;
  const left = lo + Math.max(0, best - 1) * step;
  const right = lo + Math.min(points - 1, best + 1) * step;
  return golden(g, left, right, lo + best * step, bestValue, tolerance);
}

/** As `minimize`, on a log scale over [lo, hi] with 0 < lo < hi. */
export function minimizeLog(
  f: (v: number) => number,
  lo: number,
  hi: number,
  points = 41,
  polish = true,
  tolerance = 1e-3,
): number {
  const a = Math.log(lo);
  const b = Math.log(hi);
  if (!(b > a) || !Number.isFinite(a) || !Number.isFinite(b)) return Number.isFinite(lo) ? lo : 1;
  return Math.exp(minimize((u) => f(Math.exp(u)), a, b, points, polish, tolerance));
}

/**
 * Golden-section search on [left, right] down to `relative` of its width (10⁻³: about 15
 * steps; a start needs no more); returns the best point seen (at worst `u0`).
 */
function golden(
  g: (u: number) => number,
  left: number,
  right: number,
  u0: number,
  g0: number,
  relative: number,
) {
  let lo = left;
  let hi = right;
  let bestU = u0;
  let bestG = g0;
  const tolerance = relative * (hi - lo);
  let c = hi - INV_PHI * (hi - lo);
  let d = lo + INV_PHI * (hi - lo);
  let gc = g(c);
  let gd = g(d);
  while (hi - lo > tolerance) {
    if (gc < gd) {
      hi = d;
      d = c;
      gd = gc;
      c = hi - INV_PHI * (hi - lo);
      gc = g(c);
    } else {
      lo = c;
      c = d;
      gc = gd;
      d = lo + INV_PHI * (hi - lo);
      gd = g(d);
    }
    if (gc < bestG) {
      bestG = gc;
      bestU = c;
    }
    if (gd < bestG) {
      bestG = gd;
      bestU = d;
    }
  }
  return bestU;
}

/**
 * One coordinate of a cyclic search: `log` ones (which must be non-zero; the sign is kept)
 * move by factors of 10^(width·shrink), the others by ±width·shrink.
 */
export interface Coordinate {
  readonly index: number;
  readonly width: number;
  readonly log?: boolean;
}

/**
 * Cyclic coordinate search: for each shrink factor in turn, each coordinate is minimised
 * over an 11-point grid in its window around the current value (with golden-section search
 * in the last round). Returns a new array; entries only move when f improves, so the
 * result is never worse than the start.
 */
export function refine(
  values: readonly number[],
  coordinates: readonly Coordinate[],
  f: (values: readonly number[]) => number,
  shrink: readonly number[] = [1, 0.2, 0.04],
): number[] {
  const score = (v: readonly number[]) => {
    const r = f(v);
    return Number.isNaN(r) ? Number.POSITIVE_INFINITY : r;
  };
  const current = values.slice();
  let currentValue = score(current);
  for (let round = 0; round < shrink.length; round++) {
    const factor = shrink[round]!;
    const last = round === shrink.length - 1;
    for (const { index, width, log } of coordinates) {
      const v = current[index]!;
      if (!Number.isFinite(v) || (log === true && v === 0)) continue;
      const trial = current.slice();
      const at = (u: number) => {
        trial[index] = u;
        return score(trial);
      };
      let u: number;
      if (log === true) {
        const span = 10 ** (width * factor);
        const sign = Math.sign(v);
        const m = Math.abs(v);
        u = sign * minimizeLog((a) => at(sign * a), m / span, m * span, 11, last);
      } else {
        u = minimize(at, v - width * factor, v + width * factor, 11, last);
      }
      const value = at(u);
      if (value < currentValue) {
        current[index] = u;
        currentValue = value;
      }
    }
  }
  return current;
}

/**
 * `refine` over positive entries on a log scale, each within a shrinking factor of its
 * current value (by default 10, then 1.6, then 1.1).
 */
export function refinePositive(
  values: readonly number[],
  indices: readonly number[],
  f: (values: readonly number[]) => number,
  spans: readonly number[] = [10, 1.6, 1.1],
): number[] {
  const coordinates = indices.map((index) => ({ index, width: 1, log: true }));
  return refine(values, coordinates, f, spans.map(Math.log10));
}
