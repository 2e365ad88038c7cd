import { describe, expect, it } from "vitest";
import { createRng } from "../../src/core/rng.js";
import { mlpModel } from "../../src/nn/models/mlp.js";
import { randomBuffer } from "./reference.js";

/**
 * Speed sanity: one forward + backward (lossAndGrad) of an MLP 500→256→64→1 (relu, MSE) on a
 * batch of 128 rows, ≈39 M multiply-adds. Not a timed assertion (CI machines vary); set
 * BIOGRAD_TIMING=1 to print the median. On the reference machine (2 shared cores, Node 20):
 * ≈19 ms per step (≈2 GFMA/s), against 12.3 ms for the same step in numpy with one OpenBLAS
 * thread and 8.6 ms with two.
 */
describe("speed", () => {
  it("MLP 500→256→64→1, batch 128: forward + backward", () => {
    const [n, p] = [128, 500];
    const x = randomBuffer(n * p, 1);
    const y = randomBuffer(n, 2);
    const features = Array.from({ length: p }, (_, j) => `x${j}`);
    const model = mlpModel({ features, rows: n, x, y }, { spec: "mlp:256,64:relu", maxBatch: 128 });
    const params = new Float64Array(model.layout.size);
    model.init(params, createRng(3));
    const grad = new Float64Array(params.length);
    const range = { order: null, start: 0, end: n };
    for (let i = 0; i < 5; i++) model.lossAndGrad(params, grad, range); // warm-up (JIT)
    const times: number[] = [];
    let loss = 0;
    for (let i = 0; i < 15; i++) {
      const t = performance.now();
      loss = model.lossAndGrad(params, grad, range);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    if (process.env.BIOGRAD_TIMING) {
      console.log(
        `MLP 500→256→64→1, batch 128: ${times[7]!.toFixed(2)} ms per step (median of 15)`,
      );
    }
    expect(model.layout.size).toBe(500 * 256 + 256 + 256 * 64 + 64 + 64 + 1);
    expect(Number.isFinite(loss) && grad.every(Number.isFinite)).toBe(true);
  });
});
