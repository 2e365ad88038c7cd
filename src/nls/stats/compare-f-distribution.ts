import { dd, shares, twoProduct } from "./double-double.js";
import { incompleteBeta } from "./incomplete-beta.js";

/**
 * Upper tail of the F distribution, P(F ≥ f) for F ~ F(d1, d2), through the regularised
 * incomplete beta function (incomplete-beta.ts):
 *
 *   P(F ≥ f) = I_x(d2/2, d1/2),   x = d2 / (d2 + d1·f),   1 − x = d1·f / (d2 + d1·f)
 *
 * taken directly as the lower tail of the beta in x (not 1 − cdf) so small p values keep
 * their digits. 1 for f ≤ 0 (a negative F, from a "complex" model that fits worse, is no
 * evidence for it); NaN for NaN. Checked against scipy.stats.f in test/nls/stats.
 */
export function fUpperTail(f: number, d1: number, d2: number): number {
  if (Number.isNaN(f) || !(d1 > 0) || !(d2 > 0)) return Number.NaN;
  if (f <= 0) return 1;
  if (f === Number.POSITIVE_INFINITY) return 0;
  const scaled = twoProduct(d1, f);
  if (scaled.hi === Number.POSITIVE_INFINITY) {
    const r = d2 / d1 / f; // d1·f overflows: x = r/(1 + r) with r tiny
    return incompleteBeta(d2 / 2, d1 / 2, r / (1 + r), 1 / (1 + r));
  }
  const { x, y } = shares(dd(d2), scaled);
  return incompleteBeta(d2 / 2, d1 / 2, x.hi, y.hi, x.lo);
}
