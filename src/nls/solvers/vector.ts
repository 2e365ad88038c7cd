/** Small loops over Float64Array shared by the solver files. */

export function allFinite(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) return false;
  return true;
}

export function sumSquares(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return s;
}

/** Overflow-safe ‖x‖₂: the plain sum first, rescaled by max |x_i| only if it overflowed. */
export function norm2(x: Float64Array): number {
  const ss = sumSquares(x);
  if (ss !== Number.POSITIVE_INFINITY) return Math.sqrt(ss);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! / m) ** 2;
  return m * Math.sqrt(s);
}

/** Overflow-safe 2-norm of column j of a row-major n×p matrix. */
export function columnNorm(a: Float64Array, n: number, p: number, j: number): number {
  let ss = 0;
  for (let i = 0; i < n; i++) ss += a[i * p + j]! ** 2;
  if (ss !== Number.POSITIVE_INFINITY) return Math.sqrt(ss);
  let m = 0;
  for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(a[i * p + j]!));
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i * p + j]! / m) ** 2;
  return m * Math.sqrt(s);
}
