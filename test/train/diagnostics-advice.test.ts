import { describe, expect, it } from "vitest";
import { createLayout } from "../../src/core/layout.js";
import type { Model } from "../../src/core/model.js";
import { linearModel } from "../../src/models/linear.js";
import { train } from "../../src/train/trainer.js";
import { chain } from "../../src/transforms/chain.js";
import { clipByGlobalNorm } from "../../src/transforms/clip-by-global-norm.js";
import { sgd } from "../../src/transforms/optimizers.js";

/** A gradient that doubles at every evaluation whatever the parameters: it explodes by design. */
function doubling(): Model {
  let calls = 0;
  return {
    kind: "doubling",
    layout: createLayout([
      { name: "w", shape: [2] },
      { name: "b", shape: [] },
    ]),
    rows: 1,
    init: (p) => p.fill(0),
    lossAndGrad: (_p, g) => {
      const s = 2 ** calls++;
      g.set([s, s, 0.1 * s]);
      return s;
    },
  };
}

describe("diagnostics advice", () => {
  it("a run that converged (tiny gradient at the minimum) is not called vanishing", () => {
    const x = Float64Array.from({ length: 20 }, (_, i) => i / 10 - 1);
    const y = Float64Array.from(x, (v) => 1 + 2 * v); // exact line: the loss goes to ~0
    const model = linearModel({ features: ["x"], target: "y", rows: 20, x, y, source: "t" });
    const r = train(model, { transform: sgd({ lr: 0.9 }), epochs: 3000 });
    const tiny = r.history.filter((h) => h.gradNorm < 1e-10).length;
    expect(tiny).toBeGreaterThanOrEqual(5); // the old rule fired on exactly this
    expect(r.history.at(-1)!.loss).toBeLessThan(1e-20);
    expect(r.warnings).toEqual([]);
  });

  it("a loss that never moved with a tiny gradient is still called vanishing", () => {
    const flat: Model = {
      kind: "flat",
      layout: createLayout([{ name: "a", shape: [] }]),
      rows: 1,
      init: (p) => p.fill(0),
      lossAndGrad: (_p, g) => {
        g[0] = 1e-13;
        return 3;
      },
    };
    const r = train(flat, { transform: sgd({ lr: 0.1 }), epochs: 10 });
    expect(r.warnings.map((w) => w.kind)).toEqual(["vanishing"]);
    expect(r.warnings[0]!.message).toContain("no lower than at the first epoch (3.000)");
  });

  it("without a clip, exploding gradients suggest one", () => {
    const r = train(doubling(), { transform: sgd({ lr: 1e-6 }), epochs: 15 });
    const w = r.warnings.find((x) => x.kind === "exploding")!;
    expect(w.message).toMatch(/clip \(e\.g\. --clip global-norm:1\) or lower the learning rate$/);
  });

  it("with a binding clip, exploding gradients say so and suggest a lower rate or threshold", () => {
    const r = train(doubling(), {
      transform: chain(clipByGlobalNorm({ maxNorm: 1 }), sgd({ lr: 1e-6 })),
      epochs: 15,
    });
    const w = r.warnings.find((x) => x.kind === "exploding")!;
    expect(w.message).not.toContain("--clip");
    expect(w.message).toMatch(
      /the clip in the chain \(threshold 1\.00\) is binding at every step, so it only bounds each step: lower the learning rate or the clip threshold$/,
    );
  });
});
