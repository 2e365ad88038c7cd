import { inThreadExecutor } from "../batch/in-thread-executor.js";
import type { Job, JobExecutor } from "../batch/job.js";
import { poolExecutor } from "../batch/pool-executor.js";
import type { BatchProgress } from "../batch/progress.js";
import { runJobs } from "../batch/run-jobs.js";
import { EXPLORE_ATOL, EXPLORE_RTOL, freeSpecs } from "../ode/fit/fit-ode.js";
import { type MultistartSummary, type StartRun, summariseStarts } from "../ode/fit/multistart.js";
import type { LoadedSetup, OdeFitSetup } from "../ode/fit/setup.js";
import { latinHypercubeStarts, type StartRange, startRanges } from "../ode/fit/starts.js";
import { type OdeStartJob, odeFitStartJob } from "./ode-fit-start-job.js";

export interface MultistartOptions {
  readonly starts: number;
  readonly seed: number;
  /** Worker threads (0: this thread). The result does not depend on it. */
  readonly workers: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: BatchProgress) => void;
}

export interface MultistartRun extends MultistartSummary {
  readonly ranges: readonly StartRange[];
  /** Starts that did not run (interrupted). */
  readonly notRun: number;
}

/**
 * Runs a seeded Latin-hypercube multistart: every start a full fit (first-order phase, then
 * Levenberg–Marquardt) at the exploration tolerances (the caller polishes the best one at the
 * fit's own), as jobs on the batch runner — in this thread or on worker threads. Outcomes come
 * back in start order, each start's fit depends only on its start values, so the waterfall
 * is the same for every worker count.
 */
export async function runOdeMultistart(
  loaded: LoadedSetup,
  setup: OdeFitSetup,
  options: MultistartOptions,
): Promise<MultistartRun> {
  const specs = freeSpecs(loaded.model);
  const ranges = startRanges(specs);
  const p = specs.length;
  const draws = latinHypercubeStarts(ranges, options.starts, options.seed);
  const explore: OdeFitSetup = {
    ...setup,
    solve: {
      ...setup.solve,
      rtol: Math.max(setup.solve.rtol ?? 0, EXPLORE_RTOL),
      atol: Math.max(setup.solve.atol ?? 0, EXPLORE_ATOL),
    },
  };
  const jobs: Job<OdeStartJob>[] = Array.from({ length: options.starts }, (_, i) => ({
    key: String(i),
    request: { setup: explore, index: i, start: Array.from(draws.subarray(i * p, (i + 1) * p)) },
  }));
  const executor: JobExecutor<OdeStartJob, StartRun> =
    options.workers > 0
      ? poolExecutor({
          module: new URL("./ode-fit-start-job.js", import.meta.url),
          exportName: "odeFitStartJob",
          threads: options.workers,
        })
      : inThreadExecutor((job: OdeStartJob) => odeFitStartJob(job));
  try {
    const outcome = await runJobs(jobs, {
      executor,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.onProgress === undefined
        ? {}
        : { onProgress: (progress: BatchProgress) => options.onProgress!(progress) }),
    });
    const runs = outcome.outcomes.flatMap((o) => (o.ok ? [o.result] : []));
    return { ...summariseStarts(runs, options.seed), ranges, notRun: outcome.notRun.length };
  } finally {
    await executor.close();
  }
}
