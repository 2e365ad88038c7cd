import { createRng, shuffleInPlace } from "../../core/rng.js";
import type { ParameterSpec } from "../../nls/parameters.js";

/**
 * How far from its start a parameter without a finite bound on a side is sampled: a factor
 * of START_SPREAD for a positive parameter (log scale), ±START_SPREAD·max(|start|, 1) for
 * the others.
 */
export const START_SPREAD = 10;

/** Where one parameter's starts are drawn from. */
export interface StartRange {
  readonly name: string;
  readonly lower: number;
  readonly upper: number;
  /** Log-uniform (a positive parameter) or uniform. */
  readonly log: boolean;
}

/**
 * The sampling box of each free parameter. A parameter is positive when its lower bound is
 * ≥ 0 and its start > 0; it is drawn log-uniformly between its lower bound (or start/10 when
 * the bound is 0 or absent) and its upper bound (or start·10). Others are drawn uniformly
 * between their bounds, or start ∓ 10·max(|start|, 1) where a bound is missing. Draws stay
 * strictly inside the bounds (the reparameterisation needs an interior start).
 */
export function startRanges(specs: readonly ParameterSpec[]): StartRange[] {
  return specs.map((s) => {
    const lower = s.lower ?? Number.NEGATIVE_INFINITY;
    const upper = s.upper ?? Number.POSITIVE_INFINITY;
    if (lower >= 0 && s.start > 0) {
      let hi = Number.isFinite(upper) ? upper : s.start * START_SPREAD;
      let lo = lower > 0 ? lower : s.start / START_SPREAD;
      if (!(lo < hi)) lo = hi / (START_SPREAD * START_SPREAD);
      if (lo === lower) lo = nudgeUp(lo);
      if (hi === upper) hi = nudgeDown(hi);
      return { name: s.name, lower: lo, upper: hi, log: true };
    }
    const width = START_SPREAD * Math.max(Math.abs(s.start), 1);
    const lo = Number.isFinite(lower) ? nudgeUp(lower) : s.start - width;
    const hi = Number.isFinite(upper) ? nudgeDown(upper) : s.start + width;
    return { name: s.name, lower: lo, upper: hi, log: false };
  });
}

/**
 * `count` Latin-hypercube starts (count × p, row-major): each parameter's range is cut into
 * `count` strata of equal probability, each stratum used once, in an independently shuffled
 * order per parameter, with a uniform draw inside the stratum. Seeded (xoshiro): the same
 * seed gives the same starts on every machine and worker count.
 */
export function latinHypercubeStarts(
  ranges: readonly StartRange[],
  count: number,
  seed: number,
): Float64Array {
  const p = ranges.length;
  const rng = createRng(seed);
  const out = new Float64Array(count * p);
  const order = new Uint32Array(count);
  ranges.forEach((range, j) => {
    for (let i = 0; i < count; i++) order[i] = i;
    shuffleInPlace(order, rng);
    for (let i = 0; i < count; i++) {
      const u = (order[i]! + rng.uniform()) / count;
      out[i * p + j] = range.log
        ? Math.exp(Math.log(range.lower) + u * (Math.log(range.upper) - Math.log(range.lower)))
        : range.lower + u * (range.upper - range.lower);
    }
  });
  return out;
}

function nudgeUp(x: number): number {
  return x + Math.max(Math.abs(x), 1e-300) * 1e-9;
}

function nudgeDown(x: number): number {
  return x - Math.max(Math.abs(x), 1e-300) * 1e-9;
}
