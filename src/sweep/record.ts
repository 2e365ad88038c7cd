/**
 * What one run measured, as a worker returns it and the journal keeps it. Losses are the
 * model's own (MSE for `train`, mean squared residual for `fit`); `null` stands for a
 * non-finite value (JSON has no NaN or Infinity).
 */
export interface RunRecord {
  /** Loss at the starting parameters. */
  initialLoss: number | null;
  /** Loss at the parameters the run returns (train: the last ones; fit: the best seen). */
  finalLoss: number | null;
  /** Lowest loss seen: any epoch's loss, or the final one. */
  bestLoss: number | null;
  /** Loss at the last iterate (train: = finalLoss; fit: the last point a gradient was taken). */
  lastLoss: number | null;
  /** Epochs (train) or first-order steps (fit) actually run. */
  epochs: number;
  /** Why the run stopped (the trainer's or the first-order phase's reason). */
  stopReason: string;
  /**
   * Epochs (steps) run until the loss was first <= the spec's lossThreshold, counted as
   * `biograd train` counts them (the epoch whose loss reached it included); null if never.
   */
  epochsToThreshold: number | null;
  /** Fraction of the applied steps in which the clip changed the gradient (0 without a clip). */
  clipFraction: number;
  /** A clip with the `error` policy stopped the run at a NaN/±Inf gradient. */
  nonFiniteGradient: boolean;
  /** Wall time of the run in the worker, milliseconds (the only field that is not reproducible). */
  timeMs: number;
}

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

/** A number as the record keeps it: itself when finite, else null. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
