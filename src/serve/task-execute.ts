import { runFitGroups } from "../tasks/fit-groups.js";
import { runTask, type TaskResult } from "../tasks/run-task.js";
import type { TrainTaskOptions } from "../tasks/train-linear-schema.js";
import type { TaskProgress } from "../tasks/types.js";
import type { EpochRecord } from "../train/history.js";
import { runSweepRequest } from "./sweep-run.js";
import type { HistoryPoint } from "./worker-messages.js";

/** Progress and history reach the page at most this often (20 a second). */
export const REPORT_EVERY_MS = 50;

export interface ExecuteHooks {
  signal: AbortSignal;
  /** Called at every step: a worker thread checks its shared stop flag here. */
  poll: () => void;
  onProgress: (progress: TaskProgress) => void;
  /** Thinned history points of a training run, in batches. */
  onHistory: (points: HistoryPoint[]) => void;
  /** A sweep's finished cell (its row in the sweep's output). */
  onCell: (cell: unknown) => void;
}

/** A task's result, and files made from data only the worker has (a sweep's CSV). */
export interface Executed {
  result: unknown;
  files?: Record<string, string>;
}

/**
 * Runs one task request (already carrying the private file path) the way the CLI does, with
 * progress thinned to REPORT_EVERY_MS and training history streamed in batches. `fit-groups`
 * runs in this thread (the server's worker is already off the request thread) so that its
 * progress is reported too.
 */
export async function executeTask(request: unknown, hooks: ExecuteHooks): Promise<Executed> {
  const { signal, poll } = hooks;
  let lastProgress = 0;
  let latest: TaskProgress | null = null;
  const onProgress = (p: TaskProgress) => {
    poll();
    latest = p;
    const now = performance.now();
    if (now - lastProgress < REPORT_EVERY_MS) return;
    lastProgress = now;
    latest = null;
    hooks.onProgress(p);
  };
  // At most one history point per REPORT_EVERY_MS: the newest epoch of each slot.
  let lastHistory = 0;
  let pending: HistoryPoint | null = null;
  const onEpoch = (r: EpochRecord) => {
    pending = {
      epoch: r.epoch,
      loss: r.loss,
      gradNorm: r.gradNorm,
      clippedNorm: r.clippedNorm,
      clipped: r.clipFraction,
    };
    const now = performance.now();
    if (now - lastHistory < REPORT_EVERY_MS) return;
    lastHistory = now;
    hooks.onHistory([pending]);
    pending = null;
  };
  const kind = (request as { task?: unknown }).task;
  try {
    if (kind === "sweep") {
      const { doc, csv } = await runSweepRequest(request, {
        signal,
        onCell: hooks.onCell,
        onProgress,
      });
      return { result: doc, files: { "results.csv": csv } };
    }
    if (kind === "fit-groups") {
      const result = await runFitGroups(request, {
        workers: 0,
        onProgress: (p) => onProgress({ done: p.done, total: p.total }),
      });
      return { result };
    }
    const training = kind === "train-linear" || kind === "train-network";
    const options: TrainTaskOptions = { signal, onProgress, ...(training ? { onEpoch } : {}) };
    const result: TaskResult = await runTask(request, options);
    return { result };
  } finally {
    if (pending !== null) hooks.onHistory([pending]);
    if (latest !== null) hooks.onProgress(latest);
  }
}
