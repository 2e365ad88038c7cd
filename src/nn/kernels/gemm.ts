import { checkOperand, checkSizes, scaleOutput } from "./check.js";
import { product } from "./gemm-select.js";

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
 */
export function matmul(
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
): void {
  checkSizes("matmul", m, n, k);
  checkOperand("matmul", "A", a, aOffset, m * k);
  checkOperand("matmul", "B", b, bOffset, k * n);
  checkOperand("matmul", "C", c, cOffset, m * n);
  scaleOutput(c, cOffset, m * n, beta);
  product(m, n, k, a, aOffset, k, 1, b, bOffset, n, 1, c, cOffset);
}

/** C (m×n) = Aᵀ·B + β·C with A stored k×m and B k×n, row-major (see `matmul`). */
export function matmulTransA(
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
): void {
  checkSizes("matmulTransA", m, n, k);
  checkOperand("matmulTransA", "A", a, aOffset, k * m);
  checkOperand("matmulTransA", "B", b, bOffset, k * n);
  checkOperand("matmulTransA", "C", c, cOffset, m * n);
  scaleOutput(c, cOffset, m * n, beta);
  product(m, n, k, a, aOffset, 1, m, b, bOffset, n, 1, c, cOffset);
}

/** C (m×n) = A·Bᵀ + β·C with A stored m×k and B n×k, row-major (see `matmul`). */
export function matmulTransB(
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
): void {
  checkSizes("matmulTransB", m, n, k);
  checkOperand("matmulTransB", "A", a, aOffset, m * k);
  checkOperand("matmulTransB", "B", b, bOffset, n * k);
  checkOperand("matmulTransB", "C", c, cOffset, m * n);
  scaleOutput(c, cOffset, m * n, beta);
  product(m, n, k, a, aOffset, k, 1, b, bOffset, 1, k, c, cOffset);
}
