import type { Job, JobExecutor } from "./job.js";

/** The job function of an in-thread executor: the request, its key and the runner's signal. */
export type JobFunction<Req, Res> = (
  request: Req,
  context: { key: string; signal?: AbortSignal },
) => Res | Promise<Res>;

/**
 * Runs jobs in the calling thread, one at a time by default (`--workers 0`): no start-up cost,
 * which suits small batches, and the job's own stack traces, which suit debugging. Results
 * are not cloned; a job that must behave as on a worker should return plain JSON.
 */
export function inThreadExecutor<Req, Res>(
  fn: JobFunction<Req, Res>,
  options: { concurrency?: number } = {},
): JobExecutor<Req, Res> {
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(
      `inThreadExecutor: concurrency must be an integer >= 1, got ${concurrency}`,
    );
  }
  return {
    concurrency,
    async run(job: Job<Req>, signal?: AbortSignal): Promise<Res> {
      return fn(job.request, { key: job.key, signal });
    },
    async close() {},
  };
}
