import { Worker } from "node:worker_threads";

/**
 * A fixed team of threads that run one function over parts of a job, synchronously from the
 * caller's point of view: `run()` wakes the workers, computes part 0 on the calling thread,
 * and blocks (Atomics.wait) until every worker has finished its part. Work and results live
 * in SharedArrayBuffers the caller sets up; the pool only moves a generation counter.
 *
 * Control words (Int32Array on a SharedArrayBuffer):
 *   [0] generation: bumped by run(); each worker waits for it to change, then works
 *   [1] parts finished by workers in this generation
 *   [2] 1 once close() asked the workers to leave their loop
 *   [3] 1 if a worker's part threw (run() then throws)
 *   [4] workers that have entered their loop (a worker that never starts must not hang run())
 *   [5] workers that have exited (their 'exit' handler ran: process.exit, an uncaught error)
 *   [6] the exit code of the last worker that exited
 *   [7..) free for the job's own integers (ranges, flags), read by the workers
 *
 * A worker is started from source text (`eval`), built from the `part` function's own source,
 * so the same code runs from the TypeScript sources (tests) and from dist/. `part` must be
 * self-contained (see linear-partial.ts). Workers are unref'd: an unclosed pool never keeps
 * the process alive; close() ends them and resolves once they have exited.
 *
 * A worker that exits while the pool is open (its part called process.exit, or an error
 * escaped its loop) marks itself in the control words from its own 'exit' handler: the
 * caller's event loop is blocked in run(), so the Worker's 'exit' event could not tell it.
 * run() then fails with a message naming the exit code, ends the other workers and closes
 * the pool: every later run() refuses. (A thread killed without running its handlers, e.g.
 * by a V8 resource limit, is not seen this way.)
 */
const CONTROL_WORDS = 16;
/** Index of the first control word free for a job's own integers. */
export const JOB_CONTROL = 7;
/** How long run() waits for worker threads that have not started before it gives up. */
const START_TIMEOUT_MS = 60_000;

export interface SharedPool {
  readonly parts: number;
  readonly control: Int32Array;
  /** Runs part 0 here (via `runHere`) and parts 1..parts−1 on the workers; returns when all are done. */
  run(runHere: (part: number) => void): void;
  close(): Promise<void>;
}

/**
 * `parts` threads' worth of work: parts − 1 worker threads plus the caller. `workerSource`
 * is the body each worker runs for its part: a function `(part, data, control)` given as
 * source text, with `data` the caller's shared buffers (posted once, at start).
 */
export function createSharedPool(
  parts: number,
  workerSource: string,
  data: unknown,
  startTimeoutMs = START_TIMEOUT_MS,
): SharedPool {
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  const workers: Worker[] = [];
  for (let t = 1; t < parts; t++) {
    const worker = new Worker(loopSource(workerSource), {
      eval: true,
      workerData: { part: t, data, control },
    });
    worker.unref();
    // Without a listener a worker that dies (e.g. fails to start) is an uncaught error of the
    // process; run() reports it through the started count instead.
    worker.on("error", () => {});
    workers.push(worker);
  }
  let closed = false;
  let closedReason = "the worker threads were closed";
  const failIfExited = () => {
    const exited = Atomics.load(control, 5);
    if (exited === 0) return;
    closed = true;
    closedReason =
      `a worker thread exited (exit code ${Atomics.load(control, 6)}) while the pool was ` +
      "running: its part is lost and the worker threads are closed";
    for (const w of workers) void w.terminate();
    throw new Error(closedReason);
  };
  return {
    parts,
    control,
    run(runHere) {
      if (closed) throw new Error(closedReason);
      failIfExited();
      Atomics.store(control, 1, 0);
      Atomics.add(control, 0, 1);
      Atomics.notify(control, 0);
      runHere(0);
      const since = Date.now();
      for (let done = Atomics.load(control, 1); done < parts - 1; done = Atomics.load(control, 1)) {
        // Waits in slices: the event loop is blocked here, so a worker that failed to start
        // (its 'error' event cannot be delivered) is seen only through the started count.
        const woke = Atomics.wait(control, 1, done, 1000);
        failIfExited();
        if (woke === "timed-out") {
          const started = Atomics.load(control, 4);
          if (started < parts - 1 && Date.now() - since > startTimeoutMs) {
            closed = true;
            for (const w of workers) void w.terminate();
            throw new Error(
              `only ${started} of ${parts - 1} worker threads started within ${startTimeoutMs / 1000} s`,
            );
          }
        }
      }
      if (Atomics.load(control, 3) !== 0) throw new Error("a worker thread's part failed");
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      // Referenced again so that a caller awaiting the exits keeps the event loop alive.
      for (const w of workers) w.ref();
      Atomics.store(control, 2, 1);
      Atomics.add(control, 0, 1);
      Atomics.notify(control, 0);
      return Promise.all(
        workers.map((w) => new Promise<void>((resolve) => w.once("exit", () => resolve()))),
      ).then(() => undefined);
    },
  };
}

/** The worker's loop: wait for a new generation, run its part, count it done. */
function loopSource(workerSource: string): string {
  return `"use strict";
const { workerData } = require("node:worker_threads");
const { part, data, control } = workerData;
const work = ${workerSource};
let seen = 0;
process.on("exit", (code) => {
  if (Atomics.load(control, 2) !== 0) return; // closing: an expected exit
  Atomics.store(control, 6, code);
  Atomics.add(control, 5, 1);
  Atomics.notify(control, 1);
});
Atomics.add(control, 4, 1);
for (;;) {
  Atomics.wait(control, 0, seen);
  seen = Atomics.load(control, 0);
  if (Atomics.load(control, 2) !== 0) break;
  try {
    work(part, data, control);
  } catch (error) {
    Atomics.store(control, 3, 1);
  }
  Atomics.add(control, 1, 1);
  Atomics.notify(control, 1);
}
`;
}
