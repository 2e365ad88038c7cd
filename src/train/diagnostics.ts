import type { Layout } from "../core/layout.js";
import { checkOptions, positive, positiveInteger } from "../core/options.js";
import type { EpochRecord } from "./history.js";

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

export type Detector = ReturnType<typeof createDetector>;

/** How much the loss must drop below the first epoch's before small gradients mean "converged". */
const CONVERGED_DROP = 0.01;

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
) {
  checkOptions("diagnostics", options, {
    explodeFactor: positive,
    window: positiveInteger,
    vanishBelow: positive,
    vanishEpochs: positiveInteger,
  });
  const factor = options.explodeFactor ?? 1e3;
  const window = options.window ?? 10;
  const eps = options.vanishBelow ?? 1e-10;
  const k = options.vanishEpochs ?? 5;
  const names = layout.entries.map((e) => e.name);
  const state: DetectorState = initial ?? {
    recent: [],
    raised: [],
    small: 0,
    firstLoss: Number.NaN,
  };

  const top = (score: (j: number) => number, count = 3): string[] =>
    names
      .map((name, j) => ({ name, s: score(j) }))
      .filter((t) => Number.isFinite(t.s))
      .sort((a, b) => b.s - a.s)
      .slice(0, count)
      .map((t) => t.name);

  const advice = (record: EpochRecord): string => {
    if (Number.isNaN(record.threshold)) {
      return "clip (e.g. --clip global-norm:1) or lower the learning rate";
    }
    const fractions = [...state.recent.map((r) => r.clipFraction), record.clipFraction];
    const binding = fractions.every((f) => f === 1)
      ? "at every step"
      : `in ${Math.round((100 * fractions.reduce((a, f) => a + f, 0)) / fractions.length)}% of the steps`;
    return (
      `the clip in the chain (threshold ${record.threshold.toPrecision(3)}) is binding ${binding}, ` +
      "so it only bounds each step: lower the learning rate or the clip threshold"
    );
  };

  return {
    state,
    observe(record: EpochRecord, tensors: Float64Array): TrainingWarning | null {
      let warning: TrainingWarning | null = null;
      const raised = (kind: TrainingWarning["kind"]) => state.raised.includes(kind);
      const norm = record.gradNorm;
      if (Number.isNaN(state.firstLoss)) state.firstLoss = record.loss;
      if (!Number.isFinite(record.loss) && !raised("non-finite-loss")) {
        warning = {
          epoch: record.epoch,
          kind: "non-finite-loss",
          parameters: top((j) => (Number.isFinite(tensors[j]!) ? tensors[j]! : Number.MAX_VALUE)),
          message: `the loss became ${record.loss} at epoch ${record.epoch}: training diverged`,
        };
      } else if (Number.isFinite(norm) && !raised("exploding") && state.recent.length > 0) {
        const base = state.recent.reduce((m, r) => (r.norm < m.norm ? r : m));
        if (base.norm > 0 && norm / base.norm >= factor) {
          const parameters = top((j) => tensors[j]! / Math.max(base.tensors[j]!, 1e-300));
          warning = {
            epoch: record.epoch,
            kind: "exploding",
            parameters,
            message:
              `gradients are exploding: the gradient norm rose from ${base.norm.toPrecision(3)} to ` +
              `${norm.toPrecision(3)} (×${(norm / base.norm).toExponential(1)}) within ${window} epochs, ` +
              `most in ${parameters.join(", ")}; ${advice(record)}`,
          };
        }
      }
      state.small = norm < eps ? state.small + 1 : 0;
      // A loss that fell from the first epoch's (or is exactly 0) has converged, not stalled.
      const stalled =
        record.loss !== 0 &&
        !(record.loss < state.firstLoss - CONVERGED_DROP * Math.abs(state.firstLoss));
      if (warning === null && state.small >= k && stalled && !raised("vanishing")) {
        const parameters = top((j) => -tensors[j]!);
        warning = {
          epoch: record.epoch,
          kind: "vanishing",
          parameters,
          message:
            `gradients are vanishing: the gradient norm has stayed below ${eps} for ${k} epochs ` +
            `(smallest in ${parameters.join(", ")}) while the loss is ${record.loss.toPrecision(4)}, ` +
            `no lower than at the first epoch (${state.firstLoss.toPrecision(4)}); ` +
            "the model may be saturated or stuck on a plateau",
        };
      }
      state.recent.push({
        norm,
        tensors: Float64Array.from(tensors),
        clipFraction: record.clipFraction,
      });
      if (state.recent.length > window) state.recent.shift();
      if (warning) state.raised.push(warning.kind);
      return warning;
    },
  };
}
