/**
 * Double-double numbers (an unevaluated sum hi + lo, ~32 significant digits) for the few
 * places where a double's last bit matters: the incomplete beta's continued fraction at a
 * large parameter with x near 1, where ∂ln I/∂ln x runs into the thousands. Error-free
 * transformations of Dekker (1971) and Knuth; only what the fraction needs.
 */
export interface DoubleDouble {
  readonly hi: number;
  readonly lo: number;
}

const SPLIT = 134217729; // 2^27 + 1

export function dd(hi: number, lo = 0): DoubleDouble {
  return { hi, lo };
}

/** a·b exactly, as hi + lo (Dekker's product through Veltkamp's split). */
export function twoProduct(a: number, b: number): DoubleDouble {
  const hi = a * b;
  const sa = SPLIT * a;
  const ah = sa - (sa - a);
  const al = a - ah;
  const sb = SPLIT * b;
  const bh = sb - (sb - b);
  const bl = b - bh;
  return { hi, lo: ah * bh - hi + ah * bl + al * bh + al * bl };
}

function twoSum(a: number, b: number, tail: number): DoubleDouble {
  const s = a + b;
  const bb = s - a;
  const e = a - (s - bb) + (b - bb) + tail;
  const hi = s + e;
  return { hi, lo: e - (hi - s) };
}

export function add(x: DoubleDouble, y: DoubleDouble): DoubleDouble {
  return twoSum(x.hi, y.hi, x.lo + y.lo);
}

export function mul(x: DoubleDouble, y: DoubleDouble): DoubleDouble {
  const p = twoProduct(x.hi, y.hi);
  return twoSum(p.hi, 0, p.lo + x.hi * y.lo + x.lo * y.hi);
}

export function div(x: DoubleDouble, y: DoubleDouble): DoubleDouble {
  const q1 = x.hi / y.hi;
  const r = add(x, mul(dd(-q1), y));
  const q2 = r.hi / y.hi;
  const r2 = add(r, mul(dd(-q2), y));
  return twoSum(q1, q2, r2.hi / y.hi);
}

/** p/(p + q) and q/(p + q) for p, q ≥ 0, each to double-double precision. */
export function shares(p: DoubleDouble, q: DoubleDouble): { x: DoubleDouble; y: DoubleDouble } {
  const total = add(p, q);
  return { x: div(p, total), y: div(q, total) };
}
