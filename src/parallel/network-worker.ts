import { workerData } from "node:worker_threads";
import type { NetworkShared } from "./network-shared.js";

/**
 * A worker thread of a network split over threads (network-pool.ts): it builds the same network
 * as the calling thread on the shared data, once, then loops — wait for a new generation, compute
 * its part's mean loss and gradient into its own slot, count itself done — until close().
 *
 * The exit handler is installed before anything can fail: the calling thread is blocked in
 * Atomics.wait while this thread starts, so a worker that cannot load its modules, or dies later,
 * must say so through the shared control words (its 'error' and 'exit' events are not delivered
 * to a blocked thread). The network's modules are therefore imported dynamically, after it.
 */
const { part, shared } = workerData as { part: number; shared: NetworkShared };
const c = shared.control;
// Indices of network-shared.ts's CONTROL, repeated here so that nothing is imported first.
const GENERATION = 0;
const DONE = 1;
const CLOSING = 2;
const EXITED = 5;
const EXIT_CODE = 6;

process.on("exit", (code) => {
  if (Atomics.load(c, CLOSING) !== 0) return; // closing: an expected exit
  Atomics.store(c, EXIT_CODE, code);
  Atomics.add(c, EXITED, 1);
  Atomics.notify(c, DONE);
});

const { CONTROL, partRange, writeMessage } = await import("./network-shared.js");
const { networkFromBuild, partSeed } = await import("./network-build.js");

const model = networkFromBuild(shared.build, shared);
const size = model.layout.size;
const grad = shared.slots.subarray(part * size, (part + 1) * size);
let reseeds = 0;

Atomics.add(c, CONTROL.started, 1);
let seen = 0;
for (;;) {
  Atomics.wait(c, GENERATION, seen);
  seen = Atomics.load(c, GENERATION);
  if (Atomics.load(c, CLOSING) !== 0) break;
  try {
    const wanted = Atomics.load(c, CONTROL.reseeds);
    if (wanted !== reseeds) {
      model.reseedDropout(partSeed(Atomics.load(c, CONTROL.seed) >>> 0, part));
      reseeds = wanted;
    }
    const range = partRange(part, shared);
    shared.losses[part] =
      range.end > range.start ? model.lossAndGrad(shared.params, grad, range) : 0;
  } catch (error) {
    if (Atomics.compareExchange(c, CONTROL.failed, 0, 1) === 0) {
      writeMessage(shared, error instanceof Error ? error.message : String(error));
    }
  }
  Atomics.add(c, DONE, 1);
  Atomics.notify(c, DONE);
}
