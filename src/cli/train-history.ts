import { randomBytes } from "node:crypto";
import { renameSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { failedReportPath } from "../io/failed-report.js";
import { realFs } from "../io/output-fs.js";
import { resolveOutput } from "../io/output-target.js";
import { describeIoError, OutputWriteError } from "../io/write-error.js";

/** A `--history-jsonl` file being streamed: where to stream, and how to put it in place. */
export interface HistoryFile {
  /** The temporary file the run streams into (beside the target). */
  streamPath: string;
  /**
   * Moves the stream into place: over the target for a run that finished, beside it
   * (`h.jsonl.failed.json`, still JSON lines) for one that failed or was interrupted.
   * Returns the path as the user would name it.
   */
  finish(finished: boolean): string;
  /** Removes the stream (the run threw: there is nothing to keep). */
  discard(): void;
}

/**
 * `--history-jsonl FILE`: every epoch is streamed to a temporary file in FILE's directory
 * and renamed into place at the end, so an existing FILE is only replaced by a run that
 * finished (a symlink is written through: the rename goes to its target). The path was
 * checked by `planOutputs` before the run.
 */
export function historyFile(path: string): HistoryFile {
  const resolved = resolveOutput(path, realFs);
  if ("problem" in resolved) throw new OutputWriteError(path, resolved.problem);
  const streamPath = join(
    dirname(resolved.target),
    `.${basename(resolved.target)}.${randomBytes(4).toString("hex")}.partial`,
  );
  return {
    streamPath,
    finish(finished) {
      const shown = finished ? path : failedReportPath(path);
      try {
        const at = finished ? resolved : resolveOutput(shown, realFs);
        if ("problem" in at) throw new OutputWriteError(shown, at.problem);
        renameSync(streamPath, at.target);
      } catch (error) {
        if (error instanceof OutputWriteError) throw error;
        throw new OutputWriteError(shown, describeIoError(error));
      }
      return shown;
    },
    discard() {
      try {
        unlinkSync(streamPath);
      } catch {
        // never created, or already gone
      }
    },
  };
}
