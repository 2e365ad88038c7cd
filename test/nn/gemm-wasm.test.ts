import { describe, expect, it } from "vitest";
import { createRng } from "../../src/core/rng.js";
import { blockedProduct } from "../../src/nn/kernels/gemm-blocked.js";
import { gemmBackend } from "../../src/nn/kernels/gemm-select.js";
import { hasWasmGemm, wasmProduct } from "../../src/nn/kernels/gemm-wasm.js";

// The WebAssembly SIMD kernel sums every C entry in the JS kernel's order with the same
// roundings, so the two must agree bit for bit (Object.is: NaN equals NaN, -0 is not 0).
const rng = createRng(20261203);
const random = (len: number) => Float64Array.from({ length: len }, () => rng.normal());

type Kind = "nn" | "tA" | "tB";
function strides(kind: Kind, m: number, n: number, k: number) {
  if (kind === "nn") return { ars: k, acs: 1, brs: n, bcs: 1 };
  if (kind === "tA") return { ars: 1, acs: m, brs: n, bcs: 1 };
  return { ars: k, acs: 1, brs: 1, bcs: k };
}

function both(kind: Kind, m: number, n: number, k: number, tweak?: (a: Float64Array) => void) {
  const { ars, acs, brs, bcs } = strides(kind, m, n, k);
  const aOff = 3;
  const bOff = 5;
  const cOff = 2;
  const a = random(aOff + m * k + 1);
  const b = random(bOff + k * n);
  tweak?.(a);
  const c0 = random(cOff + m * n + 3);
  const js = Float64Array.from(c0);
  const wasm = Float64Array.from(c0);
  blockedProduct(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, js, cOff);
  wasmProduct(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, wasm, cOff);
  return { js, wasm, c0 };
}

function firstDifference(x: Float64Array, y: Float64Array): number {
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return -1;
}

describe.runIf(hasWasmGemm)("WebAssembly SIMD GEMM", () => {
  it("is the kernel chosen on this runtime (Node 20 has SIMD)", () => {
    expect(gemmBackend).toBe(process.env.BIOGRAD_GEMM === "js" ? "js" : "wasm-simd");
  });

  it("matches the JS kernel bit for bit on edge and random shapes, every transpose", () => {
    const sizes = [1, 2, 3, 4, 5, 7, 8, 13, 17];
    const shapes: [number, number, number][] = [];
    for (const m of sizes) for (const n of sizes) shapes.push([m, n, sizes[(m * 7 + n) % 9]!]);
    // k across the KC = 256 block edge, and sizes not multiples of the 4×4 tile.
    shapes.push([6, 9, 255], [9, 6, 256], [5, 11, 257], [3, 5, 600], [33, 70, 513], [1, 1, 1000]);
    for (let t = 0; t < 12; t++) {
      shapes.push([
        1 + Math.floor(rng.uniform() * 70),
        1 + Math.floor(rng.uniform() * 70),
        1 + Math.floor(rng.uniform() * 700),
      ]);
    }
    for (const [m, n, k] of shapes) {
      for (const kind of ["nn", "tA", "tB"] as const) {
        const { js, wasm, c0 } = both(kind, m, n, k);
        expect(firstDifference(js, wasm), `${kind} ${m}×${n}×${k}`).toBe(-1);
        // and the product was really added (the kernels did not both skip it)
        expect(firstDifference(js, c0), `${kind} ${m}×${n}×${k} changed C`).toBeGreaterThanOrEqual(
          0,
        );
      }
    }
  });

  it("agrees with a naive triple loop to rounding (an independent check)", () => {
    const [m, n, k] = [9, 14, 300];
    const A = random(m * k);
    const B = random(k * n);
    const C = new Float64Array(m * n);
    wasmProduct(m, n, k, A, 0, k, 1, B, 0, n, 1, C, 0);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A[i * k + p]! * B[p * n + j]!;
        expect(Math.abs(C[i * n + j]! - s)).toBeLessThan(1e-12 * k);
      }
    }
  });

  it("propagates NaN and infinity as the JS kernel does (padding never leaks)", () => {
    const { js, wasm } = both("nn", 6, 7, 9, (a) => {
      a[3 + 2] = Number.POSITIVE_INFINITY;
      a[3 + 9 * 4 + 1] = Number.NaN;
    });
    expect(firstDifference(js, wasm)).toBe(-1);
    expect(js.some(Number.isNaN)).toBe(true);
  });

  it("touches nothing outside C's m×n block", () => {
    const { js, wasm, c0 } = both("tB", 5, 6, 7);
    expect(wasm[0]).toBe(c0[0]);
    expect(wasm[1]).toBe(c0[1]);
    expect(wasm.subarray(2 + 30)).toEqual(c0.subarray(2 + 30));
    expect(firstDifference(js, wasm)).toBe(-1);
  });
});
