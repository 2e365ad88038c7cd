import { BiogradError } from "../../core/errors.js";
import type { Ec50Estimate } from "./derived-ec50.js";
import { studentTQuantile } from "./student-t.js";

/**
 * Relative potency of two independently fitted curves, ρ = EC50_a / EC50_b (drc's EDcomp
 * ratio: ρ > 1 means curve a needs more drug, i.e. is less potent than b), with two intervals:
 *
 * - delta method on the log scale: log10 ρ = logEC50_a − logEC50_b with
 *   se² = se_a² + se_b² (independent fits), interval 10^(log10 ρ ± t·se);
 * - Fieller's (1954) interval on the linear EC50s a, b with variances v_a, v_b (the EC50s' own
 *   standard errors, independent: covariance 0): the ρ with (a − ρ·b)² ≤ t²·(v_a + ρ²·v_b),
 *
 *     g = t²·v_b/b²,   ρ = [ρ̂ ± (t/|b|)·√(v_a + ρ̂²·v_b − g·v_a)] / (1 − g),
 *
 *   bounded only when g < 1 (b significantly different from 0), else null with the reason.
 *
 * t = t_(ν, (1+level)/2) with the Welch–Satterthwaite degrees of freedom of the log-scale
 * variance, ν = (s_a² + s_b²)² / (s_a⁴/df_a + s_b⁴/df_b): the two fits have separate σ.
 */

export interface RelativePotency {
  readonly level: number;
  /** EC50_a / EC50_b. */
  readonly ratio: number;
  readonly log10Ratio: number;
  /** Standard error of log10 ρ. */
  readonly log10RatioSe: number;
  readonly df: number;
  readonly tQuantile: number;
  readonly delta: { readonly lower: number; readonly upper: number };
  readonly fieller: { readonly lower: number; readonly upper: number } | null;
  /** Why `fieller` is null (null when it is given). */
  readonly fiellerReason: string | null;
}

export function relativePotency(
  a: Ec50Estimate,
  b: Ec50Estimate,
  options: { level?: number } = {},
): RelativePotency {
  const level = options.level ?? 0.95;
  for (const [label, e] of [
    ["a", a],
    ["b", b],
  ] as const) {
    if (e.logEC50.se === null || e.EC50.se === null) {
      throw new BiogradError(
        "bad_input",
        `relative potency: curve ${label}'s EC50 has no standard error (the fit gave none)`,
      );
    }
  }
  const sa = a.logEC50.se!;
  const sb = b.logEC50.se!;
  const va = sa * sa;
  const vb = sb * sb;
  const df = (va + vb) ** 2 / ((va * va) / a.df + (vb * vb) / b.df);
  const t = studentTQuantile(0.5 + level / 2, df);
  const log10Ratio = a.logEC50.estimate - b.logEC50.estimate;
  const se = Math.sqrt(va + vb);
  const ratio = a.EC50.estimate / b.EC50.estimate;
  const delta = { lower: 10 ** (log10Ratio - t * se), upper: 10 ** (log10Ratio + t * se) };

  const eb = b.EC50.estimate;
  const vEa = a.EC50.se! ** 2;
  const vEb = b.EC50.se! ** 2;
  const g = (t * t * vEb) / (eb * eb);
  let fieller: RelativePotency["fieller"] = null;
  let fiellerReason: string | null = null;
  if (g < 1) {
    const half = (t / Math.abs(eb)) * Math.sqrt(vEa + ratio * ratio * vEb - g * vEa);
    fieller = { lower: (ratio - half) / (1 - g), upper: (ratio + half) / (1 - g) };
  } else {
    fiellerReason = `curve b's EC50 is not distinguishable from 0 at this level (g = ${g.toPrecision(3)} ≥ 1): Fieller's interval is unbounded`;
  }
  return {
    level,
    ratio,
    log10Ratio,
    log10RatioSe: se,
    df,
    tQuantile: t,
    delta,
    fieller,
    fiellerReason,
  };
}
