import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { InputError } from "../core/errors.js";
import { parseWith } from "../core/schema.js";
import { type SweepCellRequest, sweepCellRequestSchema } from "./sweep-cell-request.js";
import type { SweepCellResult } from "./sweep-cell-result.js";
import type { TaskOptions } from "./types.js";

export type { SweepCellRequest } from "./sweep-cell-request.js";
export type { SweepCellResult } from "./sweep-cell-result.js";

/**
 * The `sweep-cell` task: runs one cell of a sweep (sweep-cell-request.ts) and measures it
 * (sweep-cell-result.ts). A NaN/±Inf gradient stopped by the guard's `error` policy is a
 * result (the run diverged), not a failure. Each kind's code loads on first use, so a worker
 * that only trains never loads the formula compiler. Never prints.
 */
export async function runSweepCell(
  request: unknown,
  options: TaskOptions = {},
): Promise<SweepCellResult> {
  const cell: SweepCellRequest = parseWith(sweepCellRequestSchema, request, "request");
  checkDataHash(cell);
  const { run, firstOrder } = cell;
  if (run.task === "fit-curve") {
    return (await import("./sweep-cell-fit.js")).runFitCell(run, firstOrder!);
  }
  return (await import("./sweep-cell-train.js")).runTrainCell(run, options);
}

/** The SHA-256 of a file's bytes, hex (how a sweep fingerprints its data). */
export function fileSha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/**
 * Hashes this thread has computed, by path and the file's identity and modification time: a
 * worker runs many cells on one file, and hashing it for each would read it twice per run.
 */
const hashes = new Map<string, string>();

function checkDataHash(cell: SweepCellRequest): void {
  const data = cell.run.data;
  if (cell.dataSha256 === undefined || !("file" in data)) return;
  let actual: string;
  try {
    const st = statSync(data.file);
    const key = `${data.file}\0${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
    actual = hashes.get(key) ?? fileSha256(data.file);
    if (hashes.size >= 16) hashes.clear();
    hashes.set(key, actual);
  } catch {
    return; // the run's reader reports a missing or unreadable file with its own message
  }
  if (actual !== cell.dataSha256) {
    throw new InputError(
      `request: dataSha256: ${data.file} has changed since the cell was planned (SHA-256 ${actual.slice(0, 12)}…, expected ${cell.dataSha256.slice(0, 12)}…)`,
    );
  }
}
