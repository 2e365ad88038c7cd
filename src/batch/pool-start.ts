import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Piscina } from "piscina";
import { builtModule } from "./built-module.js";
import type { WorkerReply, WorkerTask } from "./worker-entry.js";

// A worker pool's threads take 150-300 ms to start (Node's own start-up in the thread, the job
// module, the model): a program that knows from its command line that it will need them can
// start them first, while it loads its own code, and the executor takes that pool over.
// At 10,000 curves (`biograd fit --group … --workers 1|2`) the worker then answers its warm-up
// several hundred ms sooner on a busy host; the CPU spent is the same (a reordering only).

type Pool = Piscina<WorkerTask, WorkerReply>;

/** The pool's settings: a pool started early is taken only by an executor asking for these. */
export interface PoolShape {
  threads: number;
  queuedPerThread: number;
}

// On globalThis, not in this module: the CLI's entry and the command that runs the pool are
// separate bundles (scripts/bundle-cli.mjs), each with its own copy of this module.
const SLOT = Symbol.for("biograd.startedPool");
type Started = { key: string; pool: Pool };
const slots = globalThis as { [SLOT]?: Started };

/**
 * The worker script's file (the same file whichever bundle asks): the CLI's build has it as
 * one CommonJS file too (scripts/bundle-workers.mjs), which piscina requires — the thread then
 * starts without Node's ES module loader; else the ES module's URL.
 */
const entry = () => {
  const url = builtModule(new URL("./worker-entry.js", import.meta.url));
  const cjs = `${fileURLToPath(url).slice(0, -3)}.cjs`;
  return existsSync(cjs) ? cjs : url.href;
};
const keyOf = (shape: PoolShape) => `${entry()} ${shape.threads} ${shape.queuedPerThread}`;

/** A new piscina pool of `threads` threads, started at once and kept until destroyed. */
export function newPool(shape: PoolShape): Pool {
  // Required here rather than imported: the CLI's entry imports this module and must not load
  // piscina for commands that start no pool.
  const { Piscina } = createRequire(import.meta.url)("piscina") as typeof import("piscina");
  return new Piscina<WorkerTask, WorkerReply>({
    filename: entry(),
    minThreads: shape.threads,
    maxThreads: shape.threads,
    idleTimeout: 1000,
    concurrentTasksPerWorker: shape.queuedPerThread,
  });
}

/** Starts a pool now for an executor made later (`takeStartedPool`); one at a time. */
export function startPoolEarly(shape: PoolShape): void {
  if (slots[SLOT] !== undefined) return;
  slots[SLOT] = { key: keyOf(shape), pool: newPool(shape) };
}

/** The pool started early, if it has this shape (it is then the caller's to destroy). */
export function takeStartedPool(shape: PoolShape): Pool | null {
  const started = slots[SLOT];
  if (started === undefined || started.key !== keyOf(shape)) return null;
  slots[SLOT] = undefined;
  return started.pool;
}

/** Destroys a pool started early that no executor took (the command ended before, or differed). */
export async function dropStartedPool(): Promise<void> {
  const started = slots[SLOT];
  if (started === undefined) return;
  slots[SLOT] = undefined;
  await started.pool.destroy();
}
