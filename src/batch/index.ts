export { budgetPrefix, type JobBudget } from "./budget.js";
export { builtModule } from "./built-module.js";
export { inThreadExecutor, type JobFunction } from "./in-thread-executor.js";
export {
  errorData,
  type Job,
  JobError,
  type JobErrorData,
  type JobExecutor,
  JobFailure,
  type JobOutcome,
  type Json,
} from "./job.js";
export { type JobJournal, type JournalEntry, type JournalSchemas, openJournal } from "./journal.js";
export { type PoolExecutorOptions, poolExecutor } from "./pool-executor.js";
export type { BatchProgress } from "./progress.js";
export { type BatchOutcome, type RunJobsOptions, runJobs } from "./run-jobs.js";
export { capWorkers, defaultWorkers } from "./workers.js";
