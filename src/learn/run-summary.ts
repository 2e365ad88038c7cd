import type { EpochRecord } from "../train/history.js";
import type { TrainResult } from "../train/trainer.js";

export interface HistoryOptions {
  /**
   * Also keep each parameter tensor's gradient norm per epoch (before clipping, at the epoch's
   * last step), as `tensorNorms` — for networks, whose charts draw them as a heat strip. Only
   * when the records carry them (the trainer's diagnostics on, its default).
   */
  tensorNorms?: boolean;
}

/**
 * Per-tensor gradient norms in columns: `values[k][i]` is tensor `names[k]` at the history's
 * i-th epoch (null: not finite, or not measured in that epoch). Names keep the layout's order.
 */
export interface TensorNormColumns {
  names: string[];
  values: (number | null)[][];
}

/**
 * A training run as plain JSON, shared by the linear and network results: the history in
 * columns (compact for long runs) and the run's outcome. JSON has no NaN or Infinity, so
 * non-finite numbers are written as null. Files written before `tensorNorms` existed simply
 * lack it (every reader treats it as optional).
 */
export function historyColumns(history: readonly EpochRecord[], options: HistoryOptions = {}) {
  const column = (k: "epoch" | NumericKey) => history.map((r) => finiteOrNull(r[k]));
  const tensorNorms = options.tensorNorms ? tensorNormColumns(history) : undefined;
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
    ...(tensorNorms ? { tensorNorms } : {}),
  };
}

/** The records' per-tensor norms in columns, or undefined when no record has them. */
function tensorNormColumns(history: readonly EpochRecord[]): TensorNormColumns | undefined {
  const first = history.find((r) => r.tensorNorms !== undefined);
  if (!first) return undefined;
  const names = Object.keys(first.tensorNorms!);
  return {
    names,
    values: names.map((name) =>
      history.map((r) => {
        const v = r.tensorNorms?.[name];
        return v === undefined ? null : finiteOrNull(v);
      }),
    ),
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
export function runOutcome(result: TrainResult, options: HistoryOptions = {}) {
  return {
    stopReason: result.stopReason,
    epochs: result.epochs,
    steps: result.steps,
    bestEpoch: result.bestEpoch ?? null,
    finalLoss: finiteOrNull(result.finalLoss),
    warnings: result.warnings.map((w) => ({ ...w, parameters: [...w.parameters] })),
    timings: { ...result.timings },
    history: historyColumns(result.history, options),
  };
}

export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

export function finiteRecord(r: Record<string, number>): Record<string, number | null> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, finiteOrNull(v)]));
}
