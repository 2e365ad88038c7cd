import type { EpochRecord } from "../train/history.js";
import type { TrainResult } from "../train/trainer.js";

/**
 * A training run as plain JSON, shared by the linear and network results: the history in
 * columns (compact for long runs) and the run's outcome. JSON has no NaN or Infinity, so
 * non-finite numbers are written as null.
 */
export function historyColumns(history: readonly EpochRecord[]) {
  const column = (k: "epoch" | NumericKey) => history.map((r) => finiteOrNull(r[k]));
  return {
    epoch: column("epoch"),
    loss: column("loss"),
    gradNorm: column("gradNorm"),
    clippedNorm: column("clippedNorm"),
    clipFraction: column("clipFraction"),
    threshold: column("threshold"),
    lr: column("lr"),
    skippedSteps: column("skippedSteps"),
    zeroedEntries: column("zeroedEntries"),
    validationLoss: history.some((r) => r.validationLoss !== undefined)
      ? history.map((r) => finiteOrNull(r.validationLoss ?? Number.NaN))
      : undefined,
    metrics: history.some((r) => r.metrics !== undefined)
      ? history.map((r) => (r.metrics ? finiteRecord(r.metrics) : null))
      : undefined,
  };
}

type NumericKey =
  | "loss"
  | "gradNorm"
  | "clippedNorm"
  | "clipFraction"
  | "threshold"
  | "lr"
  | "skippedSteps"
  | "zeroedEntries";

/** What every training result reports besides its model. */
export function runOutcome(result: TrainResult) {
  return {
    stopReason: result.stopReason,
    epochs: result.epochs,
    steps: result.steps,
    bestEpoch: result.bestEpoch ?? null,
    finalLoss: finiteOrNull(result.finalLoss),
    warnings: result.warnings.map((w) => ({ ...w, parameters: [...w.parameters] })),
    timings: { ...result.timings },
    history: historyColumns(result.history),
  };
}

export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

export function finiteRecord(r: Record<string, number>): Record<string, number | null> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, finiteOrNull(v)]));
}
