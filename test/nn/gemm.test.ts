import { describe, expect, it } from "vitest";
import { matmul, matmulTransA, matmulTransB } from "../../src/nn/kernels/gemm.js";
import { naiveProduct, randomBuffer, relativeError, sameBits } from "./reference.js";

// Shapes around the blocking (KC = 256 rows, NC = 128 columns per packed panel, 2×4 register
// tile): 1×1×1, odd sizes, sizes one off the tile and block edges, and a k spanning two
// k-blocks with a remainder.
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 5, 3],
  [3, 1, 7],
  [2, 4, 1],
  [5, 7, 9],
  [7, 3, 2],
  [16, 16, 16],
  [33, 129, 17],
  [3, 130, 257],
  [129, 5, 300],
  [17, 131, 513],
];

/** How op(A) and op(B) are read from their row-major buffers, given C = m×n and k. */
interface Dims {
  m: number;
  n: number;
  k: number;
}

const KERNELS = [
  {
    name: "matmul (A·B)",
    run: matmul,
    a:
      (a: Float64Array, { k }: Dims) =>
      (i: number, p: number) =>
        a[i * k + p]!,
    b:
      (b: Float64Array, { n }: Dims) =>
      (p: number, j: number) =>
        b[p * n + j]!,
  },
  {
    name: "matmulTransA (Aᵀ·B)",
    run: matmulTransA,
    a:
      (a: Float64Array, { m }: Dims) =>
      (i: number, p: number) =>
        a[p * m + i]!,
    b:
      (b: Float64Array, { n }: Dims) =>
      (p: number, j: number) =>
        b[p * n + j]!,
  },
  {
    name: "matmulTransB (A·Bᵀ)",
    run: matmulTransB,
    a:
      (a: Float64Array, { k }: Dims) =>
      (i: number, p: number) =>
        a[i * k + p]!,
    b:
      (b: Float64Array, { k }: Dims) =>
      (p: number, j: number) =>
        b[j * k + p]!,
  },
];

describe.each(KERNELS)("$name", ({ run, a: readA, b: readB }) => {
  it.each(SHAPES)(
    "matches the naive product for m=%i n=%i k=%i (β = 0, 1, 0.5; offsets)",
    (m, n, k) => {
      const seed = m * 10007 + n * 101 + k;
      const [aOff, bOff, cOff] = [3, 5, 2];
      const a = randomBuffer(aOff + m * k + 4, seed);
      const b = randomBuffer(bOff + k * n + 1, seed + 1);
      const sub = (buf: Float64Array, off: number) => buf.subarray(off);
      const expected = naiveProduct(
        m,
        n,
        k,
        readA(sub(a, aOff), { m, n, k }),
        readB(sub(b, bOff), { m, n, k }),
      );
      const tol = 1e-14 * Math.sqrt(k);

      // β = 0 overwrites and never reads C: NaN garbage must not leak through.
      const c = new Float64Array(cOff + m * n + 3).fill(Number.NaN);
      run(m, n, k, a, aOff, b, bOff, c, cOff, 0);
      expect(relativeError(c.subarray(cOff, cOff + m * n), expected)).toBeLessThan(tol);
      expect(Number.isNaN(c[cOff - 1]!) && Number.isNaN(c[cOff + m * n]!)).toBe(true); // untouched

      // β = 1 accumulates onto what is there; other β scale it first.
      const start = randomBuffer(m * n, seed + 2);
      for (const beta of [1, 0.5]) {
        const acc = Float64Array.from(start);
        run(m, n, k, a, aOff, b, bOff, acc, 0, beta);
        const want = expected.map((v, i) => v + beta * start[i]!);
        expect(relativeError(acc, want)).toBeLessThan(tol);
      }
    },
  );

  it("is deterministic bit for bit and leaves C = β·C when k = 0", () => {
    const [m, n, k] = [37, 141, 290];
    const a = randomBuffer(m * k + n * k, 1);
    const b = randomBuffer(k * n + m * k, 2);
    const c1 = new Float64Array(m * n + m * k + n * k);
    const c2 = new Float64Array(c1.length);
    run(m, n, k, a, 0, b, 0, c1, 0, 0);
    run(m, n, k, a, 0, b, 0, c2, 0, 0);
    expect(sameBits(c1, c2)).toBe(true);
    const c = Float64Array.of(1, 2, 3, 4);
    run(2, 2, 0, a, 0, b, 0, c, 0, 0.5);
    expect(Array.from(c)).toEqual([0.5, 1, 1.5, 2]);
  });

  it("rejects operands too short for the sizes, naming the operand", () => {
    const small = new Float64Array(5);
    expect(() =>
      run(2, 3, 4, small, 0, new Float64Array(12), 0, new Float64Array(6), 0, 0),
    ).toThrow(/A needs 8 values from offset 0, but its buffer has 5/);
    expect(() =>
      run(2, 3, 4, new Float64Array(8), 0, new Float64Array(12), 0, small, 0, 0),
    ).toThrow(/C needs 6/);
    expect(() => run(-1, 3, 4, small, 0, small, 0, small, 0, 0)).toThrow(
      /sizes must be integers >= 0/,
    );
  });
});
