import { describe, expect, it } from "vitest";
import { l2Norm } from "../../src/core/norms.js";
import { linearModel } from "../../src/models/linear.js";
import { train } from "../../src/train/trainer.js";
import { chain, identity } from "../../src/transforms/chain.js";
import { clipByValue } from "../../src/transforms/clip-by-value.js";
import { sgd } from "../../src/transforms/optimizers.js";
import type { Transform } from "../../src/transforms/types.js";

// The trainer hands the raw gradient's norm to the first transform of the chain (so a clip
// there does not measure it again). A transform reached through a wrapper that changed the
// gradient must measure the changed gradient, not take the raw norm.
const x = Float64Array.from({ length: 20 }, (_, i) => i / 10);
const y = Float64Array.from(x, (v) => 3 + 2 * v);
const data = { features: ["x"], target: "y", rows: 20, x, y, source: "t" };
const start = Float64Array.of(0.5, -0.25);

/** The raw gradient at `start`. */
function rawGradient(): Float64Array {
  const grad = new Float64Array(2);
  linearModel(data).lossAndGrad(start, grad, { order: null, start: 0, end: 20 });
  return grad;
}

/** Doubles the gradient, then runs `inner` (a wrapper that changes what the inner one sees). */
function doubling<S>(inner: Transform<S>): Transform<S> {
  return {
    name: `doubling(${inner.name})`,
    init: (layout) => inner.init(layout),
    update(grad, state, ctx) {
      for (let i = 0; i < grad.length; i++) grad[i]! *= 2;
      inner.update(grad, state, ctx);
    },
  };
}

describe("the raw norm handed to the chain's first transform", () => {
  for (const diagnostics of [true, false]) {
    it(`is the norm a first clip records (diagnostics ${diagnostics})`, () => {
      const r = train(linearModel(data), {
        transform: chain(clipByValue({ max: 100 }), sgd({ lr: 0.01 })),
        epochs: 1,
        start,
        diagnostics,
      });
      expect(r.history[0]!.gradNorm).toBe(l2Norm(rawGradient()));
    });

    it(`is not taken by a clip behind a wrapper that changed the gradient (diagnostics ${diagnostics})`, () => {
      const r = train(linearModel(data), {
        transform: chain(doubling(clipByValue({ max: 100 })), sgd({ lr: 0.01 })),
        epochs: 1,
        start,
        diagnostics,
      });
      const doubled = rawGradient().map((g) => 2 * g);
      expect(r.history[0]!.gradNorm).toBe(l2Norm(doubled));
      expect(r.history[0]!.gradNorm).not.toBe(l2Norm(rawGradient()));
    });

    it(`is not taken by a clip after another transform (diagnostics ${diagnostics})`, () => {
      const r = train(linearModel(data), {
        transform: chain(doubling(identity()), clipByValue({ max: 100 }), sgd({ lr: 0.01 })),
        epochs: 1,
        start,
        diagnostics,
      });
      const doubled = rawGradient().map((g) => 2 * g);
      expect(r.history[0]!.gradNorm).toBe(l2Norm(doubled));
    });
  }
});
