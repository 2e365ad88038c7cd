/**
 * What every task runner takes besides its request: a way to be stopped and a way to report
 * progress. Runners never print; front ends (CLI, server, worker) translate these.
 */
export interface TaskOptions {
  /** Stops the task at its next step boundary; it then returns its best state so far. */
  signal?: AbortSignal;
  /** Progress of long tasks: `done` of `total` units (epochs, steps, groups). */
  onProgress?: (progress: TaskProgress) => void;
}

export interface TaskProgress {
  done: number;
  total: number;
  /** The current loss, where the task has one. */
  loss?: number;
}
