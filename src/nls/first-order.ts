import type { LeastSquaresProblem } from "../core/curve.js";
import { createLayout } from "../core/layout.js";
import { checkOptions, positive, positiveInteger } from "../core/options.js";
import { chain } from "../transforms/chain.js";
import { clipByGlobalNorm } from "../transforms/clip-by-global-norm.js";
import { adam } from "../transforms/optimizers.js";
import { cosineDecay } from "../transforms/schedules.js";
import { type AnyTransform, createContext, resetStep } from "../transforms/types.js";

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
}

export interface FirstOrderResult {
  phi: Float64Array;
  /** Mean squared residual at `phi`. */
  loss: number;
  steps: number;
  /** Steps whose trial point gave a non-finite loss and were taken back. */
  rejected: number;
  stopReason: "max-steps" | "converged" | "non-finite-start";
}

/**
 * The robust first phase of a curve fit: clipped first-order descent on the mean squared
 * residual L(φ) = (1/n)‖r(φ)‖², ∇L = (2/n) Jᵀr, in the internal coordinates where every
 * parameter is of order one. Clipping caps each step (the gradient of an exponential or
 * Hill curve far from the optimum can be enormous), non-finite gradients skip the step, and
 * a step that lands where the loss is non-finite is taken back and the step length halved.
 * It returns the best point seen; Levenberg–Marquardt finishes from there.
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
  });
  const { n, p } = problem;
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
  const state = transform.init(layout);
  const phi = Float64Array.from(start);
  const prev = new Float64Array(p);
  const best = Float64Array.from(start);
  const r = new Float64Array(n);
  const jac = new Float64Array(n * p);
  const grad = new Float64Array(p);
  const ctx = createContext(layout, phi);

  const evaluate = (): number => {
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
  };

  let loss = evaluate();
  if (!Number.isFinite(loss))
    return { phi, loss, steps: 0, rejected: 0, stopReason: "non-finite-start" };
  let bestLoss = loss;
  let lastImprovement = 0;
  let referenceLoss = loss;
  let stepScale = 1;
  let rejected = 0;
  let step = 0;
  for (; step < maxSteps; step++) {
    resetStep(ctx, step);
    transform.update(grad, state, ctx);
    if (ctx.skip) break; // a non-finite gradient at a finite loss: nothing sensible to follow
    prev.set(phi);
    for (let k = 0; k < p; k++) phi[k]! += stepScale * grad[k]!;
    loss = evaluate();
    if (!Number.isFinite(loss)) {
      // Take the step back and shorten later steps; the gradient is recomputed at prev.
      phi.set(prev);
      stepScale /= 2;
      rejected++;
      loss = evaluate();
      continue;
    }
    if (loss < bestLoss) {
      bestLoss = loss;
      best.set(phi);
    }
    if (referenceLoss - bestLoss > relTol * referenceLoss) {
      referenceLoss = bestLoss;
      lastImprovement = step;
    } else if (step - lastImprovement >= patience) {
      return { phi: best, loss: bestLoss, steps: step + 1, rejected, stopReason: "converged" };
    }
  }
  return { phi: best, loss: bestLoss, steps: step, rejected, stopReason: "max-steps" };
}
