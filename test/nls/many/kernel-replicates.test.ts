import { describe, expect, it } from "vitest";
import { dualOfKernel, kernelFor } from "../../../src/nls/many/kernels.js";

// The 4PL kernels copy a row's values to the next row when it has the same x (replicates):
// every row must carry the bits it gets when evaluated alone (n = 1, nothing to copy from),
// 0 and −0 kept apart (mid − x can differ in the sign of a zero).

const fourPL = kernelFor("4pl")!;
const dual = dualOfKernel(fourPL)!;

function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

/** Rows in runs of equal x (replicates next to each other), with 0 and −0 among them. */
function layout(rand: () => number): Float64Array {
  const xs: number[] = [];
  const pool = [0, -0, -9, -8.5, -7, -6.25, 1e-300, -5];
  while (xs.length < 30) {
    const v = rand() < 0.3 ? pool[Math.floor(rand() * pool.length)]! : -10 + 6 * rand();
    const k = 1 + Math.floor(rand() * 4);
    for (let j = 0; j < k; j++) xs.push(v);
  }
  return Float64Array.from(xs);
}

const bits = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).every((v, i) => Object.is(v, b[i]));

describe("4PL kernels with replicate rows", () => {
  it("give each row the bits of evaluating it alone (f, J, and the dual's plain f)", () => {
    const rand = random(7);
    for (let trial = 0; trial < 200; trial++) {
      const x = layout(rand);
      const n = x.length;
      // mid = ±0 at times: then mid − x is ±0 on the rows at x = ∓0.
      const mid = trial % 5 === 0 ? (trial % 10 === 0 ? -0 : 0) : -9 + 4 * rand();
      const theta = Float64Array.of(20 * rand(), 80 + 40 * rand(), mid, -3 + 6 * rand());
      const f = new Float64Array(n);
      const jac = new Float64Array(4 * n);
      const plain = new Float64Array(n);
      const fDual = new Float64Array(n);
      const jacDual = new Float64Array(4 * n);
      const fPlain = new Float64Array(n);
      fourPL(theta, [x], n, f, jac);
      fourPL(theta, [x], n, fPlain, null);
      dual(theta, [x], n, plain, fDual, jacDual);
      const one = new Float64Array(1);
      const oneJ = new Float64Array(4);
      const onePlain = new Float64Array(1);
      for (let i = 0; i < n; i++) {
        const xi = x.subarray(i, i + 1);
        fourPL(theta, [xi], 1, one, oneJ);
        expect(bits([f[i]!, fDual[i]!], [one[0]!, one[0]!])).toBe(true);
        expect(bits(jac.subarray(4 * i, 4 * i + 4), oneJ)).toBe(true);
        expect(bits(jacDual.subarray(4 * i, 4 * i + 4), oneJ)).toBe(true);
        fourPL(theta, [xi], 1, onePlain, null);
        expect(bits([fPlain[i]!, plain[i]!], [onePlain[0]!, onePlain[0]!])).toBe(true);
      }
    }
  });

  it("keep 0 and −0 apart where the sign of a zero shows", () => {
    // mid = −0: mid − 0 = −0 and mid − (−0) = +0, so ∂f/∂hill = −g·d differs in sign.
    const theta = Float64Array.of(0, 100, -0, 1);
    const x = Float64Array.of(0, -0);
    const f = new Float64Array(2);
    const jac = new Float64Array(8);
    fourPL(theta, [x], 2, f, jac);
    expect(Object.is(jac[3], jac[7])).toBe(false);
    expect(jac[3]).toBe(0);
  });
});
