import betainc from "@stdlib/math-base-special-betainc";

/**
 * Upper tail of the F distribution, P(F ≥ f) for F ~ F(d1, d2), through the regularised
 * incomplete beta function (stdlib's Boost-derived betainc):
 *
 *   P(F ≥ f) = I_x(d2/2, d1/2),   x = d2 / (d2 + d1·f)
 *
 * taken directly as the lower tail of the beta in x (not 1 − cdf) so small p values keep
 * their digits. 1 for f ≤ 0 (a negative F, from a "complex" model that fits worse, is no
 * evidence for it); NaN for NaN.
 */
export function fUpperTail(f: number, d1: number, d2: number): number {
  if (Number.isNaN(f)) return Number.NaN;
  if (f <= 0) return 1;
  if (f === Number.POSITIVE_INFINITY) return 0;
  return betainc(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
}
