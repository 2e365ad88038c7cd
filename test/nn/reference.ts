import { createRng } from "../../src/core/rng.js";

/**
 * Reference implementations and small helpers for the network tests: a naive triple-loop
 * product (the definition, no blocking), seeded random buffers, and central differences of
 * a function of one buffer (the parameters, an input or a prediction vector).
 */
export function naiveProduct(
  m: number,
  n: number,
  k: number,
  a: (i: number, p: number) => number,
  b: (p: number, j: number) => number,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a(i, p) * b(p, j);
      c[i * n + j] = s;
    }
  }
  return c;
}

/** `length` standard normal values times `scale`, from a seeded generator. */
export function randomBuffer(length: number, seed: number, scale = 1): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length }, () => scale * rng.normal());
}

/** Values away from 0 by at least `gap` (for functions with a kink at 0: relu, leaky-relu). */
export function awayFromZero(values: Float64Array, gap = 1e-2): Float64Array {
  return values.map((v) => (Math.abs(v) < gap ? (v < 0 ? -gap : gap) : v));
}

/** max |a − b| / max(|b|_∞, floor): one relative error for a whole vector. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-300): number {
  let num = 0;
  let den = floor;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / den;
}

/**
 * Central differences (f(θ + h e_i) − f(θ − h e_i))/2h of a scalar function of `theta`,
 * h = step·max(1, |θ_i|); f may read the buffer it is given (it is θ, perturbed in place and
 * restored).
 */
export function numericGradient(
  f: (theta: Float64Array) => number,
  theta: Float64Array,
  step = 1e-5,
): Float64Array {
  const out = new Float64Array(theta.length);
  for (let i = 0; i < theta.length; i++) {
    const t = theta[i]!;
    const h = step * Math.max(1, Math.abs(t));
    theta[i] = t + h;
    const up = f(theta);
    theta[i] = t - h;
    const down = f(theta);
    theta[i] = t;
    out[i] = (up - down) / (2 * h);
  }
  return out;
}

/** Whether two buffers hold the same bits (fast, unlike a deep equality on large arrays). */
export function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}
