import type { OutputPlan, SaveResult } from "../io/output-plan.js";
import type { CliIO } from "./io.js";

/**
 * The "wrote …" line of one output: where it went and, for a run that did not finish, why
 * it went beside the path asked for: `wrote r.failed.json (the run diverged; r.json not written)`.
 */
export function wroteLine(option: string, plan: OutputPlan, saved: SaveResult, why: string) {
  if (saved.path === null) return null;
  if (!saved.failed) return `wrote ${saved.path}`;
  return `wrote ${saved.path} (${why}; ${plan.path(option)} not written)`;
}

/** "wrote" lines go with the summary: stdout for a table, stderr beside JSON output. */
export function printWrote(io: CliIO, format: "table" | "json", lines: (string | null)[]) {
  for (const line of lines) if (line !== null) (format === "json" ? io.err : io.out)(line);
}
