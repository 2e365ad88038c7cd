import type { SweepCellResult } from "../tasks/sweep-cell-result.js";

/** What one run measured: the sweep-cell task's result (src/tasks/sweep-cell-result.ts). */
export type RunRecord = SweepCellResult;

/** How a run diverged: the loss became non-finite, or exploded (last > factor × initial). */
export type Divergence = "non-finite" | "exploded" | null;

/** Default explosion factor: a last loss above 1000 × the initial loss counts as diverged. */
export const EXPLODE_FACTOR = 1e3;

export function divergence(record: RunRecord, explodeFactor = EXPLODE_FACTOR): Divergence {
  if (record.nonFiniteGradient || record.lastLoss === null || record.finalLoss === null) {
    return "non-finite";
  }
  const initial = record.initialLoss;
  if (initial !== null && initial > 0 && record.lastLoss > explodeFactor * initial) {
    return "exploded";
  }
  return null;
}
