import type { BlockProblem } from "./block-problem.js";

/**
 * Sums and products over the per-group residuals and Jacobian blocks of a BlockProblem (global
 * layout [shared | group locals …]), for the block LM and the summary.
 */

/** Σ r² over all groups. */
export function ss(r: readonly Float64Array[]): number {
  let s = 0;
  for (const rg of r) for (let i = 0; i < rg.length; i++) s += rg[i]! * rg[i]!;
  return s;
}

/** Σ (r − t)(r + t) over all rows: ‖r‖² − ‖t‖² without cancellation where they agree. */
export function reduction(r: readonly Float64Array[], t: readonly Float64Array[]): number {
  let s = 0;
  for (let g = 0; g < r.length; g++) {
    const a = r[g]!;
    const b = t[g]!;
    for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) * (a[i]! + b[i]!);
  }
  return s;
}

/** ‖J_j‖ and (Jᵀr)_j for every column of the global layout, from the blocks. */
export function columnNormsAndGradient(
  bp: BlockProblem,
  blocks: readonly Float64Array[],
  r: readonly Float64Array[],
  norms: Float64Array,
  grad: Float64Array,
): void {
  const { qs, ql } = bp;
  const q = qs + ql;
  norms.fill(0);
  grad.fill(0);
  for (let g = 0; g < blocks.length; g++) {
    const b = blocks[g]!;
    const rg = r[g]!;
    for (let i = 0; i < rg.length; i++) {
      for (let c = 0; c < q; c++) {
        const k = c < ql ? qs + g * ql + c : c - ql;
        const v = b[i * q + c]!;
        norms[k]! += v * v;
        grad[k]! += v * rg[i]!;
      }
    }
  }
  for (let k = 0; k < norms.length; k++) norms[k] = Math.sqrt(norms[k]!);
}

/** ‖J·p‖² from the blocks. */
export function jacobianTimes(
  bp: BlockProblem,
  blocks: readonly Float64Array[],
  p: Float64Array,
): number {
  const { qs, ql } = bp;
  const q = qs + ql;
  let s = 0;
  for (let g = 0; g < blocks.length; g++) {
    const b = blocks[g]!;
    const n = bp.groups[g]!.y.length;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let c = 0; c < q; c++) v += b[i * q + c]! * p[c < ql ? qs + g * ql + c : c - ql]!;
      s += v * v;
    }
  }
  return s;
}
