import { builtModule } from "./built-module.js";
import { type Job, JobError, type JobExecutor } from "./job.js";
import { newPool, takeStartedPool } from "./pool-start.js";

export interface PoolExecutorOptions<Req = unknown> {
  /** The job module (its compiled copy is found by builtModule). */
  module: URL;
  /** Its export to call with each request: `(request) => result | Promise<result>`. */
  exportName: string;
  /** Worker threads (>= 1), started at once and kept until close(). */
  threads: number;
  /**
   * Jobs handed to each thread at once (default 1). With 2, a thread runs its next job as soon
   * as it finishes one, without waiting for this thread to hand it out; the jobs still run one
   * after the other on it (a job that awaits lets the other start: only for synchronous jobs).
   */
  queuedPerThread?: number;
  /** Buffers in a request that move to the worker instead of being copied (then unusable here). */
  transferList?: (request: Req) => ArrayBuffer[];
}

/**
 * Runs jobs on a piscina pool of worker threads. Requests and results cross the thread
 * boundary by structured clone, so they must be plain data. A job's error comes back as
 * data and is rethrown as a JobError with its name, code, message and stack.
 *
 * The signal is not passed to piscina: aborting a task in flight (or destroying the pool
 * under one) made piscina throw an uncaught "Unexpected message from Worker" when its reply
 * arrived. The runner stops handing out jobs instead and closes the pool once every job
 * handed out has settled.
 */
export function poolExecutor<Req, Res>(options: PoolExecutorOptions<Req>): JobExecutor<Req, Res> {
  const { threads } = options;
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`poolExecutor: threads must be an integer >= 1, got ${threads}`);
  }
  const module = builtModule(options.module).href;
  const shape = { threads, queuedPerThread: options.queuedPerThread ?? 1 };
  // The threads may have been started already, while the program loaded (pool-start.ts).
  const pool = takeStartedPool(shape) ?? newPool(shape);
  return {
    concurrency: threads,
    async run(job: Job<Req>): Promise<Res> {
      const task = { module, name: options.exportName, request: job.request };
      const transferList = options.transferList?.(job.request);
      const reply = await pool.run(task, transferList ? { transferList } : {});
      if (!reply.ok) throw new JobError(reply.error);
      return reply.result as Res;
    },
    close: () => pool.destroy(),
  };
}
