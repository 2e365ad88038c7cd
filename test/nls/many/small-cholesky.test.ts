import { describe, expect, it } from "vitest";
import { choleskySolve, factorShifted } from "../../../src/nls/many/small-cholesky.js";

// For p = 4 the factorisation and the solve are unrolled; they must be the general loops'
// bits and verdicts (the small solver's steps, and so every fit, depend on them). The
// general loops are written out here as the reference.

function referenceFactor(a: Float64Array, p: number, lambda: number, l: Float64Array): boolean {
  let scale = 0;
  for (let j = 0; j < p; j++) scale = Math.max(scale, a[j * p + j]!);
  const floor = 1e-12 * scale;
  for (let j = 0; j < p; j++) {
    for (let k = 0; k <= j; k++) {
      let s = a[j * p + k]! + (j === k ? lambda : 0);
      for (let m = 0; m < k; m++) s -= l[j * p + m]! * l[k * p + m]!;
      if (j === k) {
        if (!(s > floor) || !Number.isFinite(s)) return false;
        l[j * p + j] = Math.sqrt(s);
      } else l[j * p + k] = s / l[k * p + k]!;
    }
  }
  return true;
}

function referenceSolve(l: Float64Array, p: number, b: Float64Array, out: Float64Array): void {
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * p + k]! * out[k]!;
    out[i] = s / l[i * p + i]!;
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = out[i]!;
    for (let k = i + 1; k < p; k++) s -= l[k * p + i]! * out[k]!;
    out[i] = s / l[i * p + i]!;
  }
}

const same = (a: Float64Array, b: Float64Array) => a.every((v, i) => Object.is(v, b[i]));

describe("small Cholesky, p = 4", () => {
  it("factors and solves to the general loops' bits, with their verdicts", () => {
    let seed = 5;
    const rand = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647 - 0.5;
    };
    let failed = 0;
    for (let trial = 0; trial < 3000; trial++) {
      // A = JᵀJ of a random 6×4 J with columns of mixed scales; some nearly dependent, some
      // with an exact zero (and −0) off the diagonal, some shifted by λ.
      const j = Float64Array.from({ length: 24 }, (_, k) => rand() * 10 ** ((k % 4) - 1));
      if (trial % 7 === 0) for (let i = 0; i < 6; i++) j[4 * i + 3] = j[4 * i + 2]! * 2;
      const a = new Float64Array(16);
      for (let r = 0; r < 4; r++) {
        for (let c = 0; c < 4; c++) {
          let s = 0;
          for (let i = 0; i < 6; i++) s += j[4 * i + r]! * j[4 * i + c]!;
          a[4 * r + c] = s;
        }
      }
      if (trial % 5 === 0) a[4] = a[1] = trial % 10 === 0 ? -0 : 0;
      const lambda = trial % 3 === 0 ? 0 : Math.abs(rand()) * 10 ** ((trial % 9) - 6);
      const l1 = new Float64Array(16).fill(7);
      const l2 = new Float64Array(16).fill(7);
      const ok = factorShifted(a, 4, lambda, l1);
      expect(ok).toBe(referenceFactor(a, 4, lambda, l2));
      expect(same(l1, l2)).toBe(true);
      if (!ok) {
        failed++;
        continue;
      }
      const b = Float64Array.from({ length: 4 }, () => rand());
      const o1 = new Float64Array(4);
      const o2 = new Float64Array(4);
      choleskySolve(l1, 4, b, o1);
      referenceSolve(l2, 4, b, o2);
      expect(same(o1, o2)).toBe(true);
    }
    // Both verdicts occurred.
    expect(failed).toBeGreaterThan(100);
    expect(failed).toBeLessThan(2900);
  });
});
