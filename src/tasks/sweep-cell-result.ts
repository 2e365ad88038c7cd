import { z } from "zod";

/**
 * What one sweep cell measured: the `sweep-cell` task's result, as a worker returns it and the
 * sweep's journal keeps it. Losses are the run's own (train: the model's training loss — MSE,
 * or cross-entropy for a classifier; fit: the mean squared residual); `null` stands for a
 * non-finite value (JSON has no NaN or Infinity).
 */
export interface SweepCellResult {
  /**
   * Loss at the start: fit — at the (jittered) starting parameters; train — the first
   * epoch's loss, which is the loss at the starting parameters for full-batch training and
   * the mean over the first epoch's mini-batches otherwise. Null if no epoch finished.
   */
  initialLoss: number | null;
  /** Loss at the parameters the run returns (train: its final ones; fit: the best seen). */
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
   * Epochs (steps) run until the loss was first <= the request's lossThreshold, counted as
   * `biograd train` counts them (the epoch whose loss reached it included); null if never.
   */
  epochsToThreshold: number | null;
  /** Fraction of the applied steps in which the clip changed the gradient (0 without a clip). */
  clipFraction: number;
  /** The non-finite guard (policy `error`) stopped the run at a NaN/±Inf gradient. */
  nonFiniteGradient: boolean;
  /** Wall time of the run, milliseconds (the only field that is not reproducible). */
  timeMs: number;
}

const count = z.number().int().min(0).max(1e12);
/** A loss as the result keeps it: finite, or null for a non-finite one. */
const loss = z.number().nullable();

/** The result's schema, for files that hold results read back (the sweep's journal). */
export const sweepCellResultSchema = z.strictObject({
  initialLoss: loss,
  finalLoss: loss,
  bestLoss: loss,
  lastLoss: loss,
  epochs: count,
  stopReason: z.string().min(1).max(64),
  epochsToThreshold: count.nullable(),
  clipFraction: z.number().min(0).max(1),
  nonFiniteGradient: z.boolean(),
  timeMs: z.number().min(0),
});

// Compile-time check that the schema and the interface describe the same data.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
true satisfies Same<z.infer<typeof sweepCellResultSchema>, SweepCellResult>;

/** A number as the result keeps it: itself when finite, else null. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
