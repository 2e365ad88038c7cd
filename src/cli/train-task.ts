import type { FieldLabels } from "../tasks/fit-curve-request.js";
import { runTask, type TaskResult } from "../tasks/run-task.js";
import type { TrainTaskOptions } from "../tasks/train-linear-schema.js";
import type { EpochRecord } from "../train/history.js";
import { openHistoryStream } from "../train/history-stream.js";
import type { TrainCheckpoint } from "../train/train-checkpoint.js";

/** What a stoppable run does: plain data, so it can cross to a worker thread. */
export interface RunSpec {
  request: { task: "train-linear" | "train-network" | "fit-curve" } & Record<string, unknown>;
  /** How messages name a fit request's fields (the CLI's options). */
  labels?: FieldLabels;
  /** Epochs between checkpoints (training; with `onCheckpoint`). */
  checkpointEvery?: number;
  resumeFrom?: TrainCheckpoint;
  /** Stream every epoch to this JSON-lines file (training). */
  historyPath?: string;
}

export interface RunCallbacks {
  onEpoch?: (record: EpochRecord) => void;
  onLog?: (record: EpochRecord) => void;
  onCheckpoint?: (checkpoint: TrainCheckpoint) => void;
}

/**
 * Runs the task of `spec` with `signal`, calling `poll` at every step (a worker thread aborts
 * `signal` there when the main thread has seen SIGINT: a busy thread cannot run listeners).
 * The history stream is closed whatever happens.
 */
export async function executeRun(
  spec: RunSpec,
  callbacks: RunCallbacks,
  signal: AbortSignal,
  poll: () => void = () => {},
): Promise<TaskResult> {
  if (spec.request.task === "fit-curve") {
    return runTask(spec.request, {
      signal,
      onProgress: poll,
      ...(spec.labels ? { labels: spec.labels } : {}),
    } as TrainTaskOptions);
  }
  const stream = spec.historyPath ? openHistoryStream(spec.historyPath) : null;
  const { onEpoch, onLog, onCheckpoint } = callbacks;
  const options: TrainTaskOptions = {
    signal,
    onEpoch: (r) => {
      stream?.onEpoch(r);
      onEpoch?.(r);
      poll();
    },
    ...(onLog ? { onLog } : {}),
    ...(onCheckpoint ? { checkpoint: { every: spec.checkpointEvery, save: onCheckpoint } } : {}),
    ...(spec.resumeFrom ? { resumeFrom: spec.resumeFrom } : {}),
  };
  try {
    return await runTask(spec.request, options);
  } finally {
    stream?.close();
  }
}
