import { budgetPrefix, type JobBudget } from "./budget.js";
import { errorData, type Job, type JobExecutor, JobFailure, type JobOutcome } from "./job.js";
import type { JobJournal } from "./journal.js";
import { type BatchProgress, progressClock } from "./progress.js";

export interface RunJobsOptions<Req, Res> {
  /** Where the jobs run (made and closed by the caller). */
  executor: JobExecutor<Req, Res>;
  /** Jobs in flight at once (default: the executor's concurrency). */
  concurrency?: number;
  /** Cap on the work: a prefix of the job list (default: every job). */
  budget?: JobBudget<Req> | null;
  /** Jobs it holds are taken from it, not run; every job that succeeds now is appended. */
  journal?: JobJournal<Req, Res> | null;
  /**
   * A job that fails: `stop` (default) hands out no more jobs, lets those in flight finish
   * (their results are kept and journaled) and then throws a JobFailure for the first failed
   * job; `continue` records the failure in the outcomes and runs the rest. Failures are never
   * journaled, so a rerun tries them again.
   */
  onFailure?: "stop" | "continue";
  /** Stops handing out jobs; jobs in flight finish. runJobs then returns with `aborted`. */
  signal?: AbortSignal;
  /** Called on this thread as each job finishes (completion order), with the counts so far. */
  onProgress?: (progress: BatchProgress, outcome: JobOutcome<Res>) => void;
}

export interface BatchOutcome<Res> {
  /** Every job in the budget that finished or was resumed, in job order (not completion order). */
  outcomes: JobOutcome<Res>[];
  /** Keys of jobs in the budget that did not run (abort), in job order. */
  notRun: string[];
  /** Keys of jobs the budget left out, in job order. */
  skipped: string[];
  /** Jobs taken from the journal. */
  resumed: number;
  /** Jobs run now (succeeded or failed). */
  ran: number;
  failed: number;
  aborted: boolean;
  /** Wall time of the jobs run now, milliseconds. */
  elapsedMs: number;
}

/**
 * Runs a list of keyed jobs on an executor: the budget cut first, then the journal's jobs
 * taken as done, then the rest handed out in order, at most `concurrency` at a time. The
 * outcomes come back in job order whatever order the jobs finished in, so a batch's result
 * depends neither on the executor nor on its concurrency. Never prints.
 */
export async function runJobs<Req, Res>(
  jobs: readonly Job<Req>[],
  options: RunJobsOptions<Req, Res>,
): Promise<BatchOutcome<Res>> {
  const { executor, journal, signal } = options;
  const stopOnFailure = (options.onFailure ?? "stop") === "stop";
  const cut = budgetPrefix(
    jobs.map((j) => j.request),
    options.budget,
  );
  const selected = jobs.slice(0, cut);
  const outcomes = new Map<string, JobOutcome<Res>>();
  const keys = new Set<string>();
  for (const job of selected) {
    if (keys.has(job.key)) throw new Error(`runJobs: job key ${job.key} is given twice`);
    keys.add(job.key);
    const entry = journal?.entries.get(job.key);
    if (entry)
      outcomes.set(job.key, { key: job.key, ok: true, result: entry.result, resumed: true });
  }
  const resumed = outcomes.size;
  const pending = selected.filter((j) => !outcomes.has(j.key));
  const clock = progressClock(selected.length, resumed);

  let next = 0;
  let failure: JobFailure | null = null;
  let broken: { error: unknown } | null = null; // the runner's own failure (journal, callback)
  const handingOut = () =>
    next < pending.length &&
    broken === null &&
    !(stopOnFailure && failure !== null) &&
    !signal?.aborted;
  const lane = async (): Promise<void> => {
    while (handingOut()) {
      const job = pending[next++]!;
      let outcome: JobOutcome<Res>;
      try {
        const result = await executor.run(job, signal);
        outcome = { key: job.key, ok: true, result, resumed: false };
      } catch (error) {
        outcome = { key: job.key, ok: false, error: errorData(error) };
        failure ??= new JobFailure(job.key, outcome.error); // stops handing out jobs
      }
      try {
        if (outcome.ok) journal?.append(job, outcome.result);
        outcomes.set(job.key, outcome);
        const progress = clock.tick(outcome.ok); // counted even without a callback
        options.onProgress?.(progress, outcome);
      } catch (error) {
        broken ??= { error };
      }
    }
  };
  const lanes = Math.max(1, Math.min(options.concurrency ?? executor.concurrency, pending.length));
  // Every lane runs to its end before anything is thrown: no job is left in flight.
  await Promise.all(Array.from({ length: pending.length === 0 ? 0 : lanes }, lane));
  if (broken !== null) throw (broken as { error: unknown }).error;
  if (stopOnFailure && failure !== null) {
    // Report the first failed job in job order, not in completion order, so the same batch
    // stops with the same message whatever the thread timing.
    const first = pending.find((j) => outcomes.get(j.key)?.ok === false)!;
    const outcome = outcomes.get(first.key) as Extract<JobOutcome<Res>, { ok: false }>;
    throw new JobFailure(first.key, outcome.error);
  }
  const done = selected.filter((j) => outcomes.has(j.key));
  const counts = clock.now();
  return {
    outcomes: done.map((j) => outcomes.get(j.key)!),
    notRun: selected.filter((j) => !outcomes.has(j.key)).map((j) => j.key),
    skipped: jobs.slice(cut).map((j) => j.key),
    resumed,
    ran: counts.done - resumed,
    failed: counts.failed,
    aborted: signal?.aborted === true && next < pending.length,
    elapsedMs: counts.elapsedMs,
  };
}
