import { checkOperand, checkSizes, scaleOutput } from "./check.js";
import { blockedProduct } from "./gemm-blocked.js";
import { float32Product, hasFloat32Gemm } from "./gemm-f32-wasm.js";
import { product, productOn } from "./gemm-select.js";
import type { GemmInstance } from "./gemm-wasm-instance.js";

/**
 * Dense matrix products on row-major Float64Arrays, BLAS-style (dgemm without leading
 * dimensions): each operand is a contiguous row-major block starting at an offset, so a
 * layer's weights are used in place inside the flat parameter vector. The result goes into
 * a preallocated C; nothing is allocated per call. Sizes are explicit: C is m×n and k is the
 * summed dimension.
 *
 *   matmul:        C = A·B   + β·C,   A m×k, B k×n:   C_ij = Σ_p A_ip B_pj
 *   matmulTransA:  C = Aᵀ·B  + β·C,   A k×m, B k×n:   C_ij = Σ_p A_pi B_pj
 *   matmulTransB:  C = A·Bᵀ  + β·C,   A m×k, B n×k:   C_ij = Σ_p A_ip B_jp
 *
 * β = 0 overwrites C without reading it (stale NaN never leaks in), β = 1 accumulates (the
 * gradients of several mini-batch chunks add up), any other β scales C first.
 * A dense layer Z = X·W (X batch×in, W in×out) uses matmul forward and, backward,
 * ∂W = Xᵀ·∂Z (matmulTransA) and ∂X = ∂Z·Wᵀ (matmulTransB).
 * Blocking and the register tiles: gemm-blocked.ts (JS) and gemm-wasm.ts (WebAssembly SIMD),
 * one of them chosen at load by gemm-select.ts (same results). C must not overlap A or B.
 * `float32Products` are the same three products computed in single precision
 * (gemm-f32-wasm.ts), for networks trained with `dtype: "float32"`.
 */
type Product = typeof product;
type MatrixProduct = (
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  aOffset: number,
  b: Float64Array,
  bOffset: number,
  c: Float64Array,
  cOffset: number,
  beta: number,
) => void;

/** The three products of a layer, all in one precision. */
export interface MatrixProducts {
  /** C (m×n) = A·B + β·C, A m×k, B k×n. */
  readonly matmul: MatrixProduct;
  /** C (m×n) = Aᵀ·B + β·C, A stored k×m, B k×n. */
  readonly matmulTransA: MatrixProduct;
  /** C (m×n) = A·Bᵀ + β·C, A m×k, B stored n×k. */
  readonly matmulTransB: MatrixProduct;
}

/** The numeric type of a network's matrix products. */
export type DType = "float64" | "float32";

function productsOf(run: Product): MatrixProducts {
  return {
    matmul(m, n, k, a, aOffset, b, bOffset, c, cOffset, beta) {
      checkSizes("matmul", m, n, k);
      checkOperand("matmul", "A", a, aOffset, m * k);
      checkOperand("matmul", "B", b, bOffset, k * n);
      checkOperand("matmul", "C", c, cOffset, m * n);
      scaleOutput(c, cOffset, m * n, beta);
      run(m, n, k, a, aOffset, k, 1, b, bOffset, n, 1, c, cOffset);
    },
    matmulTransA(m, n, k, a, aOffset, b, bOffset, c, cOffset, beta) {
      checkSizes("matmulTransA", m, n, k);
      checkOperand("matmulTransA", "A", a, aOffset, k * m);
      checkOperand("matmulTransA", "B", b, bOffset, k * n);
      checkOperand("matmulTransA", "C", c, cOffset, m * n);
      scaleOutput(c, cOffset, m * n, beta);
      run(m, n, k, a, aOffset, 1, m, b, bOffset, n, 1, c, cOffset);
    },
    matmulTransB(m, n, k, a, aOffset, b, bOffset, c, cOffset, beta) {
      checkSizes("matmulTransB", m, n, k);
      checkOperand("matmulTransB", "A", a, aOffset, m * k);
      checkOperand("matmulTransB", "B", b, bOffset, n * k);
      checkOperand("matmulTransB", "C", c, cOffset, m * n);
      scaleOutput(c, cOffset, m * n, beta);
      run(m, n, k, a, aOffset, k, 1, b, bOffset, 1, k, c, cOffset);
    },
  };
}

/** The float64 products on the scalar JS kernel only (the fallback; for comparisons). */
export const jsFloat64Products: MatrixProducts = productsOf(blockedProduct);

/** The float64 products (the default; bit-identical whichever kernel runs). */
export const float64Products: MatrixProducts = productsOf(product);

/**
 * The float32 products: operands rounded to float32, block sums in float32, C float64
 * (gemm-f32-wasm.ts). Null when the runtime has no WebAssembly SIMD.
 */
export const float32Products: MatrixProducts | null = hasFloat32Gemm
  ? productsOf(float32Product)
  : null;

/**
 * The float64 products of a network whose buffers live in `inst`'s memory (the same bits as
 * float64Products; operands and outputs in that memory are not copied).
 */
export function residentFloat64Products(inst: GemmInstance): MatrixProducts {
  return productsOf(productOn(inst));
}

export const { matmul, matmulTransA, matmulTransB } = float64Products;
