import { InputError } from "../core/errors.js";
import { readDataset } from "../data/csv.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { linearModel } from "../models/linear.js";
import { STOP_REASON_TEXT } from "../train/history.js";
import { train } from "../train/trainer.js";
import { chain } from "../transforms/chain.js";
import type { NonFinitePolicy } from "../transforms/non-finite.js";
import { percent, sci, table } from "./format.js";
import type { CliIO } from "./io.js";
import { progressReporter } from "./progress.js";
import { runDocument } from "./run-file.js";
import { parseClip, parseOptimizer, parseSchedule } from "./specs.js";
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

/** `biograd train FILE …`: fit a model to a CSV/TSV file and print a summary. */
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
  const data = readDataset(file, {
    x: features,
    y: flags.y,
    na: flags.na === undefined ? undefined : flags.na.split(","),
    delimiter: flags.delimiter,
  });
  const model = linearModel(data);
  const batchSize = Math.min(flags.batchSize ?? data.rows, data.rows);
  const totalSteps = flags.epochs * Math.ceil(data.rows / batchSize);
  const schedule = parseSchedule(flags.schedule, totalSteps, flags.warmup);
  const clip = parseClip(flags.clip, flags.onNonFinite);
  const optimizer = parseOptimizer(flags.optimizer, schedule);
  const transform = clip ? chain(clip, optimizer) : chain(optimizer);

  const logEvery = flags.logEvery ?? Math.max(1, Math.floor(flags.epochs / 10));
  const progress = progressReporter(io, flags.epochs);
  let result: ReturnType<typeof train>;
  try {
    result = train(model, {
      transform,
      epochs: flags.epochs,
      batchSize: flags.batchSize,
      lossThreshold: flags.lossThreshold,
      patience: flags.patience,
      minDelta: flags.minDelta,
      seed: flags.seed,
      logEvery,
      onEpoch: progress.onEpoch,
      onLog: progress.onLog,
    });
  } finally {
    progress.stop();
  }

  const h = result.history;
  const clippedSteps = h.reduce((s, r) => s + r.clipFraction * Math.ceil(data.rows / batchSize), 0);
  io.out(`biograd train: ${flags.model} regression of ${data.target} on ${features.join(", ")}`);
  io.out(`data: ${data.source} (${data.rows} rows)`);
  io.out(`transform: ${transform.name}`);
  io.out(
    `stopped: ${STOP_REASON_TEXT[result.stopReason]} (${result.stopReason}) after ${result.epochs} epochs, ` +
      `${result.steps} steps, ${(result.timings.totalMs / 1000).toFixed(3)} s`,
  );
  io.out(`final loss (MSE): ${sci(result.finalLoss, 6)}`);
  io.out(
    `clipped steps: ${percent(clippedSteps / result.steps)}; gradient norm first epoch ${sci(h[0]!.gradNorm)}, ` +
      `last epoch ${sci(h[h.length - 1]!.gradNorm)}`,
  );
  io.out("parameters:");
  const w = result.named.w as number[];
  const rows = features.map((f, j) => [`  w[${f}]`, String(w[j])]);
  rows.push(["  b", String(result.named.b)]);
  for (const line of table(rows)) io.out(line);

  for (const w of result.warnings) io.out(`Warning: ${w.message}`);
  if (flags.out) {
    const settings = { file, ...flags };
    const doc = runDocument(settings, data, transform.name, result);
    writeFileAtomic(flags.out, `${JSON.stringify(doc, null, 1)}\n`);
    io.out(`wrote ${flags.out}`);
  }
  if (result.stopReason === "diverged") {
    io.err(
      "biograd: training diverged (loss became non-finite); try a clip or a smaller learning rate",
    );
    return 1;
  }
  return 0;
}
