import type { RowRange } from "../core/model.js";
import type { MlpModel, NetData } from "../nn/index.js";
import { type NetworkBuild, networkFromBuild, rowWeights } from "./network-build.js";
import { createNetworkPool } from "./network-pool.js";
import { CONTROL, type NetworkShared, partRange } from "./network-shared.js";

/**
 * A network (mlpModel or logisticRegression, from its build description) whose loss and gradient
 * are computed by `workers` threads: the calling thread and workers − 1 worker threads, each
 * holding the network, over one shared copy of the data (SharedArrayBuffers, set up once). It is
 * a Model like any other, so the trainer, the clip and the optimizer are unchanged and run once,
 * on the calling thread.
 *
 * Each lossAndGrad(θ, g, rows) writes θ to shared memory, splits the rows into `workers`
 * contiguous parts (part t: ⌊t·n/W⌋ .. ⌊(t+1)·n/W⌋ of the batch, in the batch's order), and each
 * part computes its own mean loss L_t and gradient g_t over its rows into its own slot. The
 * calling thread then adds the parts in part order 0, 1, …, W−1, weighted as the one-thread mean
 * weighs them:
 *
 *     L = Σ_t (W_t / W) · L_t,   g = Σ_t (W_t / W) · g_t,   W_t = Σ of the part's row weights
 *
 * (row weights are the class weights of the rows' labels, else 1: W_t is the part's row count).
 *
 * Determinism and how W > 1 differs from one thread:
 * - For a given worker count, results are the same on every run, bit for bit: fixed parts, a
 *   fixed reduction order, no atomics on floats.
 * - With one worker they are the network's own, bit for bit (W_0/W = 1).
 * - Summation order: each part sums its rows' gradients on its own and the parts are added at the
 *   end, and each part's mean is rescaled by W_t/W — differences in the last bits of the loss and
 *   gradient (the MLP benchmark ends 158 Adam steps within 2e-16 of one thread in the loss;
 *   the tests bound the gap at 1e-12).
 * - Dropout: part t draws its masks from a stream of its own (seed partSeed(seed, t); part 0 keeps
 *   the network's seed), so the masks, and with them the run, differ from the one-thread run's —
 *   a different but equally valid draw — while staying reproducible for the worker count.
 * - dtype "float32": the parts' float32 block sums differ from one thread's by float32 rounding.
 *
 * `close()` ends the worker threads; trainNetwork closes them when training ends or throws.
 */
export interface ParallelNetworkModel extends MlpModel {
  readonly workers: number;
  /** The network on the calling thread (part 0's): the same parameters' model, after close() too. */
  readonly base: MlpModel;
  close(): Promise<void>;
}

export function parallelNetworkModel(
  build: NetworkBuild,
  data: NetData,
  workers: number,
): ParallelNetworkModel {
  if (!Number.isInteger(workers) || workers < 1) {
    throw new RangeError(`parallelNetworkModel: workers must be an integer >= 1, got ${workers}`);
  }
  const base = networkFromBuild(build, data);
  const size = base.layout.size;
  const shared: NetworkShared = {
    build,
    features: [...data.features],
    rows: data.rows,
    x: sharedCopy(data.x),
    y: sharedCopy(data.y),
    params: new Float64Array(new SharedArrayBuffer(size * 8)),
    order: new Uint32Array(new SharedArrayBuffer(Math.max(1, data.rows) * 4)),
    slots: new Float64Array(new SharedArrayBuffer(workers * size * 8)),
    losses: new Float64Array(new SharedArrayBuffer(workers * 8)),
    parts: workers,
    control: new Int32Array(new SharedArrayBuffer(CONTROL.words * 4)),
    message: new Uint8Array(new SharedArrayBuffer(1024)),
  };
  const control = shared.control;
  const setSeed = (seed: number) => {
    Atomics.store(control, CONTROL.seed, seed | 0);
    Atomics.add(control, CONTROL.reseeds, 1);
  };
  setSeed(build.kind === "mlp" ? (build.options.seed ?? 0) : 0);
  const weights = rowWeights(build, data.y);
  const weightOf = (r: RowRange) => {
    if (weights === null) return r.end - r.start;
    let total = 0;
    for (let k = r.start; k < r.end; k++) total += weights[r.order === null ? k : r.order[k]!]!;
    return total;
  };
  const partWeights = new Float64Array(workers);
  const pool = createNetworkPool(shared);

  return {
    ...base,
    workers,
    base,
    lossAndGrad(params: Float64Array, grad: Float64Array, range: RowRange): number {
      const count = range.end - range.start;
      if (count <= 0) {
        grad.fill(0);
        return Number.NaN;
      }
      shared.params.set(params.subarray(0, size));
      setJob(shared, range);
      pool.run(() => {
        const part = partRange(0, shared);
        if (part.end > part.start) shared.losses[0] = base.lossAndGrad(params, grad, part);
      });
      // Each part's share of the batch's weight, then the parts added in part order.
      let total = 0;
      for (let t = 0; t < workers; t++) {
        partWeights[t] = weightOf(partRange(t, shared));
        total += partWeights[t]!;
      }
      if (total === 0) {
        // Every row weighs 0: loss 0 and gradient 0, as the losses define it (nn/losses).
        grad.fill(0);
        return 0;
      }
      const share0 = partWeights[0]! / total;
      const slots = shared.slots;
      let loss = 0;
      let t = 1;
      if (share0 === 0) grad.fill(0);
      else if (workers > 1 && partWeights[1]! > 0) {
        // Parts 0 and 1 in one pass: the same roundings as scaling, then adding.
        const share1 = partWeights[1]! / total;
        for (let i = 0; i < size; i++) grad[i] = share0 * grad[i]! + share1 * slots[size + i]!;
        loss = share0 * shared.losses[0]! + share1 * shared.losses[1]!;
        t = 2;
      } else {
        for (let i = 0; i < size; i++) grad[i]! *= share0;
        loss = share0 * shared.losses[0]!;
      }
      for (; t < workers; t++) {
        if (partWeights[t] === 0) continue;
        const share = partWeights[t]! / total;
        const at = t * size;
        for (let i = 0; i < size; i++) grad[i]! += share * slots[at + i]!;
        loss += share * shared.losses[t]!;
      }
      return loss;
    },
    reseedDropout(seed: number): void {
      base.reseedDropout(seed);
      setSeed(seed);
    },
    close: () => pool.close(),
  };
}

/** The batch's rows as the job: a shuffled batch's order is copied into shared memory. */
function setJob(shared: NetworkShared, range: RowRange): void {
  const c = shared.control;
  if (range.order === null) {
    Atomics.store(c, CONTROL.start, range.start);
    Atomics.store(c, CONTROL.end, range.end);
    Atomics.store(c, CONTROL.hasOrder, 0);
  } else {
    shared.order.set(range.order.subarray(range.start, range.end));
    Atomics.store(c, CONTROL.start, 0);
    Atomics.store(c, CONTROL.end, range.end - range.start);
    Atomics.store(c, CONTROL.hasOrder, 1);
  }
}

function sharedCopy(values: Float64Array): Float64Array {
  const copy = new Float64Array(new SharedArrayBuffer(values.length * 8));
  copy.set(values);
  return copy;
}
