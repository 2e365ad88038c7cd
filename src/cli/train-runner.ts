import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { JobErrorData } from "../batch/job.js";
import { BiogradError, type ErrorCode } from "../core/errors.js";
import type { TaskResult } from "../tasks/run-task.js";
import type { EpochRecord } from "../train/history.js";
import type { TrainCheckpoint } from "../train/train-checkpoint.js";
import { STOP_SIGNALS, type StopSignal } from "./stop-signals.js";
import { executeRun, type RunCallbacks, type RunSpec } from "./train-task.js";

/** The signals that stop a run, and the exit codes a shell gives them (128 + number). */
export { STOP_SIGNALS, type StopSignal };

export interface StoppableRun {
  result: TaskResult;
  /** The signal that stopped the run, or null. */
  signal: StopSignal | null;
}

/**
 * Runs a training or fit task so that SIGINT/SIGTERM stop it at its next step instead of
 * killing the process: the task returns its state so far (stop reason "interrupted"; the
 * trainer writes its checkpoint) and the command saves it. The listeners are removed
 * afterwards; a second signal while the first is being handled ends the process at once.
 *
 * The task runs in a worker thread when biograd runs from its build (dist/), because a
 * thread busy in the trainer never runs signal listeners; run from its TypeScript source
 * (tests), it runs in this thread (a signal is then seen only once it has finished).
 */
export async function runStoppable(spec: RunSpec, callbacks: RunCallbacks): Promise<StoppableRun> {
  const flag = new SharedArrayBuffer(4);
  const flags = new Int32Array(flag);
  const controller = new AbortController();
  let received: StopSignal | null = null;
  const listeners = Object.keys(STOP_SIGNALS).map((name) => {
    const signal = name as StopSignal;
    const listener = () => {
      if (received !== null) process.exit(STOP_SIGNALS[received]);
      received = signal;
      Atomics.store(flags, 0, 1);
      controller.abort();
    };
    process.on(signal, listener);
    return () => process.off(signal, listener);
  });
  try {
    const result = fromBuild()
      ? await inWorker(spec, callbacks, flag)
      : await executeRun(spec, callbacks, controller.signal);
    return { result, signal: received };
  } finally {
    for (const remove of listeners) remove();
  }
}

/**
 * Runs a fit in this thread, with no signal listeners: SIGINT/SIGTERM end the process at
 * once, as they end any short command (the shell reports 130/143; nothing is written, since
 * every output is written after the fit). A single curve fit takes milliseconds, so it does
 * not pay for a worker thread, which loads the task's whole module graph a second time
 * (≈ 0.6 s of CPU, bench/startup/RESULTS.md). Training keeps `runStoppable`: its runs are
 * long, and stopping one at its next epoch saves a checkpoint.
 */
export function runHere(spec: RunSpec): Promise<TaskResult> {
  return executeRun(spec, {}, new AbortController().signal);
}

function fromBuild(): boolean {
  return fileURLToPath(import.meta.url).endsWith(".js");
}

type WorkerMessage =
  | { type: "epoch" | "log"; record: EpochRecord }
  | { type: "checkpoint"; checkpoint: TrainCheckpoint }
  | { type: "done"; result: TaskResult }
  | { type: "error"; error: JobErrorData };

function inWorker(spec: RunSpec, callbacks: RunCallbacks, flag: SharedArrayBuffer) {
  return new Promise<TaskResult>((resolve, reject) => {
    const worker = new Worker(new URL("./train-worker.js", import.meta.url), {
      workerData: { spec, flag, epochs: callbacks.onEpoch !== undefined },
    });
    let outcome: { ok: true; result: TaskResult } | { ok: false; error: unknown } | null = null;
    // A checkpoint that cannot be written fails the run, but only once the worker has ended.
    let saveError: unknown = null;
    worker.on("message", (m: WorkerMessage) => {
      if (m.type === "epoch") callbacks.onEpoch?.(m.record);
      else if (m.type === "log") callbacks.onLog?.(m.record);
      else if (m.type === "checkpoint") {
        try {
          callbacks.onCheckpoint?.(m.checkpoint);
        } catch (error) {
          saveError ??= error;
        }
      } else if (m.type === "done") outcome = { ok: true, result: m.result };
      else if (m.type === "error") outcome = { ok: false, error: fromData(m.error) };
    });
    worker.on("error", (error) => {
      outcome ??= { ok: false, error };
    });
    worker.on("exit", () => {
      if (saveError !== null) reject(saveError);
      else if (outcome === null) reject(new Error("the training thread ended without a result"));
      else if (outcome.ok) resolve(outcome.result);
      else reject(outcome.error);
    });
  });
}

const CODES: ReadonlySet<string> = new Set<ErrorCode>([
  "invalid_option",
  "unknown_option",
  "non_finite_gradient",
  "bad_input",
  "shape_mismatch",
  "write_failed",
]);

/** An error posted as data, as the class the CLI maps to its exit code. */
function fromData(data: JobErrorData): Error {
  const error =
    data.code !== null && CODES.has(data.code)
      ? new BiogradError(data.code as ErrorCode, data.message)
      : new Error(data.message);
  error.name = data.name;
  error.stack = data.stack;
  return error;
}
