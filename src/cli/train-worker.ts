import { parentPort, workerData } from "node:worker_threads";
import { errorData } from "../batch/job.js";
import type { EpochRecord } from "../train/history.js";
import { executeRun, type RunSpec } from "./train-task.js";

/**
 * The worker thread of a stoppable run (train-runner.ts). The main thread stays free to
 * receive SIGINT/SIGTERM and sets a shared flag; this thread polls it at every step and
 * aborts its own AbortController, so the trainer stops at the next epoch. Progress records
 * (at most ten a second), log lines and checkpoints are posted to the main thread, which
 * prints and writes them; then the result or the error, as data.
 */
const { spec, flag, epochs } = workerData as {
  spec: RunSpec;
  flag: SharedArrayBuffer;
  epochs: boolean;
};
const port = parentPort!;
const stopFlag = new Int32Array(flag);
const controller = new AbortController();
const poll = () => {
  if (Atomics.load(stopFlag, 0) !== 0 && !controller.signal.aborted) controller.abort();
};
let lastPost = 0;
const onEpoch = (record: EpochRecord) => {
  const now = performance.now();
  if (now - lastPost < 100) return;
  lastPost = now;
  port.postMessage({ type: "epoch", record });
};

try {
  const result = await executeRun(
    spec,
    {
      ...(epochs ? { onEpoch } : {}),
      onLog: (record) => port.postMessage({ type: "log", record }),
      ...(spec.checkpointEvery === undefined
        ? {}
        : { onCheckpoint: (checkpoint) => port.postMessage({ type: "checkpoint", checkpoint }) }),
    },
    controller.signal,
    poll,
  );
  port.postMessage({ type: "done", result });
} catch (error) {
  port.postMessage({ type: "error", error: errorData(error) });
}
