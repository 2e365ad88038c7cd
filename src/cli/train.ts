import { InputError } from "../core/errors.js";
import { trainingSpec } from "../report/training-spec.js";
import type { FileSource } from "../tasks/data-source.js";
import type { runTrainLinear, TrainLinearResult } from "../tasks/train-linear.js";
import { STOP_REASON_TEXT } from "../train/history.js";
import type { NonFinitePolicy } from "../transforms/non-finite.js";
import type { TransformSpecInput } from "../transforms/spec.js";
import { parseClipText, parseOptimizerText, parseScheduleText } from "../transforms/spec-text.js";
import { percent, sci, table } from "./format.js";
import type { CliIO } from "./io.js";
import { writePlot } from "./plot-output.js";
import { linearRunDocument } from "./run-file.js";
import { given } from "./specs.js";
import { trainNetworkCommand } from "./train-network.js";
import {
  NOT_FINISHED,
  printWrote,
  runTraining,
  startTraining,
  type TrainRunFlags,
  trainExit,
  wroteLine,
} from "./train-run.js";

export interface TrainFlags extends TrainRunFlags {
  x?: string;
  y: string;
  model: string;
  clip: string;
  optimizer: string;
  schedule: string;
  warmup: number;
  onNonFinite: NonFinitePolicy;
  epochs: number;
  batchSize?: number;
  lossThreshold?: number;
  patience?: number;
  minDelta?: number;
  seed: number;
  /** Threads for the loss and gradient (networks: of each mini-batch). */
  workers?: number;
  logEvery?: number;
  na?: string;
  delimiter?: string;
  sheet?: string;
  task?: "regress" | "classify";
  categorical?: string;
  positive?: string;
  split?: string;
  earlyStopping?: number;
  dropout?: number;
  loss?: "mse" | "huber";
  dtype?: "float64" | "float32";
  classWeights?: string;
}

export const DIVERGED_MESSAGE =
  "biograd: training diverged (loss became non-finite); try a clip or a smaller learning rate";

/** `--clip`, `--optimizer`, `--schedule`, `--warmup`, `--on-non-finite` as a transform spec. */
export function transformFromFlags(flags: TrainFlags): TransformSpecInput {
  return {
    guard: flags.onNonFinite,
    clip: parseClipText(flags.clip),
    optimizer: parseOptimizerText(flags.optimizer),
    schedule: parseScheduleText(flags.schedule, flags.warmup),
  };
}

/** `FILE`, `--na`, `--delimiter` as a data source. */
export function fileSource(file: string, flags: TrainFlags): FileSource {
  return {
    file,
    ...(flags.na === undefined ? {} : { na: flags.na.split(",") }),
    ...(flags.delimiter === undefined ? {} : { delimiter: flags.delimiter }),
    ...(flags.sheet === undefined ? {} : { sheet: flags.sheet }),
  };
}

/**
 * `biograd train FILE …`: translates the flags into a `train-linear` request (networks:
 * `train-network`, train-network.ts), checks every output before any work, runs the task so
 * that SIGINT/SIGTERM stop it with a checkpoint, and prints and saves its result. A run that
 * did not finish (diverged, interrupted) saves `--out` only beside it (`run.failed.json`).
 */
export async function trainCommand(file: string, flags: TrainFlags, io: CliIO): Promise<number> {
  if (flags.model === "logistic" || flags.model === "mlp" || flags.model.startsWith("mlp:")) {
    return trainNetworkCommand(file, flags, io);
  }
  if (flags.model !== "linear") {
    throw new InputError(
      `--model: unknown model "${flags.model}" (expected linear, logistic or mlp:H1,H2[:activation])`,
    );
  }
  if (flags.x === undefined) {
    throw new InputError("--x: the linear model needs its feature columns (--x a,b,c)");
  }
  const features = flags.x.split(",").map((s) => s.trim());
  if (features.some((f) => f === ""))
    throw new InputError(`--x: empty column name in "${flags.x}"`);
  if (flags.save !== undefined) {
    throw new InputError(
      "--save: for networks; a linear run's --out file is its model for predict",
    );
  }
  const start = startTraining(file, flags);
  const request = given({
    task: "train-linear" as const,
    data: fileSource(file, flags),
    x: features,
    y: flags.y,
    transform: transformFromFlags(flags),
    epochs: flags.epochs,
    batchSize: flags.batchSize,
    lossThreshold: flags.lossThreshold,
    patience: flags.patience,
    minDelta: flags.minDelta,
    seed: flags.seed,
    logEvery: flags.logEvery,
    workers: flags.workers,
  });
  const run = await runTraining(request, flags, io, start);
  const result = run.result as TrainLinearResult;
  const why = NOT_FINISHED[result.stopReason] ?? "";
  const doc = linearRunDocument({ file, ...flags }, result);
  const out = start.plan.save("--out", doc, { converged: doc.converged });
  if (flags.format === "json") io.out(JSON.stringify(result));
  else printLinear(io, result, flags);
  const plotted = await writePlot(start.plan, () => trainingSpec(result.history));
  printWrote(io, flags.format, [
    wroteLine("--out", start.plan, out, why),
    plotted,
    run.historyWritten && `wrote ${run.historyWritten} (every epoch)`,
  ]);
  return trainExit(io, { ...result, signal: run.signal }, flags, DIVERGED_MESSAGE);
}

function printLinear(io: CliIO, result: ReturnType<typeof runTrainLinear>, flags: TrainFlags) {
  const h = result.history;
  const clippedSteps =
    h.clipFraction.reduce<number>((s, f) => s + (f ?? 0), 0) * result.stepsPerEpoch;
  const { features, target } = result.model;
  io.out(`biograd train: ${flags.model} regression of ${target} on ${features.join(", ")}`);
  io.out(`data: ${result.data.source} (${result.data.rows} rows)`);
  io.out(`transform: ${result.transform}`);
  io.out(
    `stopped: ${STOP_REASON_TEXT[result.stopReason]} (${result.stopReason}) after ${result.epochs} epochs, ` +
      `${result.steps} steps, ${(result.timings.totalMs / 1000).toFixed(3)} s`,
  );
  io.out(`final loss (MSE): ${number(result.finalLoss, 6)}`);
  io.out(
    `clipped steps: ${percent(clippedSteps / result.steps)}; gradient norm first epoch ${number(h.gradNorm[0] ?? null)}, ` +
      `last epoch ${number(h.gradNorm[h.gradNorm.length - 1] ?? null)}`,
  );
  io.out("parameters:");
  const rows = features.map((f, j) => [`  w[${f}]`, String(result.model.w[j])]);
  rows.push(["  b", String(result.model.b)]);
  for (const line of table(rows)) io.out(line);
  for (const w of result.warnings) io.out(`Warning: ${w.message}`);
}

/** A number as `sci` prints it; null (a non-finite value in the result) as "non-finite". */
export function number(x: number | null, digits?: number): string {
  return x === null ? "non-finite" : sci(x, digits);
}
