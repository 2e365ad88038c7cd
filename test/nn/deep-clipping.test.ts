import { describe, expect, it } from "vitest";
import { createRng } from "../../src/core/rng.js";
import { mlpModel, type NetData } from "../../src/nn/models/mlp.js";
import { train } from "../../src/train/trainer.js";
import { chain } from "../../src/transforms/chain.js";
import { clipByGlobalNorm } from "../../src/transforms/clip-by-global-norm.js";
import { sgd } from "../../src/transforms/optimizers.js";
import type { Transform } from "../../src/transforms/types.js";

/**
 * The seed document's central claim on a deep network: plain gradient descent explodes
 * where the same descent with gradient clipping trains.
 *
 * Set-up: y = sin(2x) at 64 points x ~ U(−1, 1) (variance of y ≈ 0.59); an MLP with 8 hidden
 * tanh layers of 16 units (9 dense layers, 2,209 parameters), full batch, SGD with lr 0.1,
 * 1,000 epochs. The only difference between the runs is clipByGlobalNorm(1) before sgd.
 *
 * Why it explodes. The weights start 4× larger than Glorot (initScale 4, std ≈ 1 per unit
 * input), which puts the tanh network in its chaotic regime: each layer multiplies the
 * back-propagated gradient by about σ_w·√(E[tanh′²]) > 1, so the gradient norm at the
 * start is 800–1,200 (with initScale 1 it is 3–5). The first plain steps, lr·‖g‖ ≈ 80–120
 * long, drive the hidden units into saturation: after 30 epochs the last hidden layer
 * emits exactly the same ±1 vector h for every input (measured: zero spread across rows).
 * The loss is then a quadratic in the output layer (w, b) with curvature
 * 2·(‖h‖² + 1) = 2·17 = 34 along (h, 1), and gradient descent on a quadratic multiplies the
 * error along that direction by |1 − lr·34| = 2.4 per step: the loss grows ×5.76 per epoch
 * (measured: 5.76), passes 1e6 at epoch 11–14 and overflows to Infinity at epoch 409–413
 * (stopReason "diverged").
 *
 * Why clipping saves it. With ‖g‖ clipped to 1, no step is longer than lr·1 = 0.1, so the
 * first steps cannot throw the network into saturation; the loss falls from its start
 * (30–95) to < 0.1 (measured 0.02–0.06 after 1,000 epochs) and never rises above the start.
 *
 * And it is the explosion, not the learning rate: with the standard Glorot start
 * (initScale 1) the same unclipped SGD at lr 0.1 trains to < 0.01 (measured ≈ 0.002).
 */
function sineData(): NetData {
  const rng = createRng(11);
  const x = Float64Array.from({ length: 64 }, () => 2 * rng.uniform() - 1);
  const y = x.map((v) => Math.sin(2 * v));
  return { features: ["x"], rows: 64, x, y };
}

const SPEC = "mlp:16,16,16,16,16,16,16,16:tanh";

function run(options: { clip: boolean; initScale: number; seed: number }) {
  const model = mlpModel(sineData(), { spec: SPEC, initScale: options.initScale });
  const step = sgd({ lr: 0.1 });
  const transform: Transform<unknown> = options.clip
    ? chain(clipByGlobalNorm({ maxNorm: 1 }), step)
    : step;
  return train(model, {
    transform,
    epochs: 1000,
    seed: options.seed,
  });
}

describe("deep tanh network (9 dense layers): plain SGD explodes, clipped SGD trains", () => {
  for (const seed of [0, 1, 2]) {
    it(`seed ${seed}, initScale 4, lr 0.1`, () => {
      const plain = run({ clip: false, initScale: 4, seed });
      const clipped = run({ clip: true, initScale: 4, seed });
      const start = plain.history[0]!;
      expect(start.gradNorm).toBeGreaterThan(500); // the exploding gradient at the start

      // Unclipped: the loss passes 1e6 and then overflows; the trainer stops, "diverged".
      expect(plain.history.some((e) => e.loss > 1e6)).toBe(true);
      expect(plain.stopReason).toBe("diverged");
      expect(Number.isFinite(plain.history.at(-1)!.loss)).toBe(false);

      // Clipped: every epoch finite, never above the start, and down to < 0.1 (from 30–95).
      const losses = clipped.history.map((e) => e.loss);
      expect(clipped.stopReason).toBe("max-epochs");
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(Math.max(...losses)).toBe(losses[0]);
      expect(clipped.finalLoss).toBeLessThan(0.1);
      expect(clipped.history[0]!.clipFraction).toBe(1);
    });
  }

  it("with the standard Glorot start the same unclipped SGD trains (the explosion is the start's)", () => {
    const plain = run({ clip: false, initScale: 1, seed: 0 });
    expect(plain.history[0]!.gradNorm).toBeLessThan(10);
    expect(plain.stopReason).toBe("max-epochs");
    expect(plain.finalLoss).toBeLessThan(0.01);
  });
});
