import { BiogradError } from "../../core/errors.js";
import { fUpperTail } from "./compare-f-distribution.js";
import { akaikeWeights, informationOf, type ModelFitStats } from "./compare-stats.js";

/**
 * Comparing two least-squares fits of the same data, as R's anova(nls, nls), GraphPad Prism's
 * "compare" and drc's anova/EDcomp do.
 *
 * Extra-sum-of-squares F test (nested models only: the simple model is the complex one with
 * some parameters fixed or shared; Motulsky & Christopoulos 2004, ch. 22):
 *
 *   F = ((RSS_s − RSS_c)/(df_s − df_c)) / (RSS_c/df_c),   df = n − p,
 *   p value = P(F(df_s − df_c, df_c) ≥ F)
 *
 * AICc for any pair (nested or not), with Akaike weights; ΔAICc = AICc_complex − AICc_simple
 * (> 0 favours the simple model). The preferred model by F is the complex one when p < alpha,
 * else the simple one; by AICc the lower AICc (the simple one on a tie).
 */

export interface NamedFitStats extends ModelFitStats {
  readonly name: string;
}

export interface FTest {
  /** df_s − df_c: the parameters the complex model adds. */
  readonly dfNumerator: number;
  /** df_c = n − p_c. */
  readonly dfDenominator: number;
  /** RSS_s − RSS_c. */
  readonly ss: number;
  readonly F: number;
  readonly pValue: number;
}

export interface ComparedModel {
  readonly name: string;
  readonly rss: number;
  /** Residual degrees of freedom n − p. */
  readonly df: number;
  readonly aic: number;
  readonly aicc: number | null;
  readonly akaikeWeight: number | null;
}

export interface ModelComparison {
  readonly simple: ComparedModel;
  readonly complex: ComparedModel;
  /** null when the models are not nested (options.nested false). */
  readonly fTest: FTest | null;
  /** AICc_complex − AICc_simple; null when either AICc is undefined. */
  readonly deltaAICc: number | null;
  readonly alpha: number;
  readonly preferredByF: string | null;
  readonly preferredByAICc: string | null;
  /** Plain-language doubts (e.g. the complex fit is worse, so it did not reach its optimum). */
  readonly warnings: readonly string[];
}

export interface CompareOptions {
  /** Significance level of the F test. Default 0.05. */
  alpha?: number;
  /** Whether `simple` is nested in `complex`; without nesting there is no F test. Default true. */
  nested?: boolean;
}

/** The extra-sum-of-squares F test of `simple` nested in `complex`. */
export function extraSumOfSquaresTest(simple: ModelFitStats, complex: ModelFitStats): FTest {
  checkSameData(simple, complex);
  const dfS = simple.n - simple.p;
  const dfC = complex.n - complex.p;
  if (!(dfS > dfC)) {
    throw new BiogradError(
      "bad_input",
      `F test: the simple model must have fewer parameters than the complex one (got ${simple.p} and ${complex.p})`,
    );
  }
  if (!(dfC > 0)) {
    throw new BiogradError(
      "bad_input",
      `F test: the complex model has no residual degrees of freedom (${complex.n} points, ${complex.p} parameters)`,
    );
  }
  const ss = simple.rss - complex.rss;
  const dfNumerator = dfS - dfC;
  const F = ss / dfNumerator / (complex.rss / dfC);
  return { dfNumerator, dfDenominator: dfC, ss, F, pValue: fUpperTail(F, dfNumerator, dfC) };
}

export function compareModels(
  simple: NamedFitStats,
  complex: NamedFitStats,
  options: CompareOptions = {},
): ModelComparison {
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) {
    throw new BiogradError(
      "invalid_option",
      `compareModels: alpha must be in (0, 1), got ${alpha}`,
    );
  }
  checkSameData(simple, complex);
  const nested = options.nested ?? true;
  const fTest = nested ? extraSumOfSquaresTest(simple, complex) : null;
  const is = informationOf(simple);
  const ic = informationOf(complex);
  const both = is.aicc !== null && ic.aicc !== null;
  const weights = both ? akaikeWeights([is.aicc!, ic.aicc!]) : null;
  const describe = (s: NamedFitStats, i: typeof is, w: number | null): ComparedModel => ({
    name: s.name,
    rss: s.rss,
    df: s.n - s.p,
    aic: i.aic,
    aicc: i.aicc,
    akaikeWeight: w,
  });
  const warnings: string[] = [];
  if (nested && complex.rss > simple.rss) {
    warnings.push(
      `the more complex model "${complex.name}" fits worse (RSS ${complex.rss.toPrecision(6)} > ${simple.rss.toPrecision(6)}): its fit did not reach its optimum, so the F test is not meaningful`,
    );
  }
  if (!both) warnings.push("AICc needs n > p + 2 for both models: no AICc comparison");
  return {
    simple: describe(simple, is, weights?.[0] ?? null),
    complex: describe(complex, ic, weights?.[1] ?? null),
    fTest,
    deltaAICc: both ? ic.aicc! - is.aicc! : null,
    alpha,
    preferredByF: fTest === null ? null : fTest.pValue < alpha ? complex.name : simple.name,
    preferredByAICc: both ? (ic.aicc! < is.aicc! ? complex.name : simple.name) : null,
    warnings,
  };
}

function checkSameData(a: ModelFitStats, b: ModelFitStats): void {
  if (a.n !== b.n) {
    throw new BiogradError(
      "bad_input",
      `model comparison: the fits use different numbers of observations (${a.n} and ${b.n}); compare fits of the same data`,
    );
  }
}
