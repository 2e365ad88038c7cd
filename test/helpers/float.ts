/**
 * Floating-point helpers for exact-arithmetic assertions.
 */

const buf = new DataView(new ArrayBuffer(8));

/** The IEEE-754 double's bits as an ordered integer (so adjacent doubles differ by 1). */
function ordered(x: number): bigint {
  buf.setFloat64(0, x);
  const bits = buf.getBigInt64(0);
  // Negative doubles: flip so the integer order matches the numeric order.
  return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
}

/** How many representable doubles lie between a and b (0 when equal; +0 and −0 are equal). */
export function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.NaN;
  const d = ordered(a) - ordered(b);
  return Number(d < 0n ? -d : d);
}

/** Largest ulpDistance over two equally long arrays. */
export function maxUlpDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, ulpDistance(a[i]!, b[i]!));
  return m;
}

/** A small deterministic generator (Park–Miller) for property-style loops in tests. */
export function lcg(seed: number): () => number {
  let s = seed % 2147483647;
  if (s <= 0) s += 2147483646;
  return () => {
    s = (s * 16807) % 2147483647;
    return (s - 1) / 2147483646;
  };
}
