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

/** Smallest positive normal double; below it a scale factor loses precision. */
const MIN_NORMAL = 2 ** -1022;
/** Exact power-of-two step used to bring huge entries into range. */
const DOWN = 2 ** -600;

/**
 * Scales x[start, end) in place by target/norm, where `norm` (> target > 0) is the norm of
 * that range as `measure` computes it. The plain product is used when target/norm is a
 * normal double. Otherwise the range is first multiplied by 2^-600 (exact for the large
 * entries that matter) and measured again, until the factor is normal. That covers a norm
 * that overflowed to +Infinity although every entry is finite (the L2 norm of entries near
 * the largest double), which would otherwise zero the gradient (target/Infinity = 0), and a
 * factor so small it is subnormal and imprecise.
 */
export function scaleToNorm(
  x: Float64Array,
  norm: number,
  target: number,
  measure: (x: Float64Array, start: number, end: number) => number,
  start = 0,
  end = x.length,
): void {
  let s = target / norm;
  while (s < MIN_NORMAL) {
    scaleInPlace(x, DOWN, start, end);
    s = target / measure(x, start, end);
  }
  scaleInPlace(x, s, start, end);
}
