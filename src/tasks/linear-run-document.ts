import { VERSION } from "../version.js";
import type { TrainLinearResult } from "./train-linear.js";

/**
 * The `--out run.json` document of a linear `train`: what was asked (the flags as `settings`,
 * the task request as `request`), what came out, and the history in columns. It is also a
 * model file for `predict`: `kind: "linear"` with `model: { features, target, w, b }`
 * (ŷ = Σ w_j·x_j + b over the named feature columns). Numbers keep full precision.
 * `converged` is false for a run that did not finish (diverged, interrupted): such a file is
 * saved only beside the output (`run.failed.json`) and `predict` refuses it unless told.
 */
export function linearRunDocument(settings: Record<string, unknown>, result: TrainLinearResult) {
  const { settings: request, task: _, ...rest } = result;
  return {
    biograd: VERSION,
    kind: "linear" as const,
    command: "train",
    converged: runFinished(result.stopReason),
    createdAt: new Date().toISOString(),
    settings,
    request,
    ...rest,
  };
}

/** Whether a training run ended as asked (budget, threshold, patience), not by failure. */
export function runFinished(stopReason: TrainLinearResult["stopReason"]): boolean {
  return (
    stopReason !== "diverged" &&
    stopReason !== "interrupted" &&
    stopReason !== "non-finite-gradient"
  );
}
