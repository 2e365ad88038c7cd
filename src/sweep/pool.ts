import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { BiogradError, type ErrorCode } from "../core/errors.js";
import { executeReply, type WorkerReply } from "./execute.js";
import type { RunRecord } from "./record.js";
import type { RunSpec } from "./spec.js";

/** One task for the pool: a keyed run spec. */
export interface PoolTask {
  key: string;
  spec: RunSpec;
}

/** A run that threw inside its worker (bad input, internal error): stops the sweep. */
export class RunFailure extends Error {
  readonly key: string;
  readonly reply: Extract<WorkerReply, { ok: false }>["error"];
  constructor(key: string, reply: Extract<WorkerReply, { ok: false }>["error"]) {
    super(reply.message);
    this.name = "RunFailure";
    this.key = key;
    this.reply = reply;
  }

  /**
   * The failure as the error the CLI reports, prefixed with which run (`where`): a
   * BiogradError with the worker's code (bad input: exit 2), else an internal error (exit 1).
   */
  toError(where: string): Error {
    const message = `${where}: ${this.reply.message}`;
    const code = this.reply.code as ErrorCode | null;
    if (code !== null && BIOGRAD_CODES.includes(code)) return new BiogradError(code, message);
    const error = new Error(message);
    error.stack = `${message}\n${this.reply.stack}`;
    return error;
  }
}

const BIOGRAD_CODES: readonly ErrorCode[] = [
  "invalid_option",
  "unknown_option",
  "non_finite_gradient",
  "bad_input",
  "shape_mismatch",
];

export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * The compiled worker script: next to this module in dist/; when this module runs from src/
 * under a TypeScript loader (the test runner), the build's copy (worker threads on Node 20
 * cannot load .ts files).
 */
export function workerFile(): string {
  const here = fileURLToPath(new URL("./worker.js", import.meta.url));
  if (existsSync(here)) return here;
  const built = fileURLToPath(new URL("../../dist/sweep/worker.js", import.meta.url));
  if (existsSync(built)) return built;
  throw new Error(`sweep: worker script not found at ${here} or ${built}; run \`npm run build\``);
}

/**
 * Runs every task on `workers` worker threads (0: one after another on this thread, without a
 * pool — for small sweeps, where starting workers costs more than the runs, and for debugging) and calls `onResult` (on this thread) as each
 * finishes — in completion order, which callers must not rely on for output order. The first
 * failed run stops the sweep: the pool is destroyed and the failure rethrown; results already
 * reported stay reported.
 */
export async function runOnPool(
  tasks: readonly PoolTask[],
  workers: number,
  onResult: (key: string, record: RunRecord) => void,
): Promise<void> {
  if (tasks.length === 0) return;
  if (workers === 0) {
    for (const task of tasks) {
      const reply = await executeReply(task.spec);
      if (!reply.ok) throw new RunFailure(task.key, reply.error);
      onResult(task.key, reply.record);
    }
    return;
  }
  const threads = Math.max(1, Math.min(workers, tasks.length));
  const pool = new Piscina<RunSpec, WorkerReply>({
    filename: workerFile(),
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 1000,
  });
  // At most `threads` runs are handed to the pool at a time, and none after the first
  // failure; the pool is destroyed only once every run handed out has settled. (Aborting runs
  // in flight, or destroying the pool under them, made piscina throw an uncaught
  // "Unexpected message from Worker" when their replies arrived.)
  let next = 0;
  let failure: unknown = null;
  const lane = async (): Promise<void> => {
    while (failure === null && next < tasks.length) {
      const task = tasks[next++]!;
      try {
        const reply = await pool.run(task.spec);
        if (failure !== null) return;
        if (!reply.ok) throw new RunFailure(task.key, reply.error);
        onResult(task.key, reply.record);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: threads }, lane));
  } finally {
    await pool.destroy();
  }
  if (failure !== null) throw failure;
}
