import { describe, expect, it } from "vitest";
import { createRng } from "../../src/core/rng.js";
import { float32Products, float64Products } from "../../src/nn/kernels/gemm.js";
import { float32Product, hasFloat32Gemm } from "../../src/nn/kernels/gemm-f32-wasm.js";

// The float32 kernel's arithmetic, written out with Math.fround: operands rounded to float32,
// each KC = 256 block of p summed in float32 in order (product rounded, then the sum rounded),
// the block sum added to C in float64. fround(x·y) and fround(s + t) of float32 values are the
// correctly rounded float32 results (float64 has more than 2·24 + 2 bits), so the kernel must
// match this bit for bit.
const KC = 256;
function frounded(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  aOff: number,
  ars: number,
  acs: number,
  b: Float64Array,
  bOff: number,
  brs: number,
  bcs: number,
  c: Float64Array,
  cOff: number,
): void {
  const f = Math.fround;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const end = Math.min(k, p0 + KC);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = p0; p < end; p++) {
          s = f(s + f(f(a[aOff + i * ars + p * acs]!) * f(b[bOff + p * brs + j * bcs]!)));
        }
        c[cOff + i * n + j]! += s;
      }
    }
  }
}

const rng = createRng(20261203);
const random = (len: number) => Float64Array.from({ length: len }, () => rng.normal());

type Kind = "nn" | "tA" | "tB";
function strides(kind: Kind, m: number, n: number, k: number) {
  if (kind === "nn") return { ars: k, acs: 1, brs: n, bcs: 1 };
  if (kind === "tA") return { ars: 1, acs: m, brs: n, bcs: 1 };
  return { ars: k, acs: 1, brs: 1, bcs: k };
}

describe.runIf(hasFloat32Gemm)("WebAssembly SIMD float32 GEMM", () => {
  it("equals float32 arithmetic in the documented order, bit for bit, on edge shapes", () => {
    // Sizes around the 4×8 tile, k across the KC = 256 block edge, every transpose.
    const shapes: [number, number, number][] = [
      [1, 1, 1],
      [3, 7, 5],
      [4, 8, 16],
      [5, 9, 255],
      [9, 17, 256],
      [7, 15, 257],
      [13, 3, 600],
      [33, 70, 513],
    ];
    for (let t = 0; t < 8; t++) {
      shapes.push([
        1 + Math.floor(rng.uniform() * 40),
        1 + Math.floor(rng.uniform() * 40),
        1 + Math.floor(rng.uniform() * 600),
      ]);
    }
    for (const [m, n, k] of shapes) {
      for (const kind of ["nn", "tA", "tB"] as const) {
        const { ars, acs, brs, bcs } = strides(kind, m, n, k);
        const a = random(3 + m * k);
        const b = random(5 + k * n);
        const c0 = random(2 + m * n + 1);
        const expected = Float64Array.from(c0);
        const got = Float64Array.from(c0);
        frounded(m, n, k, a, 3, ars, acs, b, 5, brs, bcs, expected, 2);
        float32Product(m, n, k, a, 3, ars, acs, b, 5, brs, bcs, got, 2);
        const diff = got.findIndex((v, i) => !Object.is(v, expected[i]));
        expect(diff, `${kind} ${m}×${n}×${k}`).toBe(-1);
        expect(got[0]).toBe(c0[0]); // entries outside C are untouched
        expect(got[got.length - 1]).toBe(c0[c0.length - 1]);
      }
    }
  });

  it("is within float32 rounding of the float64 product, and really float32", () => {
    const [m, n, k] = [32, 24, 500];
    const a = random(m * k);
    const b = random(k * n);
    const c64 = new Float64Array(m * n);
    const c32 = new Float64Array(m * n);
    float64Products.matmul(m, n, k, a, 0, b, 0, c64, 0, 0);
    float32Products!.matmul(m, n, k, a, 0, b, 0, c32, 0, 0);
    let worst = 0;
    let exact = 0;
    for (let i = 0; i < m * n; i++) {
      // Entries are sums of k products of N(0,1) values: |C| ≈ √k, errors ≈ 2^-24·k.
      worst = Math.max(worst, Math.abs(c32[i]! - c64[i]!));
      if (c32[i] === c64[i]) exact++;
    }
    expect(worst).toBeLessThan(2 ** -24 * k * 4);
    expect(worst).toBeGreaterThan(0);
    expect(exact).toBeLessThan((m * n) / 10);
  });

  it("honours β like the float64 products (0 overwrites NaN, 1 accumulates)", () => {
    const [m, n, k] = [6, 10, 40];
    const a = random(k * m);
    const b = random(k * n);
    const once = new Float64Array(m * n).fill(Number.NaN);
    float32Products!.matmulTransA(m, n, k, a, 0, b, 0, once, 0, 0);
    expect(once.every(Number.isFinite)).toBe(true);
    const twice = Float64Array.from(once);
    float32Products!.matmulTransA(m, n, k, a, 0, b, 0, twice, 0, 1);
    for (let i = 0; i < m * n; i++) expect(twice[i]).toBe(once[i]! + once[i]!);
  });
});
