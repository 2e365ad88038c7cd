import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/**
 * A fixed team of threads that run one function over parts of a job, synchronously from the
 * caller's point of view: `run()` wakes the workers, computes part 0 on the calling thread,
 * and blocks (Atomics.wait) until every worker has finished its part. Work and results live
 * in SharedArrayBuffers the caller sets up; the pool only moves a generation counter.
 *
 * Control words (Int32Array on a SharedArrayBuffer):
 *   [0] generation: bumped by run(); each worker waits for it to change, then works
 *   [1] DONE: parts finished by workers in this generation (or units, see below)
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
 *
 * Hand-offs cost wake-ups (futex syscalls, and on a virtual machine an idle vCPU's exit): a
 * worker that finishes its part spins on the generation for SPIN_MS before it sleeps, and
 * run() spins on the done count for as long before it sleeps, so back-to-back runs (an epoch's
 * loss and gradient, then the next) hand over without waking anyone. Neither spins when there
 * are more threads than cores, where a spinning thread would take the time of a working one.
 *
 * Units (a pool created with `countsUnits`): the parts count their own finished pieces of work
 * in word [1] (Atomics.add, then Atomics.notify on it) and `run(runHere, units)` returns once
 * `units` more are counted — without waiting for a worker that woke too late to find any work
 * (on a loaded machine a wake-up can take a time slice). Such a worker may then run its part
 * during the caller's next run, so a part must read its job only after claiming a piece of it
 * (linear-partial.ts's `linearPart`). The count is cumulative (never reset, compared modulo
 * 2³²): a reset could race with a late worker's report. The worker loop adds nothing itself.
 */
const CONTROL_WORDS = 16;
/** Index of the first control word free for a job's own integers. */
export const JOB_CONTROL = 7;
/** Index of the done count: finished parts, or with `countsUnits` the parts' own units. */
export const DONE = 1;
/** How long a thread spins on the word it waits for before it sleeps (Atomics.wait). */
const SPIN_MS = 0.25;

export interface SharedPoolOptions {
  /** How long run() waits for worker threads that have not started before it gives up. */
  startTimeoutMs?: number; // default 60 s
  /** The parts count units of work in word DONE; run(runHere, units) waits for `units`. */
  countsUnits?: boolean;
  /** Spin before sleeping (default: when the threads fit the cores; 0 never spins). */
  spinMs?: number;
}

export interface SharedPool {
  readonly parts: number;
  readonly control: Int32Array;
  /**
   * Runs part 0 here (via `runHere`) and parts 1..parts−1 on the workers; returns when all are
   * done, or with `countsUnits` once `units` more units have been counted.
   */
  run(runHere: (part: number) => void, units?: number): void;
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
  options: SharedPoolOptions = {},
): SharedPool {
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const units = options.countsUnits === true;
  const spinMs = options.spinMs ?? (parts <= availableParallelism() ? SPIN_MS : 0);
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  const workers: Worker[] = [];
  for (let t = 1; t < parts; t++) {
    const worker = new Worker(loopSource(workerSource, units, spinMs), {
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
  /** Closes the pool for good (later runs refuse with the same reason) and throws. */
  const fail = (reason: string): never => {
    closed = true;
    closedReason = reason;
    for (const w of workers) void w.terminate();
    throw new Error(reason);
  };
  const failIfExited = () => {
    if (Atomics.load(control, 5) === 0) return;
    fail(
      `a worker thread exited (exit code ${Atomics.load(control, 6)}) while the pool was ` +
        "running: its part is lost and the worker threads are closed",
    );
  };
  let counted = 0; // units counted by every earlier run (countsUnits), modulo 2³²
  return {
    parts,
    control,
    run(runHere, more = 0) {
      if (closed) throw new Error(closedReason);
      failIfExited();
      const target = (counted + more) | 0;
      const finished = units
        ? () => ((Atomics.load(control, DONE) - target) | 0) >= 0 || Atomics.load(control, 3) !== 0
        : () => Atomics.load(control, DONE) >= parts - 1;
      if (!units) Atomics.store(control, DONE, 0);
      Atomics.add(control, 0, 1);
      Atomics.notify(control, 0);
      try {
        runHere(0);
      } catch (error) {
        // Workers may still be counting this run's units: the count can no longer be trusted.
        if (units) fail("the calling thread's part failed: the worker threads are closed");
        throw error;
      }
      if (spinMs > 0 && !finished()) {
        const until = performance.now() + spinMs;
        while (!finished() && performance.now() < until);
      }
      const since = Date.now();
      for (
        let done = Atomics.load(control, DONE);
        !finished();
        done = Atomics.load(control, DONE)
      ) {
        // Waits in slices: the event loop is blocked here, so a worker that failed to start
        // (its 'error' event cannot be delivered) is seen only through the started count.
        const woke = Atomics.wait(control, DONE, done, 1000);
        failIfExited();
        if (woke === "timed-out") {
          const started = Atomics.load(control, 4);
          if (started < parts - 1 && Date.now() - since > startTimeoutMs) {
            fail(
              `only ${started} of ${parts - 1} worker threads started within ${startTimeoutMs / 1000} s`,
            );
          }
        }
      }
      counted = target;
      if (Atomics.load(control, 3) === 0) return;
      // With units a failed part's units never arrive: later runs could not count theirs.
      if (units) fail("a worker thread's part failed: the worker threads are closed");
      throw new Error("a worker thread's part failed");
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

/**
 * The worker's loop: spin, then wait, for a new generation; run its part; count it done (unless
 * the parts count their own units).
 */
function loopSource(workerSource: string, units: boolean, spinMs: number): string {
  return `"use strict";
const { workerData } = require("node:worker_threads");
const { part, data, control } = workerData;
const work = ${workerSource};
let seen = 0;
process.on("exit", (code) => {
  if (Atomics.load(control, 2) !== 0) return; // closing: an expected exit
  Atomics.store(control, 6, code);
  Atomics.add(control, 5, 1);
  Atomics.notify(control, ${DONE});
});
Atomics.add(control, 4, 1);
for (;;) {
  if (${spinMs} > 0 && Atomics.load(control, 0) === seen) {
    const until = performance.now() + ${spinMs};
    while (Atomics.load(control, 0) === seen && performance.now() < until);
  }
  Atomics.wait(control, 0, seen);
  seen = Atomics.load(control, 0);
  if (Atomics.load(control, 2) !== 0) break;
  try {
    work(part, data, control);
  } catch (error) {
    Atomics.store(control, 3, 1);
    Atomics.notify(control, ${DONE}); // with units, no count of this part will come
  }
  if (${!units}) {
    Atomics.add(control, ${DONE}, 1);
    Atomics.notify(control, ${DONE});
  }
}
`;
}
