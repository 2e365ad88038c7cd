import type { Dataset } from "../data/dataset.js";
import type { EpochRecord } from "../train/history.js";
import type { TrainResult } from "../train/trainer.js";
import { VERSION } from "../version.js";

/**
 * The `--out run.json` document: what was asked, what came out, and the history in columns
 * (compact for long runs). Numbers keep full precision.
 */
export function runDocument(
  settings: Record<string, unknown>,
  data: Dataset,
  transformName: string,
  result: TrainResult,
): object {
  const h = result.history;
  const column = <K extends keyof EpochRecord>(k: K) => h.map((r) => finiteOrNull(r[k] as number));
  return {
    biograd: VERSION,
    command: "train",
    createdAt: new Date().toISOString(),
    settings,
    transform: transformName,
    data: { source: data.source, rows: data.rows, features: data.features, target: data.target },
    layout: result.layout.entries.map((e) => ({ name: e.name, shape: e.shape, offset: e.offset })),
    parameters: result.named,
    stopReason: result.stopReason,
    warnings: result.warnings,
    epochs: result.epochs,
    steps: result.steps,
    finalLoss: finiteOrNull(result.finalLoss),
    timings: result.timings,
    history: {
      epoch: column("epoch"),
      loss: column("loss"),
      gradNorm: column("gradNorm"),
      clippedNorm: column("clippedNorm"),
      clipFraction: column("clipFraction"),
      threshold: column("threshold"),
      lr: column("lr"),
      skippedSteps: column("skippedSteps"),
      zeroedEntries: column("zeroedEntries"),
    },
  };
}

/** JSON has no NaN or Infinity: they are written as null. */
function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
