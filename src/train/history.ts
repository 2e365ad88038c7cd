/** One epoch of training, as kept in the history and passed to callbacks. */
export interface EpochRecord {
  /** 0-based epoch index. */
  epoch: number;
  /** Mean loss over the epoch's rows, each batch measured before its update. */
  loss: number;
  /**
   * Mean global L2 norm of the gradient before clipping, over the epoch's applied steps: the
   * norm the clip saw (after a `freeze` or a `zero` guard), or the raw gradient's without a clip.
   */
  gradNorm: number;
  /** Mean global L2 norm after clipping (equals gradNorm when no clip is in the chain). */
  clippedNorm: number;
  /** Fraction of the epoch's steps in which a clip changed the gradient. */
  clipFraction: number;
  /** Learning rate of the epoch's last applied step. */
  lr: number;
  /** Steps dropped by a non-finite `skip` policy in this epoch (not in the norm means). */
  skippedSteps: number;
  /** Non-finite gradient entries replaced by zero by a `zero` policy in this epoch. */
  zeroedEntries: number;
  /** The clip's threshold in effect at the epoch's last step (adaptive clips move it); NaN without a clip. */
  threshold: number;
  /** L2 norm of each parameter tensor's raw gradient at the epoch's last step (diagnostics on). */
  tensorNorms?: Record<string, number>;
  /** The same after clipping (equal to `tensorNorms` when no clip ran). */
  tensorNormsAfter?: Record<string, number>;
  /** Validation loss at the end of the epoch, when a validation set is given. */
  validationLoss?: number;
  /** Other per-epoch measurements (e.g. validation accuracy), when `metrics` is given. */
  metrics?: Record<string, number>;
}

/**
 * Why training ended:
 * - `max-epochs`: the epoch budget ran out;
 * - `loss-threshold`: the epoch loss reached `lossThreshold`;
 * - `patience`: `patience` epochs passed without the loss improving by more than `minDelta`;
 * - `early-stopping`: the validation loss did not improve by more than its `minDelta` for its
 *   `patience` epochs (the best epoch's parameters are restored unless `restoreBest: false`);
 * - `diverged`: the loss became NaN or ±Infinity (parameters are those of the last finite epoch
 *   only if a clip's non-finite policy prevented the update; otherwise they may be non-finite);
 * - `interrupted`: the `signal` was aborted; the run stopped at the next epoch boundary (a
 *   checkpoint, if asked for, was saved there);
 * - `converged`: the best loss improved by less than `relativeImprovement.relTol` (relative)
 *   within its `patience` epochs;
 * - `non-finite-gradient`: with `stopOnSkippedStep`, a transform skipped a step (a non-finite
 *   gradient at a finite loss: full-batch, the same point would be skipped again).
 */
export type StopReason =
  | "max-epochs"
  | "loss-threshold"
  | "patience"
  | "early-stopping"
  | "diverged"
  | "interrupted"
  | "converged"
  | "non-finite-gradient";

export const STOP_REASON_TEXT: Record<StopReason, string> = {
  "max-epochs": "reached the epoch budget",
  "loss-threshold": "loss reached the threshold",
  patience: "no improvement within the patience window",
  "early-stopping": "validation loss stopped improving (best epoch restored)",
  diverged: "loss became non-finite (diverged)",
  interrupted: "interrupted (stopped at an epoch boundary)",
  converged: "the best loss stopped improving (relative tolerance)",
  "non-finite-gradient": "a non-finite gradient at a finite loss (step skipped)",
};
