import { describe, expect, it } from "vitest";
import { createLayout } from "../../src/core/layout.js";
import { clipByBlockRms } from "../../src/transforms/clip-by-block-rms.js";
import { clipByNorm, type NonFinitePolicy } from "../../src/transforms/index.js";
import { applyOnce } from "../helpers/transforms.js";
import {
  expectSameBits,
  expectUlps,
  runTrace,
  type TraceStep,
  without,
} from "./adaptive-helpers.js";

const layout = createLayout([
  { name: "a", shape: [2, 2] },
  { name: "b", shape: [] },
]);

describe("clipByBlockRms: hand-computed trace (c = 2; a has 4 entries, b is a scalar)", () => {
  //  t  a              RMS_a                   b     RMS_b  out
  //  0  [4, 4, 4, 4]   √(64/4) = 4 → ×0.5      1     1      [2, 2, 2, 2], 1
  //  1  [1, 1, 1, 1]   1                       −8    8      a unchanged, b ×0.25 → −2
  //  2  [NaN, 0, 0, 0] —                       8     —      skip: dropped; zero: a = 0, b → 2
  //  3  [2, 2, 2, 2]   2 = c: unchanged        2     2      unchanged, bit for bit
  //  4  [0, 0, 3, 4]   √(25/4) = 2.5 → ×0.8    0.5   0.5    [0, 0, 2.4, 3.2], 0.5
  const steps: TraceStep[] = [
    { grad: [4, 4, 4, 4, 1] },
    { grad: [1, 1, 1, 1, -8] },
    { grad: [Number.NaN, 0, 0, 0, 8] },
    { grad: [2, 2, 2, 2, 2] },
    { grad: [0, 0, 3, 4, 0.5] },
  ];
  const expected = [
    [2, 2, 2, 2, 1],
    [1, 1, 1, 1, -2],
    [2, 2, 2, 2, 2],
    [0, 0, 2.4, 3.2, 0.5],
  ];

  it.each(["skip", "zero"] as NonFinitePolicy[])("with a NaN step under %s", (onNonFinite) => {
    const { records, state } = runTrace(
      clipByBlockRms({ threshold: 2, onNonFinite }),
      layout,
      steps,
    );
    const later = without(records, 2);
    for (const [i, r] of later.entries()) expectUlps(r.out, expected[i]!, 1);
    expectSameBits(later[2]!.out, [2, 2, 2, 2, 2]); // RMS = c exactly: untouched
    expect(later.map((r) => r.clipped)).toEqual([true, true, false, true]);
    expect(later.map((r) => r.threshold)).toEqual([2, 2, 2, 2]);
    expect(Array.from(state.rms)).toEqual([2.5, 0.5]);
    expect(state.lastNorm).toBe(2.5);
    if (onNonFinite === "skip") {
      expect(records[2]!.skipped).toBe(true);
      expect(state.steps).toBe(4);
    } else {
      expectSameBits(records[2]!.out, [0, 0, 0, 0, 2]);
      expect(state.steps).toBe(5);
    }
    // Step 0: before √(64 + 1), after √(4·2² + 1) = √17.
    expect(records[0]!.normBefore).toBe(Math.sqrt(65));
    expect(records[0]!.normAfter).toBe(Math.sqrt(17));
  });
});

describe("clipByBlockRms: the threshold does not depend on the tensor's size", () => {
  const sizes = [1, 4, 100, 10_000];
  it.each(sizes)("a tensor of %i entries all equal to 3, c = 1, becomes all ones", (n) => {
    const one = createLayout([{ name: "w", shape: [n] }]);
    const { grad, state } = applyOnce(clipByBlockRms({ threshold: 1 }), new Array(n).fill(3), {
      layout: one,
    });
    // RMS = 3 for every n; 3·(1/3) rounds to exactly 1.
    expect(state.rms[0]).toBe(3);
    expect(grad.every((v) => v === 1)).toBe(true);
  });

  it("whereas a per-tensor L2 clip at the same c treats the sizes differently", () => {
    // ‖3·1_n‖ = 3√n: after clipByNorm(1) each entry is 1/√n, not 1.
    for (const n of sizes) {
      const one = createLayout([{ name: "w", shape: [n] }]);
      const { grad } = applyOnce(clipByNorm({ maxNorm: 1 }), new Array(n).fill(3), {
        layout: one,
      });
      expect(grad[0]).toBeCloseTo(1 / Math.sqrt(n), 12);
    }
  });

  it("tensors of different sizes in one layout are held to the same per-entry scale", () => {
    const mixed = createLayout([
      { name: "small", shape: [2] },
      { name: "large", shape: [50, 2] },
    ]);
    const { grad } = applyOnce(clipByBlockRms({ threshold: 0.5 }), new Array(102).fill(-4), {
      layout: mixed,
    });
    expect(Array.from(new Set(grad))).toEqual([-0.5]);
  });

  it("an overflowing RMS (finite entries) and an empty entry", () => {
    const odd = createLayout([
      { name: "huge", shape: [2] },
      { name: "empty", shape: [0] },
    ]);
    const { grad, state } = applyOnce(clipByBlockRms({ threshold: 1 }), [1.5e308, -1.5e308], {
      layout: odd,
    });
    // RMS = 1.5e308; ×1/1.5e308 → [1, −1] up to rounding.
    expectUlps(grad, [1, -1], 2);
    expect(Array.from(state.rms)).toEqual([1.5e308, 0]);
  });
});
