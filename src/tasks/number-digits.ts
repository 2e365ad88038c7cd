/**
 * The shortest decimal digits that read back as a double x > 0, the closest such (the digits
 * of String(x), ECMAScript Number::toString), computed exactly, for number-bytes.ts.
 *
 * For 1e-6 ≤ x < 1e17, with n the decimal exponent (10^(n−1) ≤ x < 10^n) and S = 17 − n ∈
 * [0, 22], 10^S is an exact double, so Dekker's error-free product gives V = x·10^S ∈ [1e16,
 * 1e17) exactly as hi + lo, which is split into integers Q·10^9 + R and a fraction F ∈ [0, 1).
 * The doubles that read back as x are those within half a unit in the last place of x,
 * H = ulp(x)/2·10^S (exact, 0.55 ≤ H < 11.2) in these units. The shortest decimal is the
 * multiple of the largest power 10^j (j = 0 … 17) that lies within H of V, and the closest
 * such one is the multiple nearest V; j = 0 always works (max distance ½ < H), and a multiple
 * of 10^j inside implies one of 10^(j−1). Every comparison with H involves only small
 * integers, F and H, and is exact.
 *
 * Where this reasoning would need a rule it does not implement, the caller defers to
 * `String(x)`: x outside the range above, a power of two (its interval is not symmetric), a
 * candidate exactly on the interval's edge (inside only for an even significand) or exactly
 * halfway between two candidates.
 *
 * For full-precision doubles whether the last digit can go is a coin toss, so the common
 * case — 16 or 17 digits — is decided by comparisons used as 0/1 values, not by branches
 * (`lastDigit`); mispredicted branches were a large part of the conversion's time.
 */

// Tables built with plain loops: a per-element callback (`Int16Array.from({ length }, fn)`)
// runs cold at every start-up (number-bytes.ts).
const POW10 = new Float64Array(23); // exact for k ≤ 22
for (let k = 0; k < 23; k++) POW10[k] = 10 ** k;
/** The doubles nearest 10^k for k = −8 … 18 (x's decade is estimated from them). */
const DECADE_OFFSET = 8;
const DECADES = new Float64Array(27);
for (let i = 0; i < 27; i++) DECADES[i] = Number(`1e${i - DECADE_OFFSET}`);
const LOG10_2 = Math.LOG10E * Math.LN2;
/** By biased binary exponent b: floor((b − 1023)·log10 2) + 1, x's decade as first estimated. */
const DECADE_OF = new Int16Array(2048);
for (let b = 0; b < 2048; b++) DECADE_OF[b] = Math.floor((b - 1023) * LOG10_2) + 1;
const SPLIT = 134217729; // 2^27 + 1, Veltkamp's splitter
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // the exponent's word

/** 2^k for the exponents a normal double's half-ulp can have (exact by construction). */
const POW2_OFFSET = 1100;
const POW2 = new Float64Array(2 * POW2_OFFSET);
POW2[POW2_OFFSET] = 1;
for (let k = 1; k < POW2_OFFSET; k++) {
  POW2[POW2_OFFSET + k] = POW2[POW2_OFFSET + k - 1]! * 2;
  POW2[POW2_OFFSET - k] = POW2[POW2_OFFSET - k + 1]! / 2;
}

/**
 * The input: x > 0, stored here by the caller (a double handed to a call that is not inlined
 * is boxed, a heap number per field; stored here it is not).
 */
export const digitsOf = new Float64Array(1);
const words = new Uint32Array(digitsOf.buffer);

/**
 * The output of `shortestDigits`: [q, r, n], the digits as the 17-digit integer
 * C = q·10^9 + r (10^16 ≤ C < 10^17; its first k digits are the shortest digits, the rest
 * zeros) and the decimal exponent n: x reads as 0.d₁d₂…d_k × 10^n.
 */
export const digitsOut = new Int32Array(3);

/**
 * The shortest digits of x = digitsOf[0] > 0 into digitsOut; returns their count k (1 … 17),
 * or 0 where `String(x)` decides (see above).
 */
export function shortestDigits(): number {
  const x = digitsOf[0]!;
  if (!(x >= 1e-6 && x < 1e17)) return 0;
  const high = words[HIGH]!;
  const biased = (high >>> 20) & 0x7ff;
  // A power of two: both mantissa words tested on every call (a second test met only for a
  // mantissa with its high bits all zero, first after this was compiled, threw the compiled
  // code away for want of feedback).
  if (((high & 0xfffff) | words[1 - HIGH]!) === 0) return 0;
  // n with 10^(n−1) ≤ x < 10^n: estimated from the binary exponent and a table of powers
  // (a rounding there is corrected below by the exact product).
  let n = DECADE_OF[biased]!;
  if (x >= DECADES[n + DECADE_OFFSET]!) n++;
  let hi = 0;
  let lo = 0;
  for (let tries = 0; ; tries++) {
    const s = 17 - n;
    if (s < 0 || s > 22 || tries > 2) return 0;
    const p = POW10[s]!;
    // Dekker's product: hi + lo = x·p exactly.
    hi = x * p;
    let c = SPLIT * x;
    const xh = c - (c - x);
    const xl = x - xh;
    c = SPLIT * p;
    const ph = c - (c - p);
    const pl = p - ph;
    lo = xh * ph - hi + xh * pl + xl * ph + xl * pl;
    if (hi < 1e16 || (hi === 1e16 && lo < 0)) n--;
    else if (hi > 1e17 || (hi === 1e17 && lo >= 0)) n++;
    else break;
  }
  // Half an ulp of x in units of 10^(n−17).
  const h = POW2[POW2_OFFSET + biased - 1076]! * POW10[17 - n]!;
  // V = hi + lo = q·10^9 + r + f, q and r integers, 0 ≤ r < 10^9, 0 ≤ f < 1 (all exact).
  let q = Math.floor(hi / 1e9);
  let r = hi - q * 1e9;
  const whole = Math.floor(lo);
  const f = lo - whole;
  r += whole;
  if (r < 0) {
    r += 1e9;
    q--;
  } else if (r >= 1e9) {
    r -= 1e9;
    q++;
  }
  if (f === 0.5) return 0;
  // The common case, here and not in a function of its own (its doubles would be boxed): V's
  // last digit can go (17 → 16 digits) or not, and its last two cannot. Otherwise — two
  // digits can go, or a comparison is exact (an edge or a tie, where the search defers to
  // String) — the general search (`allDigits`) decides. The tests are those of the search's
  // first two steps (see there), each as a 0/1 value, combined without branches.
  const ri = r | 0;
  const d1 = ri - ((ri / 10) | 0) * 10; // V mod 10, as an integer
  const d2 = ri - ((ri / 100) | 0) * 100; // V mod 100
  const room1 = h - d1;
  const need1 = 10 - d1 - h;
  const room2 = h - d2;
  const need2 = 100 - d2 - h;
  const down1 = Number(f < room1); // the multiple of 10 under V is within h
  const up1 = Number(f > need1); // the one over it
  const two = Number(f < room2) | Number(f > need2); // a multiple of 100 is
  const diff = 10 - 2 * d1; // (up − f) − (down + f) = diff − 2f
  const both = down1 & up1;
  const exact =
    Number(f === room1) |
    Number(f === need1) |
    Number(f === room2) |
    Number(f === need2) |
    (both & Number(2 * f === diff));
  if ((two | exact) !== 0) {
    // Its doubles through a scratch array, not as arguments (boxed: four heap numbers a call).
    searchIn[0] = q;
    searchIn[1] = r;
    searchIn[2] = f;
    searchIn[3] = h;
    return allDigits(n);
  }
  const one = down1 | up1; // j = 1
  // j = 1: the upper multiple if only it is within h, or both are and it is the nearer;
  // j = 0: the nearer integer.
  const high1 = up1 & ((down1 ^ 1) | Number(2 * f > diff));
  const upper = one === 1 ? high1 : Number(f > 0.5);
  let c = ri - d1 * one + upper * (one === 1 ? 10 : 1);
  let cq = q;
  if (c >= 1e9) {
    c -= 1e9;
    cq++;
  }
  return store(cq, c, n, 17 - one);
}

/** `allDigits`'s input: q, r, f and h of `shortestDigits`. */
const searchIn = new Float64Array(4);

/** The general search for the largest power of ten that can go (any j), on `searchIn`. */
function allDigits(n: number): number {
  let q = searchIn[0]!;
  let r = searchIn[1]!;
  const f = searchIn[2]!;
  const h = searchIn[3]!;
  // The largest j with a multiple of 10^j within h of V. V's integer part is `down` (mod
  // 10^j), so the multiple under V is `down` + f away and the one over it `up` − f, with
  // up = 10^j − down. "down + f < h" is tested as f < h − down, exact for down ≤ h (h < 16
  // has an ulp ≤ 2^−49) and false anyway for down > h; "up − f < h" as f > up − h, exact for
  // up ≤ h + 1 and false anyway beyond: one comparison each, no range test first.
  let j = 0;
  let below = 0;
  let useHigh = f > 0.5; // j = 0: the nearer integer (both are within ½ < h)
  let rest = r | 0; // r's digits above the ones `down` holds
  let unit = 1;
  let down = 0;
  for (let next = 1; next <= 17; next++) {
    let up: number;
    if (next <= 9) {
      const t = (rest / 10) | 0;
      down += (rest - t * 10) * unit;
      rest = t;
      unit *= 10;
      up = unit - down;
    } else {
      // Past r's digits: a multiple of 10^next near V needs q ≡ 0 or −1 (mod 10^(next−9)).
      const qs = POW10[next - 9]!;
      const qm = (q | 0) % (qs | 0);
      if (qm === 0) {
        down = r;
        up = FAR;
      } else if (qm === qs - 1) {
        down = FAR;
        up = 1e9 - r;
      } else break;
    }
    const room = h - down;
    const need = up - h;
    const downIn = f < room;
    const upIn = f > need;
    if (!downIn && !upIn) {
      // On an edge (inside only for an even significand): String decides.
      if (f === room || f === need) return 0;
      break;
    }
    // Where both are within h, the nearer one (down + f against up − f); an edge or a tie
    // (two candidates equally near) is String's.
    const twice = 2 * f;
    const diff = up - down;
    if (f === room || f === need || (downIn && upIn && twice === diff)) return 0;
    j = next;
    below = down;
    useHigh = upIn && (!downIn || twice > diff);
  }
  // The chosen multiple C = V's integer part − below (+ 10^j up), as q·10^9 + r.
  if (j <= 9) {
    r -= below;
    if (useHigh) r += POW10[j]!;
    if (r >= 1e9) {
      r -= 1e9;
      q++;
    }
  } else {
    // The multiple under V is q − q mod 10^(j−9) (times 10^9), the one over it 10^(j−9) more.
    const qs = POW10[j - 9]!;
    q -= (q | 0) % (qs | 0);
    if (useHigh) q += qs;
    r = 0;
  }
  // C is a multiple of 10^j and not of 10^(j+1) (that one would have been within h too).
  return store(q, r, n, 17 - j);
}

/** C = q·10^9 + r and n into digitsOut; returns k (1 for C = 10^17: "1", one decade up). */
function store(q: number, r: number, n: number, k: number): number {
  const carry = q >= 1e8;
  digitsOut[0] = carry ? 1e7 : q;
  digitsOut[1] = carry ? 0 : r;
  digitsOut[2] = carry ? n + 1 : n;
  return carry ? 1 : k;
}

/** Far: a distance no multiple within h can have. */
const FAR = 1e9;
