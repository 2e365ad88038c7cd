import { l2Norm, scaleInPlace } from "../core/norms.js";

/**
 * Numerics shared by the adaptive clips (AGC, AutoClip, ZClip, block RMS). Their thresholds
 * come from the data, not from the user, so they must stay correct for thresholds of 0 and for
 * norms or factors at the ends of the double range, on contiguous ranges and on strided units
 * (a column of a row-major matrix).
 */

/** Smallest positive normal double; a scale factor below it loses precision. */
const MIN_NORMAL = 2 ** -1022;
const UP = 2 ** 600;
const DOWN = 2 ** -600;

/**
 * Σ x_i² over [start, end): the plain sum (+Infinity if it overflows). Hot loops live in small
 * functions like this one so V8 optimises them on their own, instead of on-stack-replacing
 * a transform's whole `update` (whose later code then deoptimises on every call).
 */
export function sumSquares(x: Float64Array, start: number, end: number): number {
  let ss = 0;
  for (let i = start; i < end; i++) {
    const v = x[i]!;
    ss += v * v;
  }
  return ss;
}

/**
 * L2 norm of the `count` entries x[start], x[start + stride], …, overflow-safe like
 * `l2Norm`: if the plain sum of squares overflows while every entry is finite, it is
 * recomputed with the entries divided by the largest magnitude.
 */
export function stridedL2(x: Float64Array, start: number, count: number, stride: number): number {
  let ss = 0;
  for (let k = 0, i = start; k < count; k++, i += stride) {
    const v = x[i]!;
    ss += v * v;
  }
  if (ss !== Number.POSITIVE_INFINITY) return Math.sqrt(ss);
  let m = 0;
  for (let k = 0, i = start; k < count; k++, i += stride) {
    const a = Math.abs(x[i]!);
    if (a > m || Number.isNaN(a)) m = a;
  }
  if (!Number.isFinite(m)) return m;
  let scaled = 0;
  for (let k = 0, i = start; k < count; k++, i += stride) {
    const v = x[i]! / m;
    scaled += v * v;
  }
  return m * Math.sqrt(scaled);
}

function stridedScale(x: Float64Array, s: number, start: number, count: number, stride: number) {
  for (let k = 0, i = start; k < count; k++, i += stride) x[i]! *= s;
}

/**
 * Multiplies the unit x[start + k·stride], k < count, by target/norm, where `norm` (> target
 * >= 0) is its L2 norm (+Infinity when finite entries overflow the sum of squares).
 * - target = 0: the unit becomes 0 (no 0/0);
 * - target/norm a normal double: one multiplication;
 * - norm = +Infinity: the unit is multiplied by the exact 2^-600 and measured again;
 * - target/norm subnormal (a tiny threshold): applied as (target·2^600/norm) then 2^-600, so
 *   the factor keeps full precision and the re-measure never underflows (the pitfall of
 *   `scaleToNorm` with thresholds below about 1e-282).
 */
export function scaleUnitTo(
  x: Float64Array,
  start: number,
  count: number,
  stride: number,
  norm: number,
  target: number,
): void {
  if (target === 0) {
    for (let k = 0, i = start; k < count; k++, i += stride) x[i] = 0;
    return;
  }
  let n = norm;
  while (n === Number.POSITIVE_INFINITY) {
    stridedScale(x, DOWN, start, count, stride);
    n = stridedL2(x, start, count, stride);
  }
  const s = target / n;
  if (s >= MIN_NORMAL) {
    stridedScale(x, s, start, count, stride);
    return;
  }
  let f = (target * UP) / n;
  while (f < MIN_NORMAL) {
    // n > target·2^1622 here, so the entries that matter are huge: scaling them is exact.
    stridedScale(x, DOWN, start, count, stride);
    n *= DOWN;
    f = (target * UP) / n;
  }
  stridedScale(x, f, start, count, stride);
  stridedScale(x, DOWN, start, count, stride);
}

/**
 * Scales the whole gradient from L2 norm `norm` to `target` (0 <= target < norm) and returns
 * the norm after: norm·(target/norm) when that product is exact enough (finite norm, normal
 * factor), else measured again.
 */
export function scaleGlobalTo(grad: Float64Array, norm: number, target: number): number {
  const s = target / norm;
  if (Number.isFinite(norm) && s >= MIN_NORMAL) {
    scaleInPlace(grad, s);
    return norm * s;
  }
  scaleUnitTo(grad, 0, grad.length, 1, norm, target);
  return target === 0 ? 0 : l2Norm(grad);
}
