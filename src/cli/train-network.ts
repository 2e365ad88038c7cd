import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { parse } from "csv-parse/sync";
import { InputError } from "../core/errors.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { prepareData } from "../learn/prepare.js";
import { networkToJSON } from "../learn/saved-network.js";
import { type NetworkSpec, trainNetwork } from "../learn/train-network.js";
import { STOP_REASON_TEXT } from "../train/history.js";
import { chain } from "../transforms/chain.js";
import { sci, table } from "./format.js";
import type { CliIO } from "./io.js";
import { progressReporter } from "./progress.js";
import { parseClip, parseNumber, parseOptimizer, parseSchedule } from "./specs.js";
import type { TrainFlags } from "./train.js";

/** `biograd train FILE --model logistic|mlp:… --task regress|classify --y col [--x cols]`. */
export function trainNetworkCommand(file: string, flags: TrainFlags, io: CliIO): number {
  const task = flags.task ?? (flags.model === "logistic" ? "classify" : "regress");
  if (flags.model === "logistic" && task !== "classify") {
    throw new InputError(
      "--task: logistic regression is a classifier; use --task classify or --model mlp:…",
    );
  }
  const features = flags.x
    ? flags.x.split(",").map((s) => s.trim())
    : readHeader(file, flags.delimiter).filter((c) => c !== flags.y);
  const prepared = withLabelHint(task, flags.y, () =>
    prepareData({
      file,
      target: flags.y,
      features,
      categorical: flags.categorical?.split(",").map((s) => s.trim()),
      task,
      positive: flags.positive,
      fractions: parseFractions(flags.split),
      seed: flags.seed,
      na: flags.na?.split(","),
      delimiter: flags.delimiter,
    }),
  );
  const spec: NetworkSpec = {
    model: flags.model,
    task,
    loss: flags.loss,
    dropout: flags.dropout,
    classWeights: parseClassWeights(flags.classWeights),
    classes: prepared.preprocessing.labels?.levels.length,
  };
  const batchSize = Math.min(flags.batchSize ?? 32, prepared.train.rows);
  const totalSteps = flags.epochs * Math.ceil(prepared.train.rows / batchSize);
  const schedule = parseSchedule(flags.schedule, totalSteps, flags.warmup);
  const clip = parseClip(flags.clip, flags.onNonFinite);
  const optimizer = parseOptimizer(flags.optimizer, schedule);
  const transform = clip ? chain(clip, optimizer) : chain(optimizer);
  const logEvery = flags.logEvery ?? Math.max(1, Math.floor(flags.epochs / 10));
  const progress = progressReporter(io, flags.epochs);
  let run: ReturnType<typeof trainNetwork>;
  try {
    run = trainNetwork(
      spec,
      prepared,
      {
        transform,
        epochs: flags.epochs,
        batchSize,
        seed: flags.seed,
        earlyStopping: flags.earlyStopping,
        lossThreshold: flags.lossThreshold,
        logEvery,
        onLog: progress.onLog,
        onEpoch: progress.onEpoch,
      },
      prepared.preprocessing.targetScale,
    );
  } finally {
    progress.stop();
  }
  const { result, metrics } = run;
  const { train: t, validation: v, test: s } = prepared;
  io.out(
    `biograd train: ${run.model.spec} (${task}) of ${flags.y} on ${prepared.train.features.length} features`,
  );
  io.out(
    `data: ${file} (${prepared.rows} rows: train ${t.rows}, validation ${v.rows}, test ${s.rows})`,
  );
  io.out(`transform: ${transform.name}`);
  io.out(
    `stopped: ${STOP_REASON_TEXT[result.stopReason]} (${result.stopReason}) after ${result.epochs} epochs, ` +
      `${result.steps} steps, ${(result.timings.totalMs / 1000).toFixed(3)} s` +
      (result.bestEpoch !== undefined ? `; best epoch ${result.bestEpoch}` : ""),
  );
  const names = Object.keys(metrics.train);
  const rows = [["", ...names]];
  for (const [part, m] of Object.entries(metrics)) {
    if (m) rows.push([part, ...names.map((k) => sci(m[k]!, 5))]);
  }
  for (const line of table(rows)) io.out(line);
  const clipped = result.history.reduce((a, r) => a + r.clipFraction, 0) / result.history.length;
  io.out(`clipped steps: ${Math.round(100 * clipped)}% on average`);
  for (const w of result.warnings) io.out(`Warning: ${w.message}`);

  if (flags.save) {
    const doc = networkToJSON(spec, run, prepared.preprocessing, {
      settings: { file, ...flags },
      stopReason: result.stopReason,
      epochs: result.epochs,
      bestEpoch: result.bestEpoch ?? null,
    });
    writeFileAtomic(flags.save, `${JSON.stringify(doc)}\n`);
    io.out(`saved ${flags.save}`);
  }
  if (flags.out) {
    const h = result.history;
    const doc = {
      settings: { file, ...flags },
      stopReason: result.stopReason,
      metrics,
      history: {
        loss: h.map((r) => r.loss),
        validationLoss: h.map((r) => r.validationLoss ?? null),
        gradNorm: h.map((r) => r.gradNorm),
        clippedNorm: h.map((r) => r.clippedNorm),
        clipFraction: h.map((r) => r.clipFraction),
        metrics: h.map((r) => r.metrics ?? null),
      },
    };
    writeFileAtomic(flags.out, `${JSON.stringify(doc)}\n`);
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

/** A regression whose target holds labels: say that --task classify is what was meant. */
function withLabelHint<T>(task: string, target: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    const text = error instanceof InputError ? error.message : "";
    if (task === "regress" && text.includes(`column "${target}": expected a number`)) {
      throw new InputError(
        `${text.replace(/ \(use --na .*\)$/, "")}; for class labels use --task classify`,
      );
    }
    throw error;
  }
}

function readHeader(file: string, delimiter?: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new InputError(`${file}: no such file`);
  }
  const d = delimiter ?? ([".tsv", ".tab"].includes(extname(file).toLowerCase()) ? "\t" : ",");
  const rows = parse(text, {
    bom: true,
    delimiter: d === "tab" ? "\t" : d,
    to_line: 1,
    trim: true,
  }) as string[][];
  if (!rows[0])
    throw new InputError(`${file}: file is empty; expected a header row naming the columns`);
  return rows[0];
}

function parseFractions(text: string | undefined) {
  if (text === undefined) return undefined;
  const parts = text.split(",").map((s) => parseNumber("--split", s));
  if (parts.length !== 3 || Math.abs(parts.reduce((a, b) => a + b, 0) - 1) > 1e-9) {
    throw new InputError(
      `--split: expected three fractions train,validation,test summing to 1, got "${text}"`,
    );
  }
  return { train: parts[0]!, validation: parts[1]!, test: parts[2]! };
}

function parseClassWeights(text: string | undefined): number[] | "balanced" | undefined {
  if (text === undefined) return undefined;
  if (text === "balanced") return "balanced";
  return text.split(",").map((s) => parseNumber("--class-weights", s));
}
