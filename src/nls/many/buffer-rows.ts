/**
 * Buffers come in powers of two rows (at least 16): a run's curves share a few sizes, and the
 * fitters, reports and refits made for one size serve every curve of up to that many rows.
 * The next power of two from the leading zeros of rows − 1 (an integer count), the same number
 * as `2 ** Math.ceil(Math.log2(Math.max(rows, 16)))` without its log2. As a shift, not
 * `2 ** e`: optimised code calls the C library's pow for a power whose exponent is not a
 * constant (0.4 % of a grouped fit's CPU at two calls a group); 1 << e is exact for e ≤ 30.
 */
export function bufferRows(rows: number): number {
  if (rows <= 16) return 16;
  if (rows > 2 ** 30) return 2 ** Math.ceil(Math.log2(rows));
  return 1 << (32 - Math.clz32(rows - 1));
}
