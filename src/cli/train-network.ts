import { InputError } from "../core/errors.js";
import { trainingSpec } from "../report/training-spec.js";
import type { runTrainNetwork, TrainNetworkResult } from "../tasks/train-network.js";
import { STOP_REASON_TEXT } from "../train/history.js";
import { table } from "./format.js";
import type { CliIO } from "./io.js";
import { writePlot } from "./plot-output.js";
import { runFinished } from "./run-file.js";
import { given, parseFractions, parseNumber } from "./specs.js";
import {
  DIVERGED_MESSAGE,
  fileSource,
  number,
  type TrainFlags,
  transformFromFlags,
} from "./train.js";
import {
  NOT_FINISHED,
  printWrote,
  runTraining,
  startTraining,
  trainExit,
  wroteLine,
} from "./train-run.js";

/** `biograd train FILE --model logistic|mlp:… --task regress|classify --y col [--x cols]`. */
export async function trainNetworkCommand(
  file: string,
  flags: TrainFlags,
  io: CliIO,
): Promise<number> {
  const problem = flags.task ?? (flags.model === "logistic" ? "classify" : "regress");
  if (flags.model === "logistic" && problem !== "classify") {
    throw new InputError(
      "--task: logistic regression is a classifier; use --task classify or --model mlp:…",
    );
  }
  const request = given({
    task: "train-network" as const,
    data: fileSource(file, flags),
    x: flags.x?.split(",").map((s) => s.trim()),
    y: flags.y,
    model: flags.model,
    problem,
    transform: transformFromFlags(flags),
    epochs: flags.epochs,
    batchSize: flags.batchSize,
    lossThreshold: flags.lossThreshold,
    seed: flags.seed,
    logEvery: flags.logEvery,
    split: parseFractions(flags.split),
    categorical: flags.categorical?.split(",").map((s) => s.trim()),
    positive: flags.positive,
    dropout: flags.dropout,
    loss: flags.loss,
    dtype: flags.dtype,
    classWeights: parseClassWeights(flags.classWeights),
    earlyStopping: flags.earlyStopping,
    workers: flags.workers,
  });
  const start = startTraining(file, flags);
  const run = await withLabelHint(problem, flags.y, () => runTraining(request, flags, io, start));
  const result = run.result as TrainNetworkResult;
  const finished = runFinished(result.stopReason);
  const why = NOT_FINISHED[result.stopReason] ?? "";
  const { plan } = start;
  const saved =
    result.network === null
      ? { path: null, failed: !finished }
      : plan.save("--save", result.network, {
          converged: finished,
          text: `${JSON.stringify(result.network)}\n`,
        });
  const { network: _, ...rest } = result;
  const runDoc = {
    ...rest,
    converged: finished,
    settings: { file, ...flags },
    request: rest.settings,
  };
  const out = plan.save("--out", runDoc, {
    converged: finished,
    text: `${JSON.stringify(runDoc)}\n`,
  });
  if (flags.format === "json") io.out(JSON.stringify(result));
  else printNetwork(io, result);
  const plotted = await writePlot(plan, () => trainingSpec(result.history));
  printWrote(io, flags.format, [
    wroteLine("--save", plan, saved, why),
    wroteLine("--out", plan, out, why),
    plotted,
    run.historyWritten && `wrote ${run.historyWritten} (every epoch)`,
  ]);
  const notSaved = flags.save && result.network === null ? `; ${flags.save} not written` : "";
  return trainExit(io, { ...result, signal: run.signal }, flags, DIVERGED_MESSAGE + notSaved);
}

function printNetwork(io: CliIO, result: ReturnType<typeof runTrainNetwork>) {
  const d = result.data;
  io.out(
    `biograd train: ${result.model} (${result.problem}) of ${d.target} on ${d.features.length} features`,
  );
  io.out(
    `data: ${d.source} (${d.rows} rows: train ${d.train}, validation ${d.validation}, test ${d.test})`,
  );
  io.out(`transform: ${result.transform}`);
  io.out(
    `stopped: ${STOP_REASON_TEXT[result.stopReason]} (${result.stopReason}) after ${result.epochs} epochs, ` +
      `${result.steps} steps, ${(result.timings.totalMs / 1000).toFixed(3)} s` +
      (result.bestEpoch !== null ? `; best epoch ${result.bestEpoch}` : ""),
  );
  if (result.metrics) {
    const names = Object.keys(result.metrics.train);
    const rows = [["", ...names]];
    for (const [part, m] of Object.entries(result.metrics)) {
      if (m) rows.push([part, ...names.map((k) => number(m[k] ?? null, 5))]);
    }
    for (const line of table(rows)) io.out(line);
  }
  const f = result.history.clipFraction;
  const clipped = f.reduce<number>((a, x) => a + (x ?? 0), 0) / f.length;
  io.out(`clipped steps: ${Math.round(100 * clipped)}% on average`);
  for (const w of result.warnings) io.out(`Warning: ${w.message}`);
}

/** A regression whose target holds labels: say that --task classify is what was meant. */
async function withLabelHint<T>(task: string, target: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
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

function parseClassWeights(text: string | undefined): number[] | "balanced" | undefined {
  if (text === undefined) return undefined;
  if (text === "balanced") return "balanced";
  return text.split(",").map((s) => parseNumber("--class-weights", s));
}
