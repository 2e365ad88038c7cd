import { errorData, type JobErrorData } from "./job.js";

/**
 * The pool's worker script: piscina calls the default export with each task. It imports the
 * job module named by the task (once per thread) and calls its named export with the
 * request. The reply is an envelope, not a thrown error, because an error thrown across the
 * thread boundary loses its `code` (and with it the difference between bad input and a bug).
 */
export interface WorkerTask {
  /** file: URL of the compiled job module. */
  module: string;
  /** The export to call: `(request) => result | Promise<result>`. */
  name: string;
  request: unknown;
}

export type WorkerReply = { ok: true; result: unknown } | { ok: false; error: JobErrorData };

const modules = new Map<string, Promise<Record<string, unknown>>>();

export default async function batchWorker(task: WorkerTask): Promise<WorkerReply> {
  try {
    let loading = modules.get(task.module);
    if (!loading) {
      loading = import(task.module) as Promise<Record<string, unknown>>;
      modules.set(task.module, loading);
    }
    const fn = (await loading)[task.name];
    if (typeof fn !== "function") {
      throw new Error(`batch worker: ${task.module} has no function export "${task.name}"`);
    }
    return { ok: true, result: await fn(task.request) };
  } catch (error) {
    return { ok: false, error: errorData(error) };
  }
}
