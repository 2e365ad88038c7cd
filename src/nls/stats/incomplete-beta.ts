import { add, type DoubleDouble, dd, div, mul, twoProduct } from "./double-double.js";
import {
  HALF_LN_2PI,
  logGamma,
  logGammaRatio,
  STIRLING_FROM,
  stirlingCorrection,
} from "./log-gamma.js";

/**
 * The regularised incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b), a, b > 0, by its
 * continued fraction (DLMF 8.17.22):
 *
 *   I_x(a, b) = x^a·(1 − x)^b / (a·B(a, b)) · 1/(1 + d₁/(1 + d₂/(1 + …)))
 *   d_(2m+1) = −(a + m)(a + b + m)·x / ((a + 2m)(a + 2m + 1))
 *   d_(2m)   = m(b − m)·x / ((a + 2m − 1)(a + 2m))
 *
 * which converges quickly for x < (a + 1)/(a + b + 2); above that, I_x(a, b) = 1 − I_y(b, a).
 * The caller passes both x and y = 1 − x, each computed directly from its own variables (for
 * the t and F distributions: from t² and ν, from f and the degrees of freedom), so a tail
 * probability near 0 keeps its relative digits on either side.
 */

const EPS = 2.220446049250313e-16;
const TINY = 1e-300;
const MAX_TERMS = 20000;

/**
 * I_x(a, b) with y = 1 − x given separately, and optionally the low parts of both (x + xLow
 * and y + yLow to double-double precision, double-double.ts). The fraction is evaluated on
 * its natural side (x < (a + 1)/(a + b + 2): directly, else as 1 − I_y(b, a)). When that
 * result is sensitive to the last bit of its variable — a large a with x near 1, where the
 * error estimates (in units of ε)
 *
 *   direct:      1 + x^a·y^b/(B·y·I)                (x's last bit)
 *   complement:  (1 − I)/I + x^a·y^b/(B·x·I)        (cancellation, then y's last bit)
 *
 * run into the thousands — the direct fraction is evaluated again in double-double at
 * x + xLow, which leaves only the prefactor's few ε.
 */
export function incompleteBeta(a: number, b: number, x: number, y: number, xLow = 0): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const full = Math.exp(logPowerTerms(a, b, x, y)); // x^a·y^b/B(a, b)
  let value: number;
  let error: number;
  if (x < (a + 1) / (a + b + 2)) {
    value = (full / a) * continuedFraction(a, b, x);
    error = 1 + full / (y * value);
  } else {
    value = 1 - (full / b) * continuedFraction(b, a, y);
    error = (1 - value) / value + full / (x * value);
  }
  if (!(error > SENSITIVE) || !(value > 0)) return value;
  return (full / a) * preciseContinuedFraction(a, b, dd(x, xLow));
}

/** Error estimates (in ε) above this take the double-double fraction: 200ε ≈ 4e-14. */
const SENSITIVE = 200;

/** 1/(1 + d₁/(1 + d₂/(1 + …))) by the modified Lentz method. */
function continuedFraction(a: number, b: number, x: number): number {
  let c = 1;
  let d = 0;
  let f = 1;
  for (let j = 1; j <= MAX_TERMS; j++) {
    const m = j >> 1;
    const dj =
      (j & 1) === 1
        ? (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))
        : (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 + dj * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + dj / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return 1 / f;
}

/** The same fraction in double-double arithmetic (about 4× the work; rare). */
function preciseContinuedFraction(a: number, b: number, x: DoubleDouble): number {
  const one = dd(1);
  let c = one;
  let d = dd(0);
  let f = one;
  for (let j = 1; j <= MAX_TERMS; j++) {
    const m = j >> 1;
    // Numerator and denominator are exact products of small integers and halves.
    const ratio =
      (j & 1) === 1
        ? div(twoProduct(-(a + m), a + b + m), twoProduct(a + 2 * m, a + 2 * m + 1))
        : div(twoProduct(m, b - m), twoProduct(a + 2 * m - 1, a + 2 * m));
    const dj = mul(ratio, x);
    d = add(one, mul(dj, d));
    if (Math.abs(d.hi) < TINY) d = dd(TINY);
    c = add(one, div(dj, c));
    if (Math.abs(c.hi) < TINY) c = dd(TINY);
    d = div(one, d);
    const delta = mul(c, d);
    f = mul(f, delta);
    if (Math.abs(delta.hi - 1 + delta.lo) < EPS * EPS) break;
  }
  return 1 / (f.hi + f.lo);
}

/**
 * ln(x^a·y^b / B(a, b)). With both a and b large, a·ln x and ln B(a, b) are each far larger
 * than their difference, so Stirling's series is expanded about x₀ = a/(a + b), where the
 * terms cancel analytically (as in DiDonato and Morris's algorithm 708):
 *
 *   = a·ln(x/x₀) + b·ln(y/y₀) + ½·ln(ab/(a + b)) − ½·ln 2π − δ(a) − δ(b) + δ(a + b),
 *
 * x/x₀ − 1 = (x·(a + b) − a)/a with the product taken exactly (Dekker), so no digits are lost
 * beyond those of x itself.
 */
export function logPowerTerms(a: number, b: number, x: number, y: number): number {
  if (a >= STIRLING_FROM && b >= STIRLING_FROM) {
    const c = a + b;
    return (
      a * logRatio(x, c, a) +
      b * logRatio(y, c, b) +
      0.5 * Math.log((a / c) * b) -
      HALF_LN_2PI -
      stirlingCorrection(a) -
      stirlingCorrection(b) +
      stirlingCorrection(c)
    );
  }
  const lnX = x < 0.5 ? Math.log(x) : Math.log1p(-y);
  const lnY = y < 0.5 ? Math.log(y) : Math.log1p(-x);
  let lnB: number;
  if (a >= STIRLING_FROM) lnB = logGamma(b) + logGammaRatio(a, b);
  else if (b >= STIRLING_FROM) lnB = logGamma(a) + logGammaRatio(b, a);
  else lnB = logGamma(a) + logGamma(b) - logGamma(a + b);
  return a * lnX + b * lnY - lnB;
}

const SPLIT = 134217729; // 2^27 + 1

/** ln(u·c/a): near 1 as log1p of the exactly computed offset, elsewhere directly. */
function logRatio(u: number, c: number, a: number): number {
  const offset = relativeOffset(u, c, a);
  return Math.abs(offset) < 0.5 ? Math.log1p(offset) : Math.log((u * c) / a);
}

/** (u·c − a)/a with u·c computed exactly as hi + lo (Dekker's product). */
function relativeOffset(u: number, c: number, a: number): number {
  const hi = u * c;
  const su = SPLIT * u;
  const uh = su - (su - u);
  const ul = u - uh;
  const sc = SPLIT * c;
  const ch = sc - (sc - c);
  const cl = c - ch;
  const lo = uh * ch - hi + uh * cl + ul * ch + ul * cl;
  return (hi - a + lo) / a;
}
