/**
 * Shape checks shared by the matrix kernels. A typed array read past its end gives
 * `undefined` (NaN in arithmetic) and a write past it is dropped silently, so every kernel
 * checks its operands' extents once per call (integer comparisons; nothing allocated unless
 * it throws).
 */
export function checkOperand(
  owner: string,
  name: string,
  buffer: Float64Array,
  offset: number,
  size: number,
): void {
  if (!Number.isInteger(offset) || offset < 0 || offset + size > buffer.length) {
    throw new RangeError(
      `${owner}: ${name} needs ${size} values from offset ${offset}, but its buffer has ${buffer.length}`,
    );
  }
}

export function checkSizes(owner: string, m: number, n: number, k: number): void {
  if (!(isCount(m) && isCount(n) && isCount(k))) {
    throw new RangeError(`${owner}: sizes must be integers >= 0, got m=${m}, n=${n}, k=${k}`);
  }
}

function isCount(v: number): boolean {
  return Number.isInteger(v) && v >= 0;
}

/**
 * C ← β·C over `size` entries from `offset`, BLAS-style: β = 0 overwrites without reading C
 * (so stale NaN or garbage never leaks into the result), β = 1 leaves C as it is.
 */
export function scaleOutput(c: Float64Array, offset: number, size: number, beta: number): void {
  if (beta === 1) return;
  if (beta === 0) {
    c.fill(0, offset, offset + size);
    return;
  }
  for (let i = offset; i < offset + size; i++) c[i]! *= beta;
}
