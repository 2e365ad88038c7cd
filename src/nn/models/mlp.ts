import type { Model, RowRange } from "../../core/model.js";
import { createRng, type Rng } from "../../core/rng.js";
import { activation } from "../layers/activations.js";
import { checkDropoutRate } from "../layers/dropout.js";
import { headLoss, headOutput, headWeightTotal, makeHead } from "./mlp-head.js";
import { checkMlpOptions, invalidData, type MlpOptions } from "./mlp-options.js";
import { createNetwork, initNetwork, type Network } from "./network.js";
import { networkBackward, networkForward } from "./network-pass.js";
import { formatMlpSpec } from "./spec.js";

/** The data a network model is built on: x is rows × p row-major, y one target per row. */
export interface NetData {
  readonly features: readonly string[];
  readonly rows: number;
  readonly x: Float64Array;
  /** Values (regression) or class indices 0…K−1 (classification). */
  readonly y: Float64Array;
}

/**
 * A multilayer perceptron (or, without hidden layers, linear/logistic regression) as a
 * `Model` for `train()`: the network of network.ts with the task's head (mlp-head.ts).
 *
 * lossAndGrad(params, grad, rows) is the (weighted) mean loss over the rows of the range and
 * its gradient, overwriting grad. The rows are processed in chunks of maxBatch: a contiguous
 * range is read in place, a shuffled one gathered into a preallocated buffer; each chunk's
 * forward, loss (scaled by the whole range's 1/Σw) and backward accumulate into grad. Dropout
 * is active here only, with masks from the model's own generator (seeded by `seed`).
 *
 * predict(params, x, rows, out) writes, for `rows` rows of x (rows × p): regression values,
 * P(y = 1) for two classes, or K class probabilities per row (rows × K), without dropout.
 */
export interface MlpModel extends Model {
  readonly kind: "mlp" | "logistic";
  readonly task: "regress" | "classify";
  /** Canonical architecture string, e.g. "mlp:64,32:relu". */
  readonly spec: string;
  readonly inputs: number;
  /** Values per row of `predict`'s output (1, or K for K ≥ 3 classes). */
  readonly outputs: number;
  /** K for classification, 0 for regression. */
  readonly classes: number;
  readonly network: Network;
  predict(params: Float64Array, x: Float64Array, rows: number, out: Float64Array): void;
  /** Restarts the dropout masks' generator from `seed` (to replay a run's masks). */
  reseedDropout(seed: number): void;
}

export function mlpModel(data: NetData, options: MlpOptions): MlpModel {
  return buildMlp("mlpModel", "mlp", data, options);
}

export function buildMlp(
  owner: string,
  kind: "mlp" | "logistic",
  data: NetData,
  options: MlpOptions,
): MlpModel {
  const spec = checkMlpOptions(owner, options);
  const p = data.features.length;
  const n = data.rows;
  const { x, y } = data;
  if (x.length !== n * p || y.length !== n) {
    throw invalidData(
      owner,
      `x has ${x.length} values and y ${y.length}; expected ${n}×${p} and ${n}`,
    );
  }
  const head = makeHead(owner, y, options);
  const dropout = options.dropout ?? 0;
  checkDropoutRate(owner, dropout);
  const maxBatch = options.maxBatch ?? Math.max(1, Math.min(n, 256));
  const act = activation(
    spec.activation,
    spec.activation === "leaky-relu" ? { slope: options.slope ?? 0.01 } : {},
  );
  const net = createNetwork({
    inputs: p,
    hidden: spec.hidden,
    outputs: head.outputs,
    activation: act,
    dropout,
    maxBatch,
    dtype: options.dtype,
  });
  const init = {
    distribution: options.initDistribution ?? "uniform",
    scale: options.initScale ?? 1,
  };
  const xChunk = net.input; // maxBatch × p, resident with the network's other buffers
  const tChunk = new Float64Array(maxBatch);
  let rng: Rng = createRng(options.seed ?? 0);

  return {
    kind,
    task: options.task ?? "regress",
    spec: formatMlpSpec(spec),
    layout: net.layout,
    rows: n,
    inputs: p,
    outputs: head.outputs,
    classes: head.classes,
    network: net,
    init(params: Float64Array, initRng: Rng): void {
      initNetwork(net, params, initRng, init);
    },
    lossAndGrad(params: Float64Array, grad: Float64Array, range: RowRange): number {
      grad.fill(0);
      const total = headWeightTotal(head, y, range);
      const scale = 1 / total;
      let loss = 0;
      for (let s = range.start; s < range.end; s += maxBatch) {
        const rows = Math.min(maxBatch, range.end - s);
        const xOffset = gatherChunk(x, y, p, range.order, s, rows, xChunk, tChunk);
        const input = range.order === null ? x : xChunk;
        const out = networkForward(net, params, input, xOffset, rows, dropout > 0 ? rng : null);
        loss += headLoss(head, out, tChunk, rows, net.dOut, scale);
        networkBackward(net, params, input, xOffset, rows, grad);
      }
      return range.end > range.start ? loss : Number.NaN;
    },
    predict(params: Float64Array, xs: Float64Array, rows: number, out: Float64Array): void {
      if (xs.length < rows * p || out.length < rows * head.outputs) {
        throw invalidData(
          owner,
          `predict: ${rows} rows need x of ${rows * p} and out of ${rows * head.outputs} values`,
        );
      }
      for (let s = 0; s < rows; s += maxBatch) {
        const chunk = Math.min(maxBatch, rows - s);
        const z = networkForward(net, params, xs, s * p, chunk, null);
        headOutput(head, z, chunk, out, s * head.outputs);
      }
    },
    reseedDropout(seed: number): void {
      rng = createRng(seed);
    },
  };
}

/**
 * Copies the chunk's targets into tChunk and, for a shuffled range, its rows of x into
 * xChunk. Returns the offset the chunk's x is read from (in x when contiguous, else 0).
 */
function gatherChunk(
  x: Float64Array,
  y: Float64Array,
  p: number,
  order: Uint32Array | null,
  start: number,
  rows: number,
  xChunk: Float64Array,
  tChunk: Float64Array,
): number {
  if (order === null) {
    for (let r = 0; r < rows; r++) tChunk[r] = y[start + r]!;
    return start * p;
  }
  for (let r = 0; r < rows; r++) {
    const i = order[start + r]!;
    tChunk[r] = y[i]!;
    const from = i * p;
    const to = r * p;
    for (let j = 0; j < p; j++) xChunk[to + j] = x[from + j]!;
  }
  return 0;
}
