import type { JobErrorData } from "../batch/job.js";
import type { TaskProgress } from "../tasks/types.js";

/** One point of a training run's loss and gradient-norm history, as streamed to the page. */
export interface HistoryPoint {
  epoch: number;
  loss: number;
  gradNorm: number;
  clippedNorm: number;
  /** Fraction of the epoch's steps whose gradient the clip changed (0 to 1). */
  clipped: number;
}

/** Main thread → task worker. */
export type ToWorker =
  | { type: "run"; id: string; request: unknown }
  | { type: "cancel"; id: string };

/** Task worker → main thread: what a running task reports, then how it ended. */
export type FromWorker =
  | { type: "progress"; id: string; progress: TaskProgress }
  | { type: "history"; id: string; points: HistoryPoint[] }
  | { type: "cell"; id: string; cell: unknown }
  | {
      type: "done";
      id: string;
      result: unknown;
      files: Record<string, string>;
      /** The result's Vega-Lite charts by name (null: none for this kind). */
      charts: Record<string, unknown> | null;
      interrupted: boolean;
    }
  | { type: "failed"; id: string; error: JobErrorData };
