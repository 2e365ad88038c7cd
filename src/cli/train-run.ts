import { InputError } from "../core/errors.js";
import type { OutputPlan } from "../io/output-plan.js";
import { planOutputs } from "../io/output-plan.js";
import { readJsonFile } from "../learn/saved-network.js";
import { parseCheckpoint } from "../train/checkpoint-file.js";
import type { StopReason } from "../train/history.js";
import type { TrainCheckpoint } from "../train/train-checkpoint.js";
import type { CliIO } from "./io.js";
import { checkPlot } from "./plot-output.js";
import { progressReporter } from "./progress.js";
import { runFinished } from "./run-file.js";
import { historyFile } from "./train-history.js";
import { runStoppable, STOP_SIGNALS, type StopSignal } from "./train-runner.js";
import type { RunSpec } from "./train-task.js";

/** The flags of `train` that decide where it writes and how it can be stopped and resumed. */
export interface TrainRunFlags {
  epochs: number;
  out?: string;
  save?: string;
  checkpoint?: string;
  checkpointEvery?: number;
  resumeFrom?: string;
  historyJsonl?: string;
  /** The training chart, FILE.svg or FILE.png. */
  plot?: string;
  format: "table" | "json";
}

export interface TrainStart {
  plan: OutputPlan;
  resumeFrom?: TrainCheckpoint;
}

/**
 * Before any work: every output checked against the inputs (the data file, the checkpoint
 * resumed from) and against each other, then the checkpoint to resume from read and checked.
 */
export function startTraining(file: string, flags: TrainRunFlags): TrainStart {
  if (flags.checkpointEvery !== undefined && flags.checkpoint === undefined) {
    throw new InputError("--checkpoint-every: give the file to write with --checkpoint FILE");
  }
  checkPlot(flags.plot);
  const plan = planOutputs(
    [
      { option: "--plot", path: flags.plot },
      { option: "--out", path: flags.out },
      { option: "--save", path: flags.save },
      { option: "--checkpoint", path: flags.checkpoint },
      { option: "--history-jsonl", path: flags.historyJsonl },
    ],
    flags.resumeFrom === undefined ? [file] : [file, flags.resumeFrom],
  );
  if (flags.resumeFrom === undefined) return { plan };
  const where = flags.resumeFrom;
  return { plan, resumeFrom: parseCheckpoint(readJsonFile(where), where) };
}

/** Default `--checkpoint-every`: every 1000 epochs, but at most about 100 checkpoints a run. */
export function defaultCheckpointEvery(epochs: number): number {
  return Math.max(1000, Math.ceil(epochs / 100));
}

/**
 * Runs a training request so that SIGINT/SIGTERM stop it at the next epoch (checkpoint
 * written), with progress on stderr and every epoch streamed to `--history-jsonl`.
 */
export async function runTraining(
  request: RunSpec["request"],
  flags: TrainRunFlags,
  io: CliIO,
  start: TrainStart,
) {
  const { plan } = start;
  const history = flags.historyJsonl ? historyFile(flags.historyJsonl) : null;
  const progress = progressReporter(io, flags.epochs);
  const spec: RunSpec = {
    request,
    ...(flags.checkpoint
      ? { checkpointEvery: flags.checkpointEvery ?? defaultCheckpointEvery(flags.epochs) }
      : {}),
    ...(start.resumeFrom ? { resumeFrom: start.resumeFrom } : {}),
    ...(history ? { historyPath: history.streamPath } : {}),
  };
  let run: Awaited<ReturnType<typeof runStoppable>>;
  try {
    run = await runStoppable(spec, {
      ...(progress.onEpoch ? { onEpoch: progress.onEpoch } : {}),
      ...(progress.onLog ? { onLog: progress.onLog } : {}),
      ...(flags.checkpoint
        ? { onCheckpoint: (cp) => plan.write("--checkpoint", `${JSON.stringify(cp)}\n`) }
        : {}),
    });
  } catch (error) {
    history?.discard();
    throw error;
  } finally {
    progress.stop();
  }
  const stopReason = (run.result as { stopReason: StopReason }).stopReason;
  const historyWritten = history ? history.finish(runFinished(stopReason)) : null;
  return { ...run, historyWritten };
}

/** Why a run's outputs went beside their paths, for the "wrote" lines. */
export const NOT_FINISHED: Partial<Record<StopReason, string>> = {
  diverged: "the run diverged",
  interrupted: "the run was interrupted",
  "non-finite-gradient": "the run stopped at a non-finite gradient",
};

// In wrote.ts, which a fit loads without training's modules.
export { printWrote, wroteLine } from "./wrote.js";

/**
 * The exit code and one-line message for how a run ended: 0 when it finished, 130/143 when
 * a signal stopped it, 1 when it failed (`failure` is that line).
 */
export function trainExit(
  io: CliIO,
  ended: { stopReason: StopReason; epochs: number; signal: StopSignal | null },
  flags: TrainRunFlags,
  failure: string,
): number {
  if (ended.stopReason === "interrupted") {
    const by = ended.signal ? ` by ${ended.signal}` : "";
    const cp = flags.checkpoint
      ? `; checkpoint ${flags.checkpoint} (continue with --resume-from ${flags.checkpoint})`
      : "";
    io.err(
      `biograd: training interrupted${by} after ${ended.epochs} of ${flags.epochs} epochs${cp}`,
    );
    return ended.signal ? STOP_SIGNALS[ended.signal] : 1;
  }
  if (runFinished(ended.stopReason)) return 0;
  io.err(failure);
  return 1;
}
