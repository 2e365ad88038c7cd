import { InputError } from "../../core/errors.js";
import { extraSumOfSquaresTest } from "../stats/compare-models.js";
import { akaikeWeights } from "../stats/compare-stats.js";
import type { GlobalFit, SharedComparison } from "./types.js";

/**
 * The extra-sum-of-squares F test of the shared model (fewer parameters) against the separate
 * one, as R's `anova(shared, separate)` and Prism's "Do the best-fit values differ?":
 *
 *   F = ((RSS_sh − RSS_sep)/(df_sh − df_sep)) / (RSS_sep/df_sep),   p = P(F(df_sh − df_sep, df_sep) ≥ F)
 *
 * Also ΔAICc = AICc_sh − AICc_sep and the shared model's Akaike weight.
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
  // The same test and weights as any pair of nested models (src/nls/stats/compare-*.ts).
  const stats = (x: typeof a) => ({ rss: x.rss, n: x.n, p: x.n - x.df, sumLogWeights: 0 });
  const test = extraSumOfSquaresTest(stats(a), stats(b));
  const deltaAICc = a.aicc !== null && b.aicc !== null ? a.aicc - b.aicc : null;
  return {
    rssShared: a.rss,
    rssSeparate: b.rss,
    dfShared: a.df,
    dfSeparate: b.df,
    df,
    F: test.F,
    p: test.pValue,
    deltaAICc,
    akaikeWeightShared:
      a.aicc !== null && b.aicc !== null ? akaikeWeights([a.aicc, b.aicc])[0]! : null,
  };
}
