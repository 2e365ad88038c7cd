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

/**
 * Watches each epoch's gradient norm (global, and per tensor at the epoch's last step) and
 * says in plain words when gradients explode (the norm rising by orders of magnitude, or a
 * non-finite loss) or vanish (the norm below ε for k epochs), naming the tensors involved.
 */
export function createDetector(layout: Layout, options: DiagnosticsOptions = {}) {
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
  const recent: { norm: number; tensors: Float64Array }[] = [];
  const raised = new Set<TrainingWarning["kind"]>();
  let small = 0;

  const top = (score: (j: number) => number, count = 3): string[] =>
    names
      .map((name, j) => ({ name, s: score(j) }))
      .filter((t) => Number.isFinite(t.s))
      .sort((a, b) => b.s - a.s)
      .slice(0, count)
      .map((t) => t.name);

  return {
    observe(record: EpochRecord, tensors: Float64Array): TrainingWarning | null {
      let warning: TrainingWarning | null = null;
      const norm = record.gradNorm;
      if (!Number.isFinite(record.loss) && !raised.has("non-finite-loss")) {
        warning = {
          epoch: record.epoch,
          kind: "non-finite-loss",
          parameters: top((j) => (Number.isFinite(tensors[j]!) ? tensors[j]! : Number.MAX_VALUE)),
          message: `the loss became ${record.loss} at epoch ${record.epoch}: training diverged`,
        };
      } else if (Number.isFinite(norm) && !raised.has("exploding") && recent.length > 0) {
        const base = recent.reduce((m, r) => (r.norm < m.norm ? r : m));
        if (base.norm > 0 && norm / base.norm >= factor) {
          const parameters = top((j) => tensors[j]! / Math.max(base.tensors[j]!, 1e-300));
          warning = {
            epoch: record.epoch,
            kind: "exploding",
            parameters,
            message:
              `gradients are exploding: the gradient norm rose from ${base.norm.toPrecision(3)} to ` +
              `${norm.toPrecision(3)} (×${(norm / base.norm).toExponential(1)}) within ${window} epochs, ` +
              `most in ${parameters.join(", ")}; clip (e.g. --clip global-norm:1) or lower the learning rate`,
          };
        }
      }
      small = norm < eps ? small + 1 : 0;
      if (warning === null && small >= k && !raised.has("vanishing")) {
        const parameters = top((j) => -tensors[j]!);
        warning = {
          epoch: record.epoch,
          kind: "vanishing",
          parameters,
          message:
            `gradients are vanishing: the gradient norm has stayed below ${eps} for ${k} epochs ` +
            `(smallest in ${parameters.join(", ")}) while the loss is ${record.loss.toPrecision(4)}; ` +
            "the model may be saturated or stuck on a plateau",
        };
      }
      recent.push({ norm, tensors: Float64Array.from(tensors) });
      if (recent.length > window) recent.shift();
      if (warning) raised.add(warning.kind);
      return warning;
    },
  };
}
