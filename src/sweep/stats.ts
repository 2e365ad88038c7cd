/** Median of finite-or-null values, nulls (non-finite) counted as +∞; null for none or an infinite median. */
export function median(values: readonly (number | null)[]): number | null {
  if (values.length === 0) return null;
  const xs = values.map((v) => v ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
  const mid = xs.length >> 1;
  const m = xs.length % 2 === 1 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
  return Number.isFinite(m) ? m : null;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Compare finite-or-null numbers ascending, null (non-finite) last. */
export function ascendingNullLast(a: number | null, b: number | null): number {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  return a - b;
}
