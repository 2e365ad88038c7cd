import { mt19937 } from "./mt19937.js";

/**
 * Seeded pseudo-random numbers, so every run is reproducible from `--seed`.
 *
 * Generators of 32-bit words:
 * - `xoshiro` (default): xoshiro128** 1.0 (Blackman & Vigna, 2018), 128 bits of state, seeded
 *   by running SplitMix32 over the seed. 32-bit integer arithmetic only (no BigInt), so it is
 *   fast in V8 and gives identical streams on every platform.
 * - `numpy`: MT19937 seeded like numpy's legacy `np.random.seed(seed)`; with the constructions
 *   below it replays `np.random.rand`/`randn` (see mt19937.ts).
 *
 * - `uniform()`: a double in [0, 1) with 53 random bits, built from two outputs
 *   (a >>> 5, b >>> 6) as (a * 2^26 + b) / 2^53 — the same construction as numpy's
 *   legacy `random_sample`.
 * - `normal()`: standard normal by Marsaglia's polar method; the second value of each
 *   pair is cached in the state, so the stream depends only on the seed and call order.
 */
export interface Rng {
  uniform(): number;
  normal(): number;
  /** An integer in [0, n). */
  int(n: number): number;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export type RngAlgorithm = "xoshiro" | "numpy";

export function createRng(seed: number, algorithm: RngAlgorithm = "xoshiro"): Rng {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`rng: seed must be an integer in [0, 2^32), got ${seed}`);
  }
  const next = algorithm === "numpy" ? mt19937(seed) : xoshiro128ss(seed);
  let spare = 0;
  let hasSpare = false;

  const uniform = (): number => {
    const a = next() >>> 5;
    const b = next() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  };

  return {
    uniform,
    normal(): number {
      if (hasSpare) {
        hasSpare = false;
        return spare;
      }
      let u: number;
      let v: number;
      let r2: number;
      do {
        u = 2 * uniform() - 1;
        v = 2 * uniform() - 1;
        r2 = u * u + v * v;
      } while (r2 >= 1 || r2 === 0);
      const f = Math.sqrt((-2 * Math.log(r2)) / r2);
      spare = u * f;
      hasSpare = true;
      return v * f;
    },
    int(n: number): number {
      return Math.floor(uniform() * n);
    },
  };
}

function xoshiro128ss(seed: number): () => number {
  const init = splitmix32(seed);
  let s0 = init();
  let s1 = init();
  let s2 = init();
  let s3 = init();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the all-zero state is a fixed point

  return (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Fisher–Yates shuffle of `order` in place. */
export function shuffleInPlace(order: Uint32Array, rng: Rng): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
}
