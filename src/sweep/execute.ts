import { runTask } from "../tasks/run-task.js";
import type { RunRecord } from "./record.js";
import type { RunSpec } from "./spec.js";

/**
 * Executes one run: the `sweep-cell` task through runTask (never the CLI), so a sweep, a
 * direct runTask call and a queue worker give the same result for the same cell. The job
 * function of the sweep, in this thread or on a worker (where the batch pool imports this
 * module and calls it by name).
 */
export async function executeRun(spec: RunSpec): Promise<RunRecord> {
  return (await runTask(spec)) as RunRecord;
}
