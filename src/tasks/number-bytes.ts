/**
 * A number's JavaScript text (`String(v)`: the shortest decimal that reads back as v, the
 * closest such, ECMAScript Number::toString) written as ASCII bytes into a buffer, without a
 * string per number. V8's own conversion costs 200–400 ns per full-precision double, which
 * made the CSV formatting of a grouped fit as costly as a third of the fit itself.
 *
 * The digits are computed exactly. For 1e-6 ≤ |v| < 1e17, with n the decimal exponent
 * (10^(n−1) ≤ |v| < 10^n) and S = 17 − n ∈ [0, 22], 10^S is an exact double, so Dekker's
 * error-free product gives V = |v|·10^S ∈ [1e16, 1e17) exactly as hi + lo, which is split into
 * integers Q·10^9 + R and a fraction F ∈ [0, 1). The doubles that read back as v are those
 * within half a unit in the last place of v, H = ulp(v)/2·10^S (exact, 0.55 ≤ H < 11.2) in
 * these units. The shortest decimal is the multiple of the largest power 10^j (j = 0 … 17)
 * that lies within H of V, and the closest such one is the multiple nearest V; j = 0 always
 * works (max distance ½ < H), and a multiple of 10^j inside implies one of 10^(j−1). Every
 * comparison with H involves only small integers, F and H, and is exact.
 *
 * Where this reasoning would need a rule it does not implement, the number goes to
 * `String(v)` instead: |v| outside the range above, a power of two (its interval is not
 * symmetric), a candidate exactly on the interval's edge (inside only for an even
 * significand) or exactly halfway between two candidates, and non-finite values. So the text
 * is String(v)'s byte for byte (test/tasks/number-bytes.test.ts compares millions).
 */

const POW10 = Float64Array.from({ length: 23 }, (_, k) => 10 ** k); // exact for k ≤ 22
/** The doubles nearest 10^k for k = −8 … 18 (x's decade is estimated from them). */
const DECADE_OFFSET = 8;
const DECADES = Float64Array.from({ length: 27 }, (_, i) => Number(`1e${i - DECADE_OFFSET}`));
const LOG10_2 = Math.LOG10E * Math.LN2;
/** "00" … "99" as ASCII pairs. */
const PAIRS = Uint8Array.from({ length: 200 }, (_, i) =>
  i % 2 === 0 ? 48 + Math.floor(i / 20) : 48 + ((i >> 1) % 10),
);
const SPLIT = 134217729; // 2^27 + 1, Veltkamp's splitter
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
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
 * Writes String(v) as ASCII bytes at `at` (room for 25 bytes needed); returns the position
 * after the last byte.
 */
export function writeNumber(v: number, out: Uint8Array, at: number): number {
  numberSlot[0] = v;
  return writeNumberSlot(out, at);
}

/**
 * The number to write by `writeNumberSlot`: a double handed to a call that is not inlined is
 * boxed (a heap number per field, millions in a screen's CSV); stored here it is not.
 */
export const numberSlot = new Float64Array(1);

/** writeNumber of numberSlot[0]. */
export function writeNumberSlot(out: Uint8Array, at: number): number {
  const v = numberSlot[0]!;
  if (v === 0) {
    out[at] = 48; // "0" (also for −0, as String(−0))
    return at + 1;
  }
  const x = v < 0 ? -v : v;
  bits[0] = x;
  const done = x >= 1e-6 && x < 1e17 ? shortest(v < 0, out, at) : -1;
  return done >= 0 ? done : writeAscii(String(v), out, at);
}

/** `text` (ASCII) at `at`; returns the position after it. */
export function writeAscii(text: string, out: Uint8Array, at: number): number {
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  return at + text.length;
}

/**
 * The shortest round-trip text of x = bits[0] > 0 (1e-6 ≤ x < 1e17), or −1 where String(v)
 * decides (x read from `bits`, not passed: see numberSlot).
 */
function shortest(negative: boolean, out: Uint8Array, at: number): number {
  const x = bits[0]!;
  const high = words[HIGH]!;
  const biased = (high >>> 20) & 0x7ff;
  if ((high & 0xfffff) === 0 && words[1 - HIGH] === 0) return -1; // a power of two
  // n with 10^(n−1) ≤ x < 10^n: estimated from the binary exponent and a table of powers
  // (a rounding there is corrected below by the exact product).
  let n = Math.floor((biased - 1023) * LOG10_2) + 1;
  if (x >= DECADES[n + DECADE_OFFSET]!) n++;
  let hi = 0;
  let lo = 0;
  for (let tries = 0; ; tries++) {
    const s = 17 - n;
    if (s < 0 || s > 22 || tries > 2) return -1;
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
  // The largest j with a multiple of 10^j within h of V. V's integer part is d (mod 10^j:
  // `down`, so the multiple under V is `down` + f away and the one over it `up` − f, with
  // up = 10^j − down); only distances under h + 1 < 12.2 matter, larger ones count as far.
  if (f === 0.5) return -1;
  let j = 0;
  let below = 0;
  let useHigh = f > 0.5; // j = 0: the nearer integer (both are within ½ < h)
  let rest = r | 0; // r's digits above the ones `down` holds
  let unit = 1;
  let down = 0;
  for (let next = 1; next <= 17; next++) {
    let up = FAR;
    if (next <= 9) {
      const t = (rest / 10) | 0;
      down += (rest - t * 10) * unit;
      rest = t;
      unit *= 10;
      up = unit - down;
    } else {
      const qs = POW10[next - 9]!;
      const qm = (q | 0) % (qs | 0);
      down = FAR;
      if (qm === 0) down = r;
      else if (qm === qs - 1) up = 1e9 - r;
      else break;
    }
    const downIn = downInside(down, f, h);
    const upIn = upInside(up, f, h);
    if (downIn < 0 || upIn < 0) return -1;
    if (downIn === 0 && upIn === 0) break;
    j = next;
    below = down;
    if (downIn === 1 && upIn === 1) {
      // Both within h: the nearer one (down + f against up − f), never a tie.
      const twice = 2 * f;
      const diff = up - down;
      if (twice === diff) return -1;
      useHigh = twice > diff;
    } else useHigh = upIn === 1;
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
  let o = at;
  if (negative) out[o++] = 45; // "-"
  if (q >= 1e8) {
    // 10^17 in these units: the digit 1, one decade up (n + 1 ≤ 18: no point).
    out[o++] = 49;
    for (let i = 0; i < n; i++) out[o++] = 48;
    return o;
  }
  // The 17 digits of q·10^9 + r (both below 2^31: integer arithmetic, two at a time),
  // written where the text wants them: after "0.000…" for n ≤ 0, else at o, the point then
  // inserted after the first n by moving the rest one place (no buffer between).
  const d = n <= 0 ? o + 2 - n : o;
  let ri = r | 0;
  let qi = q | 0;
  out[d + 16] = 48 + (ri - ((ri / 10) | 0) * 10);
  ri = (ri / 10) | 0;
  for (let i = d + 14; i >= d + 8; i -= 2) {
    const t = (ri / 100) | 0;
    const pair = 2 * (ri - t * 100);
    out[i] = PAIRS[pair]!;
    out[i + 1] = PAIRS[pair + 1]!;
    ri = t;
  }
  for (let i = d + 6; i >= d; i -= 2) {
    const t = (qi / 100) | 0;
    const pair = 2 * (qi - t * 100);
    out[i] = PAIRS[pair]!;
    out[i + 1] = PAIRS[pair + 1]!;
    qi = t;
  }
  // k significant digits (the first is never 0: V ≥ 10^16).
  let k = 17;
  while (out[d + k - 1] === 48) k--;
  if (n >= k) {
    // Digits k … 16 are zeros already; a 17- or 18-digit integer needs n − 17 more.
    for (let i = 17; i < n; i++) out[d + i] = 48;
    return d + n;
  }
  if (n > 0) {
    for (let i = d + k; i > d + n; i--) out[i] = out[i - 1]!;
    out[d + n] = 46; // "."
    return d + k + 1;
  }
  out[o] = 48;
  out[o + 1] = 46;
  for (let i = o + 2; i < d; i++) out[i] = 48;
  return d + k;
}

/** Far: a distance no multiple within h can have. */
const FAR = 1e9;

/**
 * Whether the multiple `down` + f under V is within h: 1 inside, 0 outside, −1 exactly on
 * the edge (inside only for an even significand: the caller defers to String). h − down is
 * exact for an integer 0 ≤ down ≤ h (h < 16 has an ulp ≤ 2^−49).
 */
function downInside(down: number, f: number, h: number): number {
  if (down > h) return 0;
  const room = h - down;
  return f < room ? 1 : f > room ? 0 : -1;
}

/** Whether the multiple `up` − f over V is within h (up ≥ 1); as downInside, up − h exact. */
function upInside(up: number, f: number, h: number): number {
  if (up > h + 1) return 0;
  const need = up - h;
  return f > need ? 1 : f < need ? 0 : -1;
}
