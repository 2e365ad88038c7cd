import type { RowRange } from "../core/model.js";
import type { Dataset } from "../data/dataset.js";
import { type LinearShared, linearPart, linearPartial } from "../parallel/linear-partial.js";
import { createSharedPool, DONE, JOB_CONTROL, type SharedPool } from "../parallel/shared-pool.js";
import { instantiateLinearKernel, linearBuffers } from "../parallel/wasm-linear.js";
import { type LinearModel, linearModel } from "./linear.js";

/**
 * The linear model (linear.ts: ŷ = X·w + b, MSE) with its loss and gradient computed by
 * `workers` threads: the calling thread and workers − 1 worker threads. The data are copied
 * once into shared memory: a shared WebAssembly memory that every thread's instance of the
 * f64x2 kernel reads (wasm-linear.ts), or SharedArrayBuffers for the JS kernel where the
 * runtime has no WebAssembly SIMD (or `BIOGRAD_LINEAR=js`). Each call writes θ there and cuts
 * the rows of the range into C chunks (chunk c: rows start + ⌊c·n/C⌋ .. start + ⌊(c+1)·n/C⌋,
 * in the range's order); the threads take chunks until none is left (so a thread the OS
 * deschedules holds nobody up), each chunk's unscaled sums (Σ x·r, Σ r², Σ r) go to its own
 * slot, and the calling thread adds the slots in chunk order 0, 1, …, C−1, then scales. The
 * call returns once all C chunks are summed, not waiting for a worker that woke too late to
 * find one (the pool's `countsUnits`).
 * C = 1 with one worker, else max(32, workers).
 *
 * Determinism: the numbers depend only on C, never on which thread summed which chunk (fixed
 * chunks, fixed reduction order, no atomics on floats), and not on the kernel (wasm and JS
 * give the same sums bit for bit). So every worker count from 2 to 32 gives the same results,
 * on every run. With one worker they are bit for bit those of `linearModel`; with more they
 * differ from it only in summation order (32 partial sums added at the end instead of one
 * running sum): relative differences of order n·ε in the gradient's sums, far below anything
 * training can see (tests bound them at 1e-12).
 *
 * `close()` ends the worker threads (they never keep the process alive in any case).
 */
export interface ParallelLinearModel extends LinearModel {
  readonly workers: number;
  close(): Promise<void>;
}

/** Chunks a job is cut into with two or more workers (see above). */
const CHUNKS = 32;

export function parallelLinearModel(data: Dataset, workers: number): ParallelLinearModel {
  if (!Number.isInteger(workers) || workers < 1) {
    throw new RangeError(`parallelLinearModel: workers must be an integer >= 1, got ${workers}`);
  }
  const base = linearModel(data);
  const p = data.features.length;
  const chunks = workers === 1 ? 1 : Math.max(CHUNKS, workers);
  const shared: LinearShared = {
    ...linearBuffers(data.x, data.y, p, chunks),
    p,
    chunks,
    job: JOB_CONTROL,
    done: DONE,
  };
  const kernel = shared.wasm === null ? null : instantiateLinearKernel(shared.wasm);
  const pool: SharedPool = createSharedPool(workers, WORKER_SOURCE, shared, {
    countsUnits: true,
  });
  const control = pool.control;
  const runPart = (part: number) => linearPart(part, shared, control, kernel);
  return {
    ...base,
    workers,
    backend: () => (kernel === null ? "js" : "wasm-simd"),
    lossAndGrad(params: Float64Array, grad: Float64Array, range: RowRange): number {
      const count = range.end - range.start;
      shared.params.set(params.subarray(0, p + 1));
      if (range.order === null) {
        Atomics.store(control, JOB_CONTROL, range.start);
        Atomics.store(control, JOB_CONTROL + 1, range.end);
        Atomics.store(control, JOB_CONTROL + 2, 0);
      } else {
        shared.order.set(range.order.subarray(range.start, range.end));
        Atomics.store(control, JOB_CONTROL, 0);
        Atomics.store(control, JOB_CONTROL + 1, count);
        Atomics.store(control, JOB_CONTROL + 2, 1);
      }
      Atomics.store(control, JOB_CONTROL + 3, 0); // the next chunk to take
      pool.run(runPart, chunks);
      // Slots added in chunk order: Σ x·r into grad[0..p), then Σ r² and Σ r.
      const out = shared.partials;
      const slot = shared.stride; // slots are padded to whole cache lines (wasm-linear.ts)
      let sse = 0;
      let sr = 0;
      for (let t = 0; t < chunks; t++) {
        const at = t * slot;
        for (let j = 0; j < p; j++) grad[j] = t === 0 ? out[j]! : grad[j]! + out[at + j]!;
        sse += out[at + p]!;
        sr += out[at + p + 1]!;
      }
      const scale = 2 / count;
      for (let j = 0; j < p; j++) grad[j]! *= scale;
      grad[p] = sr * scale;
      return sse / count;
    },
    close: () => pool.close(),
  };
}

// The workers' part: the same functions, as source (see shared-pool.ts); each worker
// instantiates the kernel on the shared memory once, at its first part.
const WORKER_SOURCE = `(() => {
  ${linearPartial.toString()}
  ${linearPart.toString()}
  ${instantiateLinearKernel.toString()}
  let kernel;
  return (part, d, control) => {
    if (kernel === undefined) kernel = d.wasm === null ? null : instantiateLinearKernel(d.wasm);
    linearPart(part, d, control, kernel);
  };
})()`;
