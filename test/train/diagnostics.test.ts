import { describe, expect, it } from "vitest";
import { createLayout } from "../../src/core/layout.js";
import type { Model } from "../../src/core/model.js";
import { createRng } from "../../src/core/rng.js";
import type { Dataset } from "../../src/data/dataset.js";
import { linearModel } from "../../src/models/linear.js";
import { train } from "../../src/train/trainer.js";
import { chain } from "../../src/transforms/chain.js";
import { clipByGlobalNorm } from "../../src/transforms/clip-by-global-norm.js";
import { sgd } from "../../src/transforms/optimizers.js";

function lineData(n: number): Dataset {
  const rng = createRng(1);
  const x = Float64Array.from({ length: n }, () => 2 * rng.uniform());
  const y = Float64Array.from(x, (v) => 4 + 3 * v + 0.1 * rng.normal());
  return { features: ["x"], target: "y", rows: n, x, y, source: "test" };
}

describe("gradient diagnostics (on by default)", () => {
  it("warns in plain words when gradients explode, naming the tensors", () => {
    // lr 5 on this least-squares problem: each step multiplies the error by about −9.
    const seen: string[] = [];
    const r = train(linearModel(lineData(50)), {
      transform: sgd({ lr: 5 }),
      epochs: 1000,
      onWarning: (w) => seen.push(w.kind),
    });
    const exploding = r.warnings.find((w) => w.kind === "exploding")!;
    expect(exploding.message).toMatch(
      /^gradients are exploding: the gradient norm rose from .* within 10 epochs, most in/,
    );
    expect(exploding.parameters.sort()).toEqual(["b", "w"]);
    expect(exploding.epoch).toBeLessThan(10);
    expect(seen[0]).toBe("exploding");
    expect(r.warnings.map((w) => w.kind)).toContain("non-finite-loss");
  });

  it("warns when gradients vanish for k epochs", () => {
    const flat: Model = {
      kind: "flat",
      layout: createLayout([
        { name: "a", shape: [2] },
        { name: "c", shape: [] },
      ]),
      rows: 1,
      init: (p) => p.fill(0),
      lossAndGrad: (_p, g) => {
        g.set([1e-13, 2e-13, 1e-14]);
        return 0.5;
      },
    };
    const r = train(flat, { transform: sgd({ lr: 0.1 }), epochs: 20 });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]!.kind).toBe("vanishing");
    expect(r.warnings[0]!.epoch).toBe(4);
    expect(r.warnings[0]!.parameters[0]).toBe("c");
  });

  it("a well-behaved clipped run raises nothing and records per-tensor norms and the threshold", () => {
    const r = train(linearModel(lineData(50)), {
      transform: chain(clipByGlobalNorm({ maxNorm: 1 }), sgd({ lr: 0.05 })),
      epochs: 500,
    });
    expect(r.warnings).toEqual([]);
    const first = r.history[0]!;
    expect(Object.keys(first.tensorNorms!)).toEqual(["w", "b"]);
    const { w, b } = first.tensorNorms!;
    expect(Math.hypot(w!, b!)).toBeCloseTo(first.gradNorm, 12);
    expect(first.threshold).toBe(1);
    // The first step clips (its norm is far above 1): per tensor, after = before · 1/‖g‖.
    const after = first.tensorNormsAfter!;
    expect(Math.hypot(after.w!, after.b!)).toBeCloseTo(1, 12);
    expect(after.w! / w!).toBeCloseTo(1 / first.gradNorm, 12);
    // Later, unclipped epochs: after equals before.
    const late = r.history.find((h) => h.clipFraction === 0)!;
    expect(late.tensorNormsAfter).toEqual(late.tensorNorms);
  });

  it("can be turned off", () => {
    const r = train(linearModel(lineData(20)), {
      transform: sgd({ lr: 5 }),
      epochs: 30,
      diagnostics: false,
    });
    expect(r.warnings).toEqual([]);
    expect(r.history[0]!.tensorNorms).toBeUndefined();
  });
});
