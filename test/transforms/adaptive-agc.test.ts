import { describe, expect, it } from "vitest";
import { BiogradError } from "../../src/core/errors.js";
import { createLayout } from "../../src/core/layout.js";
import { adaptiveClip } from "../../src/transforms/clip-adaptive-unitwise.js";
import type { NonFinitePolicy } from "../../src/transforms/index.js";
import { vectorLayout } from "../helpers/transforms.js";
import {
  expectSameBits,
  expectUlps,
  runTrace,
  type TraceStep,
  without,
} from "./adaptive-helpers.js";

/**
 * A dense layer as biograd stores it — W with shape (in, out) = (2, 3), row-major, so W[i][j]
 * sits at offset 3i + j and output neuron j's incoming weights are COLUMN j — then its bias
 * b (shape [3]) and a scalar s.
 */
const layout = createLayout([
  { name: "W", shape: [2, 3] },
  { name: "b", shape: [3] },
  { name: "s", shape: [] },
]);
// Parameters:  W = [[3, 0, 0],      b = [1, 2, 2]   s = 8
//                   [4, 2, 0]]
const params = [3, 0, 0, 4, 2, 0, 1, 2, 2, 8];
// Gradient:    G = [[1.5, 0, 6],    b = [2, 4, 4]   s = −1
//                   [2,   4, 8]]
const grad = [1.5, 0, 6, 2, 4, 8, 2, 4, 4, -1];

describe("adaptiveClip (AGC) on a matrix, a vector and a scalar: hand-computed", () => {
  it("default axes: W by columns (output neurons), b and s whole", () => {
    // λ = 0.5, ε = 1e-3. Unit u: B_u = λ·max(‖W_u‖, ε); clip G_u to B_u when ‖G_u‖ > B_u.
    //  unit          ‖W_u‖          B_u            ‖G_u‖                 ratio ‖G‖/max(‖W‖, ε)   result
    //  W[:, 0]       √(9+16) = 5    2.5            √(2.25+4) = 2.5       0.5                     = B: unchanged
    //  W[:, 1]       √(0+4) = 2     1              √(0+16) = 4           2                       ×0.25 → (0, 1)
    //  W[:, 2]       0 → ε          5e-4           √(36+64) = 10         10/1e-3 = 1e4           ×5e-5 → (3e-4, 4e-4)
    //  b             √(1+4+4) = 3   1.5            √(4+16+16) = 6        2                       ×0.25 → (0.5, 1, 1)
    //  s             8              4              1                     0.125                   unchanged
    const { records, state } = runTrace(adaptiveClip({ clipping: 0.5 }), layout, [
      { grad, params },
    ]);
    const out = records[0]!.out;
    expectSameBits(out.slice(0, 2), [1.5, 0]);
    expectSameBits([out[3]!, out[4]!], [2, 1]);
    expectUlps([out[2]!, out[5]!], [3e-4, 4e-4], 2);
    expectSameBits(out.slice(6), [0.5, 1, 1, -1]);
    expect(Array.from(state.unitNorms)).toEqual([2.5, 4, 10, 6, 1]);
    expectUlps(state.bounds, [2.5, 1, 5e-4, 1.5, 4], 1);
    expectUlps(state.factors, [1, 0.25, 5e-5, 0.25, 1], 1);
    expect(state.lastClippedUnits).toBe(3);
    expect(state.lastThreshold).toBe(0.5); // λ, in ratio units
    expect(state.lastNorm).toBeCloseTo(1e4, 9); // the largest ratio, W[:, 2]'s
    expect(records[0]!.clipped).toBe(true);
    // Context: global L2 norms; after = sqrt(2.5² + 1² + (5e-4)² + 1.5² + 1²).
    expect(records[0]!.normBefore).toBe(Math.hypot(...grad));
    expect(records[0]!.normAfter).toBeCloseTo(Math.sqrt(6.25 + 1 + 2.5e-7 + 2.25 + 1), 14);
  });

  it('axis "rows" makes units of W\'s rows instead (the PyTorch (out, in) convention)', () => {
    // Row 0: ‖W‖ = 3, B = 1.5, ‖G‖ = √(2.25 + 36) = √38.25 → ×1.5/√38.25.
    // Row 1: ‖W‖ = √20, B = √20/2, ‖G‖ = √(4 + 16 + 64) = √84 → ×(√20/2)/√84.
    // Column 0 — left alone by the default — is now scaled, in both rows.
    const { records, state } = runTrace(adaptiveClip({ clipping: 0.5, axis: "rows" }), layout, [
      { grad, params },
    ]);
    const r0 = 1.5 / Math.sqrt(38.25);
    const r1 = Math.sqrt(20) / 2 / Math.sqrt(84);
    expectUlps(records[0]!.out.slice(0, 6), [1.5 * r0, 0, 6 * r0, 2 * r1, 4 * r1, 8 * r1], 2);
    expectSameBits(records[0]!.out.slice(6), [0.5, 1, 1, -1]); // b and s: rank < 2, one unit
    expect(state.unitNorms).toHaveLength(4); // 2 rows + b + s
  });

  it('axis "all", "elements" and "none", and a function choosing per entry', () => {
    // "all" on W: one unit, ‖W‖ = √(9+16+4) = √29, B = √29/2, ‖G‖ = √(2.25+36+4+16+64) = √122.25.
    const all = runTrace(adaptiveClip({ clipping: 0.5, axis: "all" }), layout, [{ grad, params }]);
    const f = Math.sqrt(29) / 2 / Math.sqrt(122.25);
    expectUlps(
      all.records[0]!.out.slice(0, 6),
      grad.slice(0, 6).map((v) => v * f),
      2,
    );
    // A function: W per element (|G_ij| <= λ·max(|W_ij|, ε)), b left alone, s by default.
    const axis = (name: string) => (name === "W" ? "elements" : name === "b" ? "none" : undefined);
    const mixed = runTrace(adaptiveClip({ clipping: 0.5, axis }), layout, [{ grad, params }]);
    // Per element, B = 0.5·max(|W|, 1e-3): [1.5, 5e-4, 5e-4, 2, 1, 5e-4] against |G| =
    // [1.5, 0, 6, 2, 4, 8]: entries 2, 4 and 5 are clipped to their bound (with G's sign).
    expectUlps(mixed.records[0]!.out, [1.5, 0, 5e-4, 2, 1, 5e-4, 2, 4, 4, -1], 1);
    expect(mixed.state.unitNorms).toHaveLength(7); // 6 elements + s; b has no units
  });

  it("a rank-3 entry under the default: units along the last axis", () => {
    // Shape (2, 1, 2): columns j = 0, 1 are offsets {0, 2} and {1, 3}.
    const cube = createLayout([{ name: "K", shape: [2, 1, 2] }]);
    // W: col 0 = (3, 4) (B = 2.5 with λ = 0.5), col 1 = (0, 1) (B = 0.5).
    // G: col 0 = (0, 5) → ×0.5 → (0, 2.5); col 1 = (1, 0) → ×0.5 → (0.5, 0).
    const { records } = runTrace(adaptiveClip({ clipping: 0.5 }), cube, [
      { grad: [0, 1, 5, 0], params: [3, 0, 4, 1] },
    ]);
    expectSameBits(records[0]!.out, [0, 0.5, 2.5, 0]);
  });
});

describe("adaptiveClip: a trace over steps with changing parameters and a NaN step", () => {
  // One vector entry (one unit), λ = 0.5, ε = 1e-3.
  //  t  θ         B = λ·max(‖θ‖, ε)   g           ‖g‖    out
  //  0  [3, 4]    2.5                  [6, 8]      10     ×0.25 → [1.5, 2]
  //  1  [3, 4]    2.5                  [1.5, 2]    2.5    unchanged (= B)
  //  2  [3, 4]    2.5                  [NaN, 8]    —      skip: dropped; zero: [0, 8] ×0.3125 → [0, 2.5]
  //  3  [0, 6]    3                    [0, 5]      5      ×0.6 → [0, 3]
  //  4  [0, 0]    5e-4                 [0, 1]      1      ×5e-4 → [0, 5e-4]
  const single = vectorLayout(2);
  const steps: TraceStep[] = [
    { grad: [6, 8], params: [3, 4] },
    { grad: [1.5, 2] },
    { grad: [Number.NaN, 8] },
    { grad: [0, 5], params: [0, 6] },
    { grad: [0, 1], params: [0, 0] },
  ];
  const expected = [
    [1.5, 2],
    [1.5, 2],
    [0, 3],
    [0, 5e-4],
  ];

  it.each(["skip", "zero"] as NonFinitePolicy[])("%s", (onNonFinite) => {
    const { records, state } = runTrace(
      adaptiveClip({ clipping: 0.5, onNonFinite }),
      single,
      steps,
    );
    const clean = runTrace(adaptiveClip({ clipping: 0.5 }), single, without(steps, 2));
    const later = without(records, 2);
    later.forEach((r, i) => {
      expectUlps(r.out, expected[i]!, 1);
      expectSameBits(r.out, clean.records[i]!.out);
    });
    if (onNonFinite === "skip") {
      expect(records[2]!.skipped).toBe(true);
      expect(state.skippedSteps).toBe(1);
      expect(state.steps).toBe(4);
    } else {
      expectSameBits(records[2]!.out, [0, 2.5]);
      expect(state.zeroedEntries).toBe(1);
      expect(state.steps).toBe(5);
    }
  });

  it('"error" throws naming the entry', () => {
    const t = adaptiveClip({ clipping: 0.5 });
    expect(() =>
      runTrace(t, layout, [{ grad: [1, 2, 3, 4, NaN, 6, 7, 8, 9, 10], params }]),
    ).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: adaptiveClip: gradient of "W[1,1]" is NaN at step 0 (onNonFinite: "error"; use "skip" to drop such steps or "zero" to zero the entries)]`,
    );
  });
});

describe("adaptiveClip: properties", () => {
  it("is invariant to the scale of each unit: scaling W_u and G_u by k scales the output by k", () => {
    const scaledParams = params.map((v, i) => (i === 1 || i === 4 ? v * 1024 : v));
    const scaledGrad = grad.map((v, i) => (i === 1 || i === 4 ? v * 1024 : v));
    const a = runTrace(adaptiveClip({ clipping: 0.5 }), layout, [{ grad, params }]);
    const b = runTrace(adaptiveClip({ clipping: 0.5 }), layout, [
      { grad: scaledGrad, params: scaledParams },
    ]);
    expectSameBits(
      b.records[0]!.out,
      a.records[0]!.out.map((v, i) => (i === 1 || i === 4 ? v * 1024 : v)),
    );
  });

  it("columns are measured in a row-major pass: a large matrix equals a column-by-column reference", () => {
    const rows = 37;
    const cols = 23;
    const big = createLayout([{ name: "W", shape: [rows, cols] }]);
    const p = Float64Array.from({ length: rows * cols }, (_, i) => Math.sin(i) * (1 + (i % 5)));
    const gr = Float64Array.from({ length: rows * cols }, (_, i) => Math.cos(3 * i) * (i % 7));
    const { records } = runTrace(adaptiveClip({ clipping: 0.05 }), big, [
      { grad: Array.from(gr), params: Array.from(p) },
    ]);
    for (let j = 0; j < cols; j++) {
      let sg = 0;
      let sw = 0;
      for (let i = 0; i < rows; i++) {
        sg += gr[i * cols + j]! ** 2;
        sw += p[i * cols + j]! ** 2;
      }
      const n = Math.sqrt(sg);
      const bound = 0.05 * Math.max(Math.sqrt(sw), 1e-3);
      const f = n > bound ? bound / n : 1;
      // Within 8 ulp: the clip sums two rows at a time, so both sums of squares (37 terms) round
      // differently and the factor inherits a few ulp.
      const column = Array.from({ length: rows }, (_, i) => records[0]!.out[i * cols + j]!);
      expectUlps(
        column,
        column.map((_, i) => gr[i * cols + j]! * f),
        8,
      );
    }
  });

  it("an overflowing column norm (finite entries) is clipped exactly to its bound", () => {
    const w = createLayout([{ name: "W", shape: [2, 1] }]);
    const { records } = runTrace(adaptiveClip({ clipping: 1 }), w, [
      { grad: [1.5e308, 1.5e308], params: [3, 4] },
    ]);
    expect(records[0]!.clipped).toBe(true);
    expectUlps(records[0]!.out, [5 * Math.SQRT1_2, 5 * Math.SQRT1_2], 2);
  });

  it("rejects an axis function's bad answer at init, by entry name", () => {
    const t = adaptiveClip({ clipping: 0.1, axis: () => "cols" as never });
    expect(() => t.init(layout)).toThrowError(BiogradError);
    expect(() => t.init(layout)).toThrowErrorMatchingInlineSnapshot(
      `[OptionError: adaptiveClip: axis("W") must be one of "columns", "rows", "all", "elements", "none" (or undefined for the default), got "cols"]`,
    );
  });
});
