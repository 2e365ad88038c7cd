/**
 * A batch's progress as the runner reports it after each job: counts, the rate of the jobs
 * run now (resumed jobs cost nothing and would inflate it) and the time left at that rate.
 */
export interface BatchProgress {
  /** Jobs finished, resumed ones included. */
  done: number;
  /** Jobs in the budget. */
  total: number;
  /** Of `done`: taken from the journal. */
  resumed: number;
  /** Of `done`: failed. */
  failed: number;
  elapsedMs: number;
  /** Jobs run now per second, or null before the first one finished. */
  rate: number | null;
  /** Milliseconds left at `rate`, or null without a rate. */
  etaMs: number | null;
}

/** Counts jobs as they finish and turns the counts into progress records. */
export function progressClock(total: number, resumed: number) {
  const t0 = performance.now();
  let done = resumed;
  let failed = 0;
  const now = (): BatchProgress => {
    const elapsedMs = performance.now() - t0;
    const ran = done - resumed;
    const rate = ran > 0 && elapsedMs > 0 ? ran / (elapsedMs / 1000) : null;
    return {
      done,
      total,
      resumed,
      failed,
      elapsedMs,
      rate,
      etaMs: rate === null ? null : ((total - done) / rate) * 1000,
    };
  };
  return {
    tick(ok: boolean): BatchProgress {
      done++;
      if (!ok) failed++;
      return now();
    },
    now,
  };
}
