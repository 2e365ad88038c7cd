import { rSquared, rSquaredOf } from "./inference.js";
import {
  createSmallGramWorkspace,
  type SmallGramWorkspace,
  smallInverseGram,
} from "./small-inverse-gram.js";
import { studentTQuantile } from "./student-t.js";
import type { NlsSummary, NlsWarning } from "./summary-types.js";

/**
 * The part of `nlsSummary` a grouped fit reports (standard errors, Wald intervals, R²,
 * correlations), for many curves of a few parameters, on buffers reused from one curve to the
 * next. Every value is computed by the same operations as nlsSummary and inference.ts; only
 * (JᵀJ)⁻¹ comes from a QR instead of an SVD (small-inverse-gram.ts: equal to about ε·κ).
 *
 * `compute` returns false wherever nlsSummary would say something more than numbers — bad
 * weights, a non-finite input, no residual degrees of freedom, a perfect fit, a Jacobian not
 * certainly well conditioned — and the caller then runs nlsSummary itself, so those fits
 * report exactly what they always did. After a true return the fields hold this curve's
 * summary until the next call: copy what you keep.
 */
export class SmallSummary
  implements
    Pick<
      NlsSummary,
      | "names"
      | "estimates"
      | "n"
      | "p"
      | "df"
      | "rss"
      | "sigma"
      | "standardErrors"
      | "lower"
      | "upper"
      | "correlation"
      | "rSquared"
      | "level"
      | "warnings"
    >
{
  readonly p: number;
  readonly estimates: Float64Array;
  readonly standardErrors: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** Row-major p×p. */
  readonly correlation: Float64Array;
  /** Always empty: a summary with a warning is left to nlsSummary. */
  readonly warnings: NlsWarning[] = [];
  n = 0;
  df = 0;
  rss = Number.NaN;
  sigma: number | null = null;
  rSquared: number | null = null;
  level = 0.95;
  private readonly gram: SmallGramWorkspace;
  // The t quantile of the last (level, df): a run's curves mostly share both.
  private quantileKey = { level: Number.NaN, df: Number.NaN, q: Number.NaN };

  constructor(
    readonly names: readonly string[],
    maxRows: number,
  ) {
    const p = names.length;
    this.p = p;
    this.estimates = new Float64Array(p);
    this.standardErrors = new Float64Array(p);
    this.lower = new Float64Array(p);
    this.upper = new Float64Array(p);
    this.correlation = new Float64Array(p * p);
    this.gram = createSmallGramWorkspace(maxRows, p);
  }

  /**
   * The summary of θ̂ (`theta`, the p free parameters) from the first m residuals
   * r_i = √w_i·(y_i − f_i) and the m×p Jacobian at θ̂; `weights` and `y` are m long.
   * `knownTss`, when given, is R²'s total sum of squares Σ w_i(y_i − ȳ_w)², which `rSquared`
   * would otherwise compute from y and weights: the caller vouches it is the same number.
   */
  compute(
    theta: Float64Array,
    residuals: Float64Array,
    jacobian: Float64Array,
    m: number,
    weights: Float64Array | null,
    y: Float64Array,
    level: number,
    knownTss: number | null = null,
  ): boolean {
    const p = this.p;
    let nobs = m;
    if (weights !== null) {
      nobs = 0;
      for (let i = 0; i < m; i++) {
        const w = weights[i]!;
        if (!(Number.isFinite(w) && w >= 0)) return false; // nlsSummary's error to raise
        if (w !== 0) nobs++;
      }
    }
    for (let j = 0; j < p; j++) if (!Number.isFinite(theta[j]!)) return false;
    let rss = 0;
    for (let i = 0; i < m; i++) rss += residuals[i]! ** 2;
    if (!Number.isFinite(rss) || rss === 0) return false;
    const df = nobs - p;
    if (df <= 0) return false;
    // A non-finite Jacobian entry fails the factorisation.
    if (!smallInverseGram(jacobian, m, this.gram)) return false;
    const inverse = this.gram.inverse;
    const s2 = rss / df;
    const q = this.quantile(level, df);
    for (let j = 0; j < p; j++) {
      const t = theta[j]!;
      const se = Math.sqrt(inverse[j * p + j]! * s2);
      this.estimates[j] = t;
      this.standardErrors[j] = se;
      this.lower[j] = t - q * se;
      this.upper[j] = t + q * se;
    }
    const corr = this.correlation;
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < p; b++) {
        corr[a * p + b] =
          a === b ? 1 : inverse[a * p + b]! / Math.sqrt(inverse[a * p + a]! * inverse[b * p + b]!);
      }
    }
    this.n = nobs;
    this.df = df;
    this.rss = rss;
    this.sigma = Math.sqrt(s2);
    this.rSquared = knownTss === null ? rSquared(rss, y, weights) : rSquaredOf(rss, knownTss);
    this.level = level;
    return true;
  }

  private quantile(level: number, df: number): number {
    const last = this.quantileKey;
    if (last.level !== level || last.df !== df) {
      this.quantileKey = { level, df, q: studentTQuantile(0.5 + level / 2, df) };
    }
    return this.quantileKey.q;
  }
}
