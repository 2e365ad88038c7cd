import { bundledJobModule, loadCachedModule } from "./cached-module.js";
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
// A job module loaded from its CommonJS bundle whose code cache is written after the first task.
let saveCache: (() => void) | null = null;

/** The job module: its CommonJS bundle with the code cache when the build made one. */
async function load(url: string): Promise<Record<string, unknown>> {
  const bundled = bundledJobModule(url);
  if (bundled === null) return (await import(url)) as Record<string, unknown>;
  const loaded = loadCachedModule(bundled);
  saveCache = loaded.saveCache;
  return loaded.exports;
}

export default async function batchWorker(task: WorkerTask): Promise<WorkerReply> {
  try {
    let loading = modules.get(task.module);
    if (!loading) {
      loading = load(task.module);
      modules.set(task.module, loading);
    }
    const fn = (await loading)[task.name];
    if (typeof fn !== "function") {
      throw new Error(`batch worker: ${task.module} has no function export "${task.name}"`);
    }
    const result = await fn(task.request);
    if (saveCache !== null) {
      // Now, not after the reply: the pool may end this thread as soon as it has replied. Once
      // per build and machine; a few milliseconds.
      saveCache();
      saveCache = null;
    }
    return { ok: true, result };
  } catch (error) {
    return { ok: false, error: errorData(error) };
  }
}
