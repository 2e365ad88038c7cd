import type { OdeCurve } from "./ode-curve.js";
import type { ResidualLayout } from "./residual-layout.js";

/**
 * The share of each observable's variation a fit must explain before Levenberg–Marquardt from
 * the start may stand alone: RSS_o ≤ MIN_EXPLAINED·Σ(y − ȳ_o)² over the observable's measured
 * cells (R²_o ≥ 0.5) — the curve fits' rule (src/nls/fit-curve.ts, `goodEnough`), taken per
 * observable because a dynamic model can fit one observable and flatten another.
 */
export const MIN_EXPLAINED = 0.5;

/**
 * The least z of the Wald–Wolfowitz runs test on each observable's residual signs (in time
 * order) for a fit without systematic misfit: fewer sign changes than that (one-sided
 * p ≈ 0.006 for independent noise) mean the trajectory runs beside the data for long
 * stretches — a period off, a transient too slow, a rate run off to a degenerate corner.
 */
export const MIN_RUNS_Z = -2.5;

/** Per observable: R² (NaN without variation) and the runs test's z (NaN: too few cells). */
export interface ObservableFit {
  readonly r2: number;
  readonly runsZ: number;
}

/** R² and the runs test of every observable of the curve at θ (one evaluation of it). */
export function observableFits(
  curve: OdeCurve,
  layout: ResidualLayout,
  observables: number,
  theta: Float64Array,
): ObservableFit[] {
  const f = new Float64Array(layout.n);
  curve.evaluate(theta, [layout.t], layout.n, f, null);
  return Array.from({ length: observables }, (_, o) => {
    const y: number[] = [];
    const r: number[] = [];
    for (let k = 0; k < layout.n; k++) {
      if (layout.obs[k] !== o) continue;
      y.push(layout.y[k]!);
      r.push(layout.y[k]! - f[k]!); // residual order is time order within an observable
    }
    return { r2: rSquared(y, r), runsZ: runsZ(r) };
  });
}

/**
 * Whether a fit looks like the optimum a longer search would also find: every observable's
 * R² ≥ MIN_EXPLAINED and its residual signs pass the runs test (z ≥ MIN_RUNS_Z, or too few
 * cells for the test to say anything). On Lotka–Volterra's 200 far starts the local optima
 * LM reached explain at most 27 % of one observable and have z ≤ −3.2 on both, the best
 * value R² ≥ 0.985 and z ≥ −0.4; a logistic fit whose capacity ran off to ∞ (an
 * exponential curve through a sigmoid) explains 80 % of the yeast culture but has z = −3.5
 * (bench/ode/FIT-RESULTS.md). A fit that fails the test takes the longer road, so a genuinely
 * poor or misspecified optimum costs time, not the answer.
 */
export function looksOptimal(fits: readonly ObservableFit[]): boolean {
  return fits.every(
    (o) => o.r2 >= MIN_EXPLAINED && (Number.isNaN(o.runsZ) ? true : o.runsZ >= MIN_RUNS_Z),
  );
}

/** 1 − RSS/Σ(y − ȳ)²; NaN without variation. */
function rSquared(y: readonly number[], r: readonly number[]): number {
  if (y.length < 2) return Number.NaN;
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  let total = 0;
  let rss = 0;
  for (let k = 0; k < y.length; k++) {
    total += (y[k]! - mean) ** 2;
    rss += r[k]! ** 2;
  }
  return total > 0 ? 1 - rss / total : Number.NaN;
}

/**
 * The runs test's z = (runs − μ)/σ with μ = 1 + 2ab/(a+b), σ² = 2ab(2ab − a − b)/((a+b)²(a+b−1))
 * for a positive and b negative residuals (zeros skipped); −∞ when every residual has the
 * same sign, NaN when there are fewer than two (or too few for σ > 0).
 */
function runsZ(r: readonly number[]): number {
  const signs = r.filter((x) => x !== 0).map((x) => x > 0);
  const a = signs.filter((s) => s).length;
  const b = signs.length - a;
  if (signs.length < 2) return Number.NaN;
  if (a === 0 || b === 0) return Number.NEGATIVE_INFINITY; // one sign throughout: a bias
  let runs = 1;
  for (let k = 1; k < signs.length; k++) if (signs[k] !== signs[k - 1]) runs++;
  const n = a + b;
  const mu = 1 + (2 * a * b) / n;
  const variance = (2 * a * b * (2 * a * b - n)) / (n * n * (n - 1));
  return variance > 0 ? (runs - mu) / Math.sqrt(variance) : Number.NaN;
}
