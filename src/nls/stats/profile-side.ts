import { type Refit, show } from "./profile-refit.js";
import { brentRoot } from "./profile-root.js";
import type { ProfilePoint } from "./profile-types.js";

/** What one side of a profile needs: the refit S(b) and the constants of τ. */
export interface SideInput {
  name: string;
  estimate: number;
  /** The fit's RSS S and s² = S/df. */
  rss: number;
  s2: number;
  /** The fit's θ (natural, all parameters): the first warm start. */
  theta: Float64Array;
  /** Step unit: the standard error, or 10 % of |estimate| without one. */
  unit: number;
  /** The search stops `maxUnits` units from the estimate. */
  maxUnits: number;
  /** The parameter's bound on this side (±Infinity when none). */
  bound: number;
  /** The t quantile the limit is at. */
  q: number;
  refit: (b: number, warm: Float64Array) => Refit;
}

export interface SideResult {
  limit: number | null;
  reason: string | null;
  points: ProfilePoint[];
}

/**
 * One limit of the profile interval, on the side `dir` (−1 lower, +1 upper): walk out from
 * the estimate until dir·τ(b) ≥ q (first to the Wald limit, then by extrapolating τ as linear
 * in b, growing each step 1.25–4×), then Brent's method on dir·τ(b) − q inside the bracket.
 * Every refit starts from the profile point nearest b. τ(b) = sign(b − θ̂)·√((S(b) − S)/s²),
 * stats:::profile.nls's statistic.
 */
export function profileSide(input: SideInput, dir: -1 | 1): SideResult {
  const { name, estimate, rss, s2, unit, q } = input;
  const points: ProfilePoint[] = [];
  const warmAt: { b: number; theta: Float64Array }[] = [{ b: estimate, theta: input.theta }];
  let failure: string | null = null;
  const tau = (b: number): number => {
    let near = warmAt[0]!;
    for (const w of warmAt) if (Math.abs(w.b - b) < Math.abs(near.b - b)) near = w;
    const r = input.refit(b, near.theta);
    if (!r.ok) {
      failure = r.reason;
      return Number.NaN;
    }
    if (r.rss < rss * (1 - 1e-8) - 1e-300) {
      failure = `a lower RSS (${show(r.rss)} < ${show(rss)}) was found with ${name} = ${show(b)}: the fit is not at the least-squares optimum; refit from there`;
      return Number.NaN;
    }
    warmAt.push({ b, theta: r.theta });
    const t = Math.sign(b - estimate) * Math.sqrt(Math.max(r.rss - rss, 0) / s2);
    points.push({ value: b, tau: t, rss: r.rss });
    return t;
  };
  const open = (reason: string): SideResult => ({ limit: null, reason, points });

  // Bracket: (inside, outside) with dir·τ(inside) < q ≤ dir·τ(outside).
  let inside = estimate;
  let gInside = -q;
  let distance = q * unit;
  const maxDistance = input.maxUnits * unit;
  for (;;) {
    let b = estimate + dir * distance;
    const pastBound = dir > 0 ? b >= input.bound : b <= input.bound;
    if (pastBound) b = input.bound;
    const g = dir * tau(b) - q;
    if (Number.isNaN(g)) return open(failure ?? `τ is not finite at ${name} = ${show(b)}`);
    if (g >= 0) {
      const root = brentRoot((x) => dir * tau(x) - q, inside, b, gInside, g, 1e-10 * unit);
      if (!root.converged) {
        return open(failure ?? `the root of the profile of ${name} was not found`);
      }
      return { limit: root.root, reason: null, points };
    }
    if (pastBound) {
      return open(
        `the profile stays below the ${side(dir)} limit up to ${name}'s bound ${show(input.bound)}`,
      );
    }
    if (distance >= maxDistance) {
      return open(
        `the profile does not reach the level within ${input.maxUnits} standard errors ${dir > 0 ? "above" : "below"} the estimate: ${name} is poorly determined in that direction`,
      );
    }
    // τ is nearly linear in b near the optimum: aim past where the line reaches q.
    const reached = g + q;
    const aim = reached > 0 ? (1.1 * distance * q) / reached : 4 * distance;
    inside = b;
    gInside = g;
    distance = Math.min(maxDistance, Math.min(4 * distance, Math.max(1.25 * distance, aim)));
  }
}

function side(dir: -1 | 1): string {
  return dir > 0 ? "upper" : "lower";
}
