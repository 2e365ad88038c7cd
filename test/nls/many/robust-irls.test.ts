import { describe, expect, it } from "vitest";
import { accumulate, accumulate4, createIrlsWorkspace } from "../../../src/nls/many/robust-irls.js";

// The robust fit's step sums for p = 4 are kept in locals (accumulate4); they must be the
// general loop's sums bit for bit, so the robust θ and the outlier flags do not move.
describe("robust fit step sums", () => {
  it("are the same bits for p = 4 unrolled as in the general loop", () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647 - 0.5;
    };
    for (const newton of [false, true]) {
      for (let trial = 0; trial < 50; trial++) {
        const n = 5 + (trial % 30);
        const a = createIrlsWorkspace(40, 4, 4);
        const b = createIrlsWorkspace(40, 4, 4);
        for (let i = 0; i < n; i++) a.r[i] = b.r[i] = rand() * 10 ** (trial % 5);
        for (let k = 0; k < 4 * n; k++) a.jac[k] = b.jac[k] = rand() * 10 ** ((k % 7) - 3);
        b.a.fill(Number.NaN); // the unrolled sums must write every entry
        accumulate(a, n, 4, 1 / 2.5, newton);
        accumulate4(b, n, 1 / 2.5, newton);
        for (const key of ["a", "g", "ur"] as const) {
          const same = Array.from(a[key]).every((v, k) => Object.is(v, b[key][k]));
          expect(same, `${key}, trial ${trial}, newton ${newton}`).toBe(true);
        }
      }
    }
  });
});
