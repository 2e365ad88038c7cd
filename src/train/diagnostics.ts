import type { Layout } from "../core/layout.js";
import { checkOptions, positive, positiveInteger } from "../core/options.js";
import { GradientDetector } from "./gradient-detector.js";

/** A plain-words warning about the gradients, raised once per kind and run. */
export interface TrainingWarning {
  epoch: number;
  kind: "exploding" | "vanishing" | "non-finite-loss";
  message: string;
  /** The parameter tensors most involved (largest growth, or smallest norms). */
  parameters: string[];
}

export interface DiagnosticsOptions {
  /** Warn when the gradient norm grows by this factor within `window` epochs (default 1e3). */
  explodeFactor?: number;
  /** Epochs the growth is measured over (default 10). */
  window?: number;
  /** Warn when the gradient norm stays below this for `vanishEpochs` epochs (default 1e-10). */
  vanishBelow?: number;
  vanishEpochs?: number;
}

/** What the detector remembers between epochs (plain data, saved in checkpoints). */
export interface DetectorState {
  /** The last `window` epochs: global norm, per-tensor norms, fraction of steps clipped. */
  recent: { norm: number; tensors: Float64Array; clipFraction: number }[];
  raised: TrainingWarning["kind"][];
  /** Consecutive epochs with the gradient norm below `vanishBelow`. */
  small: number;
  /** The first epoch's loss (NaN before it): a loss that has not moved from it is stalled. */
  firstLoss: number;
}

export type Detector = GradientDetector;
export { GradientDetector };

/**
 * Watches each epoch's gradient norm (global, and per tensor at the epoch's last step) and
 * says in plain words when gradients explode (the norm rising by orders of magnitude, or a
 * non-finite loss) or vanish (the norm below ε for k epochs while the loss has not dropped
 * from the first epoch's by 1%: small gradients after the loss fell are a converged run, not
 * a stuck one), naming the tensors involved. When a clip in the chain is binding, the
 * exploding advice says so instead of suggesting the clip that is already there.
 */
export function createDetector(
  layout: Layout,
  options: DiagnosticsOptions = {},
  initial?: DetectorState,
): GradientDetector {
  checkOptions("diagnostics", options, DIAGNOSTICS_CHECKS);
  return new GradientDetector(layout, options, initial);
}

const DIAGNOSTICS_CHECKS = {
  explodeFactor: positive,
  window: positiveInteger,
  vanishBelow: positive,
  vanishEpochs: positiveInteger,
};
