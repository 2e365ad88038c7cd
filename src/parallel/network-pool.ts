import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { CONTROL, type NetworkShared, readMessage } from "./network-shared.js";

/**
 * The worker threads of a network split over threads: parts − 1 workers (network-worker.ts),
 * each holding the network, plus the calling thread for part 0. `run(here)` wakes the workers,
 * computes part 0 with `here`, and blocks (Atomics.wait) until every worker has finished; the
 * trainer's loop is synchronous, and a step is milliseconds, so the wait is short and there is
 * nothing else for this thread to do. The protocol is shared-pool.ts's (a generation counter,
 * a done count, failure and exit words); this pool exists because its workers load the network's
 * modules, which shared-pool.ts's self-contained source text cannot.
 *
 * Failures never hang and never leave threads behind: a part that throws fails run() with its
 * message; a worker that exits, or that has not started within `startTimeoutMs`, fails run() and
 * terminates the rest. Workers are unref'd (an unclosed pool never keeps the process alive);
 * close() ends them and resolves once they have exited.
 */
export interface NetworkPool {
  run(here: () => void): void;
  close(): Promise<void>;
}

/** How long run() waits for worker threads to build their networks before it gives up. */
const START_TIMEOUT_MS = 60_000;

let live = 0;

/** Network worker threads started and not yet exited, in this process (for tests and checks). */
export function liveNetworkWorkers(): number {
  return live;
}

export function createNetworkPool(
  shared: NetworkShared,
  startTimeoutMs = START_TIMEOUT_MS,
): NetworkPool {
  const c = shared.control;
  const url = compiledWorker();
  const workers: Worker[] = [];
  const exits: Promise<void>[] = [];
  for (let part = 1; part < shared.parts; part++) {
    const worker = new Worker(url, { workerData: { part, shared } });
    live++;
    exits.push(
      new Promise<void>((done) =>
        worker.once("exit", () => {
          live--;
          done();
        }),
      ),
    );
    worker.unref();
    // Without a listener a worker's error is an uncaught error of the process; run() sees
    // the worker's exit through the control words instead.
    worker.on("error", () => {});
    workers.push(worker);
  }
  const others = shared.parts - 1;
  let closed: string | null = null;
  const fail = (reason: string): never => {
    closed = reason;
    for (const w of workers) void w.terminate();
    throw new Error(reason);
  };
  const checkExited = () => {
    if (Atomics.load(c, CONTROL.exited) === 0) return;
    fail(
      `a network worker thread exited (exit code ${Atomics.load(c, CONTROL.exitCode)}) while ` +
        "training: its part of the batch is lost and the worker threads are closed",
    );
  };
  return {
    run(here) {
      if (closed !== null) throw new Error(closed);
      checkExited();
      Atomics.store(c, CONTROL.done, 0);
      Atomics.add(c, CONTROL.generation, 1);
      Atomics.notify(c, CONTROL.generation);
      try {
        here();
      } finally {
        // Even when part 0 throws, the workers are let finish before anything is reused.
        waitForWorkers();
      }
      if (Atomics.load(c, CONTROL.failed) !== 0) {
        fail(`a network worker thread's part failed: ${readMessage(shared)}`);
      }
    },
    close() {
      if (closed === null) closed = "the network's worker threads were closed";
      for (const w of workers) w.ref(); // so that a caller awaiting the exits keeps the loop alive
      Atomics.store(c, CONTROL.closing, 1);
      Atomics.add(c, CONTROL.generation, 1);
      Atomics.notify(c, CONTROL.generation);
      return Promise.all(exits).then(() => undefined);
    },
  };

  function waitForWorkers() {
    const since = Date.now();
    for (let done = Atomics.load(c, CONTROL.done); done < others; ) {
      // In slices: a worker that dies before it starts is seen only through the control words.
      const woke = Atomics.wait(c, CONTROL.done, done, 1000);
      checkExited();
      if (woke === "timed-out" && Date.now() - since > startTimeoutMs) {
        const started = Atomics.load(c, CONTROL.started);
        if (started < others) {
          fail(
            `only ${started} of ${others} network worker threads started within ${startTimeoutMs / 1000} s`,
          );
        }
      }
      done = Atomics.load(c, CONTROL.done);
    }
  }
}

/**
 * The worker's compiled file (Node 20 workers cannot load .ts): beside this module when it runs
 * from dist/, else the build's copy (src/ → dist/) when it runs from the sources under a
 * TypeScript loader, as the tests do. The same rule as batch/built-module.ts, which this layer
 * cannot import.
 */
function compiledWorker(): URL {
  const here = fileURLToPath(new URL("./network-worker.js", import.meta.url));
  if (existsSync(here)) return pathToFileURL(here);
  const at = here.lastIndexOf("/src/");
  const built = at < 0 ? null : `${here.slice(0, at)}/dist/${here.slice(at + 5)}`;
  if (built !== null && existsSync(built)) return pathToFileURL(built);
  throw new Error(
    `network worker threads: compiled module not found at ${here}${built ? ` or ${built}` : ""}; run \`npm run build\``,
  );
}
