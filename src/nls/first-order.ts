import type { LeastSquaresProblem } from "../core/curve.js";
import { createLayout, type Layout } from "../core/layout.js";
import type { Model } from "../core/model.js";
import { checkOptions, positive, positiveInteger } from "../core/options.js";
import type { DiagnosticsOptions, TrainingWarning } from "../train/diagnostics.js";
import type { EpochRecord } from "../train/history.js";
import { train } from "../train/trainer.js";
import { chain } from "../transforms/chain.js";
import { clipByGlobalNorm } from "../transforms/clip-by-global-norm.js";
import { adam } from "../transforms/optimizers.js";
import { cosineDecay } from "../transforms/schedules.js";
import type { AnyTransform } from "../transforms/types.js";

export interface FirstOrderOptions {
  /** Step budget (default 3000). */
  maxSteps?: number;
  /** Adam's peak learning rate in internal (scaled) coordinates (default 0.05). */
  lr?: number;
  /** Global-norm clip threshold on the gradient of the mean squared residual (default 1). */
  maxNorm?: number;
  /** Stop when the best loss improved by less than this relative amount over `patience` steps. */
  relTol?: number;
  patience?: number;
  /** Replace the default chain (skip non-finite + global-norm clip + adam with cosine decay). */
  transform?: AnyTransform;
  /** The trainer's gradient diagnostics (default on). */
  diagnostics?: boolean | DiagnosticsOptions;
  /** Stops the phase before its next step (stop reason "interrupted", the best point so far). */
  signal?: AbortSignal;
  /** Called after every step (progress). */
  onEpoch?: (record: EpochRecord) => void;
}

export interface FirstOrderResult {
  phi: Float64Array;
  /** Mean squared residual at `phi`. */
  loss: number;
  steps: number;
  /** Steps whose trial point gave a non-finite loss and were taken back. */
  rejected: number;
  stopReason: "max-steps" | "converged" | "non-finite-start" | "interrupted";
  /** The trainer's thinned per-step history (one step per epoch: the fit is full batch). */
  history: EpochRecord[];
  /** The trainer's gradient diagnostics. */
  warnings: TrainingWarning[];
}

/**
 * The robust first phase of a curve fit: clipped first-order descent on the mean squared
 * residual L(φ) = (1/n)‖r(φ)‖², ∇L = (2/n) Jᵀr, in the internal coordinates where every
 * parameter is of order one. Clipping caps each step (the gradient of an exponential or
 * Hill curve far from the optimum can be enormous), non-finite gradients skip the step, and
 * a step that lands where the loss is non-finite is taken back and the step length halved.
 * It returns the best point seen; Levenberg–Marquardt finishes from there. The loop is the
 * trainer's (`train` with keepBest, stepBack, stopOnSkippedStep and relativeImprovement), so
 * a curve fit gets the same history and diagnostics as a training run.
 */
export function firstOrder(
  problem: LeastSquaresProblem,
  start: Float64Array,
  options: FirstOrderOptions = {},
): FirstOrderResult {
  checkOptions("firstOrder", options, {
    maxSteps: positiveInteger,
    lr: positive,
    maxNorm: positive,
    relTol: positive,
    patience: positiveInteger,
    transform: (v) => (typeof v === "object" && v !== null ? null : "a transform"),
    diagnostics: (v) =>
      typeof v === "boolean" || (typeof v === "object" && v !== null)
        ? null
        : "a boolean or an object",
    signal: (v) => (v instanceof AbortSignal ? null : "an AbortSignal"),
    onEpoch: (v) => (typeof v === "function" ? null : "a function"),
  });
  const { p } = problem;
  const maxSteps = options.maxSteps ?? 3000;
  const patience = options.patience ?? 200;
  const relTol = options.relTol ?? 1e-6;
  const transform =
    options.transform ??
    chain(
      clipByGlobalNorm({ maxNorm: options.maxNorm ?? 1, onNonFinite: "skip" }),
      adam({
        lr: cosineDecay({
          lr: options.lr ?? 0.05,
          steps: maxSteps,
          minLr: (options.lr ?? 0.05) / 100,
        }),
      }),
    );
  const layout = createLayout([{ name: "phi", shape: [p] }]);
  const result = train(leastSquaresModel(problem, layout), {
    transform,
    epochs: maxSteps,
    start,
    keepBest: true,
    stepBack: true,
    stopOnSkippedStep: true,
    relativeImprovement: { relTol, patience },
    diagnostics: options.diagnostics ?? true,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEpoch ? { onEpoch: options.onEpoch } : {}),
  });
  const phi = result.params;
  const common = {
    rejected: result.stepsTakenBack,
    history: result.history,
    warnings: result.warnings,
  };
  if (result.stopReason === "diverged" && result.steps === 0) {
    return { phi, loss: result.finalLoss, steps: 0, ...common, stopReason: "non-finite-start" };
  }
  const stopReason =
    result.stopReason === "converged" || result.stopReason === "interrupted"
      ? result.stopReason
      : "max-steps";
  return { phi, loss: result.finalLoss, steps: result.steps, ...common, stopReason };
}

/**
 * The least-squares problem as a trainer `Model`: loss (1/n)‖r‖², gradient (2/n)Jᵀr. The row
 * range is ignored (a curve fit is always full batch).
 */
function leastSquaresModel(problem: LeastSquaresProblem, layout: Layout): Model {
  const { n, p } = problem;
  const r = new Float64Array(n);
  const jac = new Float64Array(n * p);
  return {
    kind: "least-squares",
    layout,
    rows: n,
    init: () => {
      throw new Error("firstOrder: the start is always given");
    },
    lossAndGrad(phi: Float64Array, grad: Float64Array): number {
      problem.residuals(phi, r, jac);
      let ss = 0;
      for (let i = 0; i < n; i++) ss += r[i]! * r[i]!;
      grad.fill(0);
      for (let i = 0; i < n; i++) {
        const ri = r[i]!;
        for (let k = 0; k < p; k++) grad[k]! += jac[i * p + k]! * ri;
      }
      for (let k = 0; k < p; k++) grad[k]! *= 2 / n;
      return ss / n;
    },
  };
}
