import { InputError } from "../core/errors.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import type { FileSource } from "../tasks/data-source.js";
import { runTrainLinear } from "../tasks/train-linear.js";
import { STOP_REASON_TEXT } from "../train/history.js";
import type { NonFinitePolicy } from "../transforms/non-finite.js";
import type { TransformSpecInput } from "../transforms/spec.js";
import { parseClipText, parseOptimizerText, parseScheduleText } from "../transforms/spec-text.js";
import { percent, sci, table } from "./format.js";
import type { CliIO } from "./io.js";
import { progressReporter } from "./progress.js";
import { linearRunDocument } from "./run-file.js";
import { trainNetworkCommand } from "./train-network.js";

export interface TrainFlags {
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
  logEvery?: number;
  na?: string;
  delimiter?: string;
  out?: string;
  format: "table" | "json";
  task?: "regress" | "classify";
  categorical?: string;
  positive?: string;
  split?: string;
  earlyStopping?: number;
  dropout?: number;
  loss?: "mse" | "huber";
  classWeights?: string;
  save?: string;
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
  };
}

/** Only the options that were given (a request has no keys holding undefined). */
export function given<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * `biograd train FILE …`: translates the flags into a `train-linear` request (networks:
 * `train-network`, train-network.ts), runs the task and prints its result.
 */
export function trainCommand(file: string, flags: TrainFlags, io: CliIO): number {
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
  });
  const progress = progressReporter(io, flags.epochs);
  let result: ReturnType<typeof runTrainLinear>;
  try {
    result = runTrainLinear(request, { onEpoch: progress.onEpoch, onLog: progress.onLog });
  } finally {
    progress.stop();
  }
  if (flags.out) {
    const doc = linearRunDocument({ file, ...flags }, result);
    writeFileAtomic(flags.out, `${JSON.stringify(doc, null, 1)}\n`);
  }
  if (flags.format === "json") io.out(JSON.stringify(result));
  else printLinear(io, result, flags);
  if (result.stopReason === "diverged") {
    io.err(DIVERGED_MESSAGE);
    return 1;
  }
  return 0;
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
  if (flags.out) io.out(`wrote ${flags.out}`);
}

/** A number as `sci` prints it; null (a non-finite value in the result) as "non-finite". */
export function number(x: number | null, digits?: number): string {
  return x === null ? "non-finite" : sci(x, digits);
}
