import { parentPort, workerData } from "node:worker_threads";
import { errorData } from "../batch/job.js";
import { chartsFor } from "./task-charts.js";
import { executeTask } from "./task-execute.js";
import type { FromWorker, ToWorker } from "./worker-messages.js";

/**
 * A task thread of `biograd serve`: runs one task at a time, so a long fit or training never
 * blocks the server's event loop. Cancelling: the main thread sets the shared flag (seen at
 * the task's next step, even while this thread is busy) and posts "cancel" (seen while the
 * task awaits).
 */
const port = parentPort!;
const stopFlag = new Int32Array((workerData as { flag: SharedArrayBuffer }).flag);
let current: { id: string; controller: AbortController } | null = null;

const post = (message: FromWorker) => port.postMessage(message);

port.on("message", (message: ToWorker) => {
  if (message.type === "cancel") {
    if (current?.id === message.id) current.controller.abort();
    return;
  }
  void run(message.id, message.request);
});

async function run(id: string, request: unknown): Promise<void> {
  const controller = new AbortController();
  current = { id, controller };
  Atomics.store(stopFlag, 0, 0);
  const poll = () => {
    if (Atomics.load(stopFlag, 0) !== 0 && !controller.signal.aborted) controller.abort();
  };
  try {
    const { result, files } = await executeTask(request, {
      signal: controller.signal,
      poll,
      onProgress: (progress) => post({ type: "progress", id, progress }),
      onHistory: (points) => post({ type: "history", id, points }),
      onCell: (cell) => post({ type: "cell", id, cell }),
    });
    poll();
    // The charts are drawn here too: building them reads the data again, off the server's thread.
    const kind = (request as { task: string }).task;
    const charts = chartsFor(kind, result);
    post({
      type: "done",
      id,
      result,
      files: files ?? {},
      charts,
      interrupted: controller.signal.aborted,
    });
  } catch (error) {
    post({ type: "failed", id, error: errorData(error) });
  } finally {
    current = null;
  }
}
