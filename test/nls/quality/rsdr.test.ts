import { describe, expect, it } from "vitest";
import { rsdr } from "../../../src/nls/quality/outliers.js";

// rsdr reads two order statistics of |r|; it finds them among the largest values instead of
// sorting every residual. The reference here is the full sort it replaced (insertion for up
// to 64 values, else the typed-array sort): the same bits on every input, NaN included.
function reference(r: Float64Array, k: number): number {
  const n = r.length;
  const a = new Float64Array(n);
  if (n > 64) {
    for (let i = 0; i < n; i++) a[i] = Math.abs(r[i]!);
    a.sort();
  } else {
    for (let i = 0; i < n; i++) {
      const v = Math.abs(r[i]!);
      let j = i - 1;
      while (j >= 0 && a[j]! > v) {
        a[j + 1] = a[j]!;
        j--;
      }
      a[j + 1] = v;
    }
  }
  const pos = 0.6827 * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const p68 = a[lo]! + (pos - lo) * (a[hi]! - a[lo]!);
  return (p68 * n) / (n - k);
}

describe("rsdr", () => {
  it("equals the full sort's value bit for bit (ties, zeros, infinities, NaN)", () => {
    let seed = 3;
    const rand = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const special = [0, -0, 1, -1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN];
    for (let trial = 0; trial < 20_000; trial++) {
      const n = 1 + (trial % 80);
      const r = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const u = rand();
        // Ties by rounding some values; specials now and then.
        r[i] =
          u < 0.02
            ? special[Math.floor(rand() * special.length)]!
            : u < 0.3
              ? Math.round((rand() - 0.5) * 10)
              : (rand() - 0.5) * 10 ** Math.floor(rand() * 6 - 2);
      }
      const k = trial % 5;
      expect(Object.is(rsdr(r, k), reference(r, k)), `trial ${trial}`).toBe(true);
    }
  });
});
