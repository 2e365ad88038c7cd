/**
 * Norms of a flat buffer (or a range of it). Plain loops over Float64Array: V8 keeps them
 * in registers and they run at memory bandwidth for large buffers.
 *
 * The L2 norm guards against overflow the way LAPACK's nrm2 does, but only when needed:
 * the fast sum of squares is tried first; if it overflows to +Infinity while every entry is
 * finite, the sum is recomputed with each entry divided by the largest magnitude.
 */
export function l2Norm(x: Float64Array, start = 0, end = x.length): number {
  let ss = 0;
  for (let i = start; i < end; i++) {
    const v = x[i]!;
    ss += v * v;
  }
  if (ss !== Number.POSITIVE_INFINITY) return Math.sqrt(ss);
  const scale = lInfNorm(x, start, end);
  if (!Number.isFinite(scale)) return scale; // a real Inf (or NaN) entry: report it as is
  let scaled = 0;
  for (let i = start; i < end; i++) {
    const v = x[i]! / scale;
    scaled += v * v;
  }
  return scale * Math.sqrt(scaled);
}

/** max |x_i|; NaN if any entry is NaN (so a NaN is never hidden by a larger value). */
export function lInfNorm(x: Float64Array, start = 0, end = x.length): number {
  let m = 0;
  for (let i = start; i < end; i++) {
    const a = Math.abs(x[i]!);
    if (a > m) m = a;
    else if (Number.isNaN(a)) return Number.NaN;
  }
  return m;
}

/** Index of the first non-finite entry in [start, end), or -1. */
export function firstNonFinite(x: Float64Array, start = 0, end = x.length): number {
  for (let i = start; i < end; i++) if (!Number.isFinite(x[i]!)) return i;
  return -1;
}

/** Multiplies x[start, end) by s in place. */
export function scaleInPlace(x: Float64Array, s: number, start = 0, end = x.length): void {
  for (let i = start; i < end; i++) x[i]! *= s;
}
