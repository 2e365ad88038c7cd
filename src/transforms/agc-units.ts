import type { Entry } from "../core/layout.js";
import type { AgcAxis } from "./clip-adaptive-unitwise.js";

/**
 * AGC's units and hot loops (see `adaptiveClip`). An entry is an R×C row-major block at `off`;
 * mode NONE: not clipped; ROWS: R units of C contiguous entries; COLUMNS: C units of R entries,
 * stride C. Per-unit arrays are indexed from u0. The loops are small functions so that V8
 * optimises them on their own, instead of on-stack-replacing the whole `update`.
 */
export const NONE = 0;
export const ROWS = 1;
export const COLUMNS = 2;

/** Mode, R and C of one entry under `axis`. */
export function unitShape(entry: Entry, axis: AgcAxis): [mode: number, r: number, c: number] {
  const { shape, size } = entry;
  if (axis === "none") return [NONE, 1, size];
  if (axis === "elements") return [ROWS, size, 1];
  if (axis === "all" || shape.length < 2) return [ROWS, 1, size];
  if (axis === "rows") return [ROWS, shape[0]!, shape.slice(1).reduce((a, b) => a * b, 1)];
  const last = shape[shape.length - 1]!;
  return [COLUMNS, shape.slice(0, -1).reduce((a, b) => a * b, 1), last];
}

/** Sums of squares of each row of G into gn and of W into bn. */
export function measureRows(
  g: Float64Array,
  w: Float64Array,
  gn: Float64Array,
  bn: Float64Array,
  off: number,
  R: number,
  C: number,
  u0: number,
): void {
  for (let r = 0; r < R; r++) {
    let sg = 0;
    let sw = 0;
    for (let i = off + r * C, end = i + C; i < end; i++) {
      const gi = g[i]!;
      const wi = w[i]!;
      sg += gi * gi;
      sw += wi * wi;
    }
    gn[u0 + r] = sg;
    bn[u0 + r] = sw;
  }
}

/**
 * Sums of squares of each column, accumulated row by row (contiguous reads, no strided sweep),
 * two rows at a time to halve the read-modify-writes of the accumulators.
 */
export function measureColumns(
  g: Float64Array,
  w: Float64Array,
  gn: Float64Array,
  bn: Float64Array,
  off: number,
  R: number,
  C: number,
  u0: number,
): void {
  gn.fill(0, u0, u0 + C);
  bn.fill(0, u0, u0 + C);
  let r = 0;
  for (; r + 1 < R; r += 2) {
    const a = off + r * C;
    const b = a + C;
    for (let c = 0; c < C; c++) {
      const g0 = g[a + c]!;
      const g1 = g[b + c]!;
      const w0 = w[a + c]!;
      const w1 = w[b + c]!;
      gn[u0 + c]! += g0 * g0 + g1 * g1;
      bn[u0 + c]! += w0 * w0 + w1 * w1;
    }
  }
  if (r < R) {
    const a = off + r * C;
    for (let c = 0; c < C; c++) {
      const g0 = g[a + c]!;
      const w0 = w[a + c]!;
      gn[u0 + c]! += g0 * g0;
      bn[u0 + c]! += w0 * w0;
    }
  }
}

export function applyRows(
  g: Float64Array,
  factors: Float64Array,
  off: number,
  R: number,
  C: number,
  u0: number,
) {
  for (let r = 0; r < R; r++) {
    const f = factors[u0 + r]!;
    if (f === 1) continue;
    for (let i = off + r * C, end = i + C; i < end; i++) g[i]! *= f;
  }
}

export function applyColumns(
  g: Float64Array,
  factors: Float64Array,
  off: number,
  R: number,
  C: number,
  u0: number,
) {
  for (let r = 0; r < R; r++) {
    const base = off + r * C;
    for (let c = 0; c < C; c++) g[base + c]! *= factors[u0 + c]!;
  }
}
