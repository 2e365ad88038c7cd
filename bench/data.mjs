// Deterministic benchmark data. A fixed LCG (not Math.random) so every run, and every peer,
// trains on byte-identical inputs; the files are raw little-endian float64 so numpy
// (np.fromfile '<f8') and Node (a Float64Array view) read them without parsing.
import { closeSync, openSync, readSync, writeFileSync } from "node:fs";
import { endianness } from "node:os";

if (endianness() !== "LE") throw new Error("bench: the .f64 files assume a little-endian host");

/** Numerical Recipes 32-bit LCG; uniforms in (0, 1). Quality is irrelevant here, determinism is. */
export function lcg(seed) {
  let s = seed >>> 0;
  const uniform = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296; // never 0, so log() below is finite
  };
  // Box–Muller; the second variate is discarded to keep the stream easy to reason about.
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

/** The seed workload's steps (the seed document's example): value clip, sgd, 1,000 steps. */
export const SEED_STEPS = { lr: 0.01, clip: 0.1, iterations: 1000 };

/** Workload "seed": 100 points, y = 4 + 3x + N(0, 1), x ~ U[0, 2], starting w, b ~ N(0, 1). */
export function seedData(n = 100) {
  const g = lcg(42);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = 2 * g.uniform();
    y[i] = 4 + 3 * x[i] + g.normal();
  }
  return { n, p: 1, x, y, start: [g.normal(), g.normal()] };
}

/**
 * Workload "large": rows × p standard-normal features, y = X·wTrue + bTrue + N(0, 0.5²).
 * ‖wTrue‖ ≈ 2.2, so from a zero start the global-norm clip (c = 1) is active for the first
 * ~20 steps and plain gradient descent converges in the remaining ones.
 */
export function largeData(rows, p) {
  const g = lcg(7);
  const wTrue = Array.from({ length: p }, (_, j) => (j % 2 ? -1 : 1) * (0.2 + 0.1 * j));
  const bTrue = 0.5;
  const x = new Float64Array(rows * p);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let t = bTrue;
    for (let j = 0; j < p; j++) {
      const v = g.normal();
      x[i * p + j] = v;
      t += wTrue[j] * v;
    }
    y[i] = t + 0.5 * g.normal();
  }
  return { n: rows, p, x, y, start: new Array(p + 1).fill(0), wTrue, bTrue };
}

export function writeF64(path, arr) {
  writeFileSync(path, new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength));
}

/** Reads `count` float64 into a fresh (8-byte aligned) Float64Array, in chunks (< 2 GiB). */
export function readF64(path, count) {
  const out = new Float64Array(count);
  const bytes = new Uint8Array(out.buffer);
  const fd = openSync(path, "r");
  try {
    for (let off = 0; off < bytes.length; ) {
      const got = readSync(fd, bytes, off, Math.min(1 << 30, bytes.length - off), off);
      if (got === 0) throw new Error(`${path}: expected ${count} float64, file is short`);
      off += got;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}
