import { InputError } from "../../core/errors.js";
import { fUpperTail } from "../stats/compare-f-distribution.js";
import type { GlobalFit, SharedComparison } from "./types.js";

/**
 * The extra-sum-of-squares F test of the shared model (fewer parameters) against the separate
 * one, as R's `anova(shared, separate)` and Prism's "Do the best-fit values differ?":
 *
 *   F = ((RSS_sh − RSS_sep)/(df_sh − df_sep)) / (RSS_sep/df_sep),   p = P(F(df_sh − df_sep, df_sep) ≥ F)
 *
 * with the upper tail through the regularised incomplete beta function,
 * P(F(d1, d2) ≥ F) = I_x(d2/2, d1/2), x = d2/(d2 + d1·F) — no cancellation for tiny p. Also
 * ΔAICc = AICc_sh − AICc_sep and the shared model's Akaike weight 1/(1 + exp(ΔAICc/2)).
 */
export function compareShared(shared: GlobalFit, separate: GlobalFit): SharedComparison {
  const a = shared.summary;
  const b = separate.summary;
  const df = a.df - b.df;
  if (!(df > 0) || a.n !== b.n) {
    throw new InputError(
      `compare shared: the shared model must have fewer parameters than the separate one on the same rows (got ${a.p} and ${b.p} parameters, ${a.n} and ${b.n} rows)`,
    );
  }
  const ss = a.rss - b.rss;
  const F = ss / df / (b.rss / b.df);
  const deltaAICc = a.aicc !== null && b.aicc !== null ? a.aicc - b.aicc : null;
  return {
    rssShared: a.rss,
    rssSeparate: b.rss,
    dfShared: a.df,
    dfSeparate: b.df,
    df,
    F,
    p: fUpperTail(F, df, b.df),
    deltaAICc,
    akaikeWeightShared: deltaAICc === null ? null : 1 / (1 + Math.exp(deltaAICc / 2)),
  };
}
