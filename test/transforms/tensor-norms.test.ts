import { describe, expect, it } from "vitest";
import { createLayout, type Layout } from "../../src/core/layout.js";
import { l2Norm } from "../../src/core/norms.js";
import { createRng } from "../../src/core/rng.js";
import { clipByGlobalNorm } from "../../src/transforms/clip-by-global-norm.js";
import { clipByNorm } from "../../src/transforms/clip-by-norm.js";
import { clipByValue } from "../../src/transforms/clip-by-value.js";
import { normsByTensor, scaleAndMeasure } from "../../src/transforms/tensor-norms.js";
import { type AnyTransform, createContext, resetStep } from "../../src/transforms/types.js";

// The per-tensor norms the diagnostics keep are measured inside passes that run anyway; they
// must be exactly (bit for bit) what a separate `l2Norm` of each tensor gives.

const layout = createLayout([
  { name: "W", shape: [3, 4] },
  { name: "b", shape: [4] },
  { name: "s", shape: [] },
  { name: "empty", shape: [0] },
  { name: "v", shape: [7] },
]);

function gradient(seed: number, scale = 1): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: layout.size }, () => scale * rng.normal());
}

const separately = (l: Layout, g: Float64Array) =>
  l.entries.map((e) => l2Norm(g, e.offset, e.offset + e.size));

describe("per-tensor norms in one pass", () => {
  it("normsByTensor equals l2Norm of each tensor and of the whole, also when sums overflow", () => {
    for (const [seed, scale] of [
      [1, 1],
      [2, 1e-3],
      [3, 1e160], // squares overflow: l2Norm's rescaled recomputation
    ] as const) {
      const g = gradient(seed, scale);
      const out = new Float64Array(layout.entries.length);
      expect(normsByTensor(g, layout.entries, out)).toBe(l2Norm(g));
      expect([...out]).toEqual(separately(layout, g));
    }
  });

  it("scaleAndMeasure scales as g·s and returns l2Norm of the scaled range", () => {
    const g = gradient(4);
    const ref = g.map((v) => v * 0.37);
    expect(scaleAndMeasure(g, 0.37, 2, 15)).toBe(l2Norm(ref, 2, 15));
    expect([...g.subarray(2, 15)]).toEqual([...ref.subarray(2, 15)]);
  });
});

/** Runs one clip step with the trainer's per-tensor buffer set, as train() does. */
function clipStep(t: AnyTransform, g: Float64Array) {
  const ctx = createContext(layout, new Float64Array(layout.size));
  resetStep(ctx, 0);
  const after = new Float64Array(layout.entries.length).fill(-1);
  ctx.grad = g;
  ctx.tensorNormsAfter = after;
  t.update(g, t.init(layout), ctx);
  return { after: [...after], ctx };
}

describe("clips measure the per-tensor norms after them in their own pass", () => {
  const clips: [string, AnyTransform][] = [
    ["clipByValue", clipByValue({ max: 0.5 })],
    ["clipByValue asymmetric", clipByValue({ max: 0.2, min: -1 })],
    ["clipByGlobalNorm clipping", clipByGlobalNorm({ maxNorm: 0.5 })],
    ["clipByGlobalNorm not clipping", clipByGlobalNorm({ maxNorm: 1e3 })],
    ["clipByGlobalNorm linf", clipByGlobalNorm({ maxNorm: 0.3, norm: "linf" })],
    ["clipByGlobalNorm subnormal factor", clipByGlobalNorm({ maxNorm: 1e-300 })],
    ["clipByNorm", clipByNorm({ maxNorm: 1 })],
    ["clipByNorm subnormal factor", clipByNorm({ maxNorm: 1e-300 })],
  ];
  for (const [name, clip] of clips) {
    it(`${name}: equal to l2Norm of each clipped tensor`, () => {
      for (const seed of [5, 6]) {
        const g = gradient(seed, seed === 6 ? 1e100 : 1);
        const { after } = clipStep(clip, g);
        expect(after).toEqual(separately(layout, g));
      }
    });
  }

  it("a step the non-finite policy skips leaves the trainer's buffer untouched", () => {
    for (const clip of [
      clipByGlobalNorm({ maxNorm: 0.5, onNonFinite: "skip" }),
      clipByValue({ max: 0.5, onNonFinite: "skip" }),
      clipByNorm({ maxNorm: 0.5, onNonFinite: "skip" }),
    ]) {
      const g = gradient(7);
      g[3] = Number.NaN;
      const { after, ctx } = clipStep(clip, g);
      expect(ctx.skip).toBe(true);
      expect(after).toEqual(new Array(layout.entries.length).fill(-1));
    }
  });
});
