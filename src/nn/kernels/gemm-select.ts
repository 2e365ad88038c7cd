import { blockedProduct } from "./gemm-blocked.js";
import { hasWasmGemm, productIn, wasmProduct } from "./gemm-wasm.js";
import type { GemmInstance } from "./gemm-wasm-instance.js";

/**
 * The GEMM loop nest that matmul, matmulTransA and matmulTransB run, chosen once when the
 * module loads: the WebAssembly SIMD kernel (gemm-wasm.ts) where the runtime validates it,
 * else the scalar JS kernel (gemm-blocked.ts). Both give bit-identical results, so the choice
 * only changes speed. Products under SMALL multiply-adds stay on JS, where copying into wasm
 * memory costs more than it saves (the 64→1 output layer of a network, tiny models).
 * `BIOGRAD_GEMM=js` in the environment forces the JS kernel (for A/B benchmarks).
 */
const SMALL = 4096;
const forceJs = typeof process === "object" && process.env?.BIOGRAD_GEMM === "js";

/** Which kernel runs the large products: "wasm-simd" or "js". */
export const gemmBackend: "wasm-simd" | "js" = hasWasmGemm && !forceJs ? "wasm-simd" : "js";

export const product: typeof blockedProduct =
  gemmBackend === "js"
    ? blockedProduct
    : (m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff) => {
        if (m * n * k < SMALL || n < 4) {
          blockedProduct(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff);
        } else wasmProduct(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff);
      };

/**
 * The same choice on a network's resident instance (gemm-wasm-instance.ts), whose buffers the
 * module reads and writes in place; a product that does not fit its scratch runs on JS.
 */
export function productOn(inst: GemmInstance): typeof blockedProduct {
  return (m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff) => {
    if (
      m * n * k < SMALL ||
      n < 4 ||
      !productIn(inst, m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff)
    ) {
      blockedProduct(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff);
    }
  };
}
