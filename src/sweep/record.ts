import type { SweepCellResult } from "../tasks/sweep-cell-result.js";
import { EXPLODE_FACTOR } from "./defaults.js";

/** What one run measured: the sweep-cell task's result (src/tasks/sweep-cell-result.ts). */
export type RunRecord = SweepCellResult;

/** How a run diverged: the loss became non-finite, or exploded (last > factor × initial). */
export type Divergence = "non-finite" | "exploded" | null;

export { EXPLODE_FACTOR };

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
