import { normalCdf, normalPdf } from "../math/erf.js";

/**
 * The loops behind activations.ts, one module-level function per activation and direction
 * (not closures, not one generic loop with a callback), so V8 compiles each once, with the
 * element function inlined. Formulas are in activations.ts; all read and write the first
 * `count` entries, and every backward may write dz into dy's buffer (in place).
 */

/** Logistic sigmoid σ(z) without overflow: e^z/(1 + e^z) for z < 0. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

export function reluForward(z: Float64Array, y: Float64Array, count: number): void {
  for (let i = 0; i < count; i++) y[i] = Math.max(z[i]!, 0); // Math.max(NaN, 0) is NaN
}

export function leakyForward(z: Float64Array, y: Float64Array, count: number, slope: number): void {
  for (let i = 0; i < count; i++) {
    const v = z[i]!;
    y[i] = v > 0 ? v : v <= 0 ? slope * v : v; // NaN stays NaN
  }
}

export function leakyBackward(
  z: Float64Array,
  dy: Float64Array,
  dz: Float64Array,
  count: number,
  slope: number,
): void {
  for (let i = 0; i < count; i++) {
    const v = z[i]!;
    dz[i] = v > 0 ? dy[i]! : v <= 0 ? slope * dy[i]! : v;
  }
}

export function tanhForward(z: Float64Array, y: Float64Array, count: number): void {
  for (let i = 0; i < count; i++) y[i] = Math.tanh(z[i]!);
}

export function tanhBackward(
  y: Float64Array,
  dy: Float64Array,
  dz: Float64Array,
  count: number,
): void {
  for (let i = 0; i < count; i++) {
    const v = y[i]!;
    dz[i] = dy[i]! * (1 - v * v);
  }
}

export function sigmoidForward(z: Float64Array, y: Float64Array, count: number): void {
  for (let i = 0; i < count; i++) y[i] = sigmoid(z[i]!);
}

export function sigmoidBackward(
  y: Float64Array,
  dy: Float64Array,
  dz: Float64Array,
  count: number,
): void {
  for (let i = 0; i < count; i++) {
    const v = y[i]!;
    dz[i] = dy[i]! * v * (1 - v);
  }
}

export function geluForward(z: Float64Array, y: Float64Array, count: number): void {
  for (let i = 0; i < count; i++) {
    const v = z[i]!;
    y[i] = v * normalCdf(v);
  }
}

export function geluBackward(
  z: Float64Array,
  dy: Float64Array,
  dz: Float64Array,
  count: number,
): void {
  for (let i = 0; i < count; i++) {
    const v = z[i]!;
    dz[i] = dy[i]! * (normalCdf(v) + v * normalPdf(v));
  }
}

export function softplusForward(z: Float64Array, y: Float64Array, count: number): void {
  for (let i = 0; i < count; i++) {
    const v = z[i]!;
    y[i] = Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
  }
}

export function softplusBackward(
  z: Float64Array,
  dy: Float64Array,
  dz: Float64Array,
  count: number,
): void {
  for (let i = 0; i < count; i++) dz[i] = dy[i]! * sigmoid(z[i]!);
}

export function copy(from: Float64Array, to: Float64Array, count: number): void {
  if (from !== to) for (let i = 0; i < count; i++) to[i] = from[i]!;
}
