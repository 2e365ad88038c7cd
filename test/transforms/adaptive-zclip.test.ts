import { describe, expect, it } from "vitest";
import { zClip } from "../../src/transforms/clip-zscore.js";
import type { NonFinitePolicy } from "../../src/transforms/index.js";
import { vectorLayout } from "../helpers/transforms.js";
import {
  expectSameBits,
  expectUlps,
  runTrace,
  type TraceStep,
  without,
} from "./adaptive-helpers.js";

const layout = vectorLayout(2);
/** A gradient of norm n (exactly): [0, n]. */
const g = (n: number): TraceStep => ({ grad: [0, n] });

/** Each value within `rel` (relative) of the hand-computed one. */
function expectClose(actual: readonly number[], expected: readonly number[], rel = 1e-14) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= rel * Math.abs(e))) expect.fail(`step ${i}: ${a} is not ≈ ${e}`);
  });
}

describe("zClip: hand-computed trace (α = 0.5, z* = 2, warm-up 4, ε = 0, cap 100)", () => {
  // Warm-up, steps 0–3: norms 1, 3, 1, 3 (below the cap, unchanged). Then
  //   μ = (1 + 3 + 1 + 3)/4 = 2,   σ² = (1 + 1 + 1 + 1)/4 = 1.
  // With ε = 0 a spike's τ = μ + z*²σ/z = μ + z*²σ²/(N − μ) = μ + 4σ²/(N − μ).
  //  t  N    z = (N − μ)/σ               spike  c (threshold)              v     μ ← (μ + v)/2  σ² ← (σ² + (v − μ)²)/2
  //  4  6    4/1 = 4                      yes   τ = 2 + 4/4 = 3             3     2.5            (1 + 0.25)/2 = 0.625
  //  5  NaN  (see the NaN tests)
  //  6  2.5  0                            no    cap 100                     2.5   2.5            0.3125
  //  7  10   7.5/√0.3125 = 13.4164…       yes   2.5 + 1.25/7.5 = 8/3        8/3   31/12          (0.3125 + 1/144)/2 = 23/144
  //  8  2    (−7/12)/(√23/12) = −7/√23    no    cap 100                     2     55/24          (23/144 + 49/576)/2 = 141/1152
  //  9  4    (41/24)/√(141/1152) = 4.88…  yes   55/24 + 4·(141/1152)/(41/24) = 55/24 + 47/164 = 2.5782520…
  // Spikes are clipped to c: step 4 ×0.5 → [0, 3]; step 7 → [0, 8/3]; step 9 → [0, 2.578…].
  const NAN_STEP = 5;
  const options = { alpha: 0.5, zThreshold: 2, warmupSteps: 4, eps: 0, maxNorm: 100 };
  const steps: TraceStep[] = [
    g(1),
    g(3),
    g(1),
    g(3),
    g(6),
    { grad: [Number.NaN, 8] },
    g(2.5),
    g(10),
    g(2),
    g(4),
  ];
  const clean = without(steps, NAN_STEP);
  const tau9 = 55 / 24 + 47 / 164;
  const expectedThresholds = [100, 100, 100, 100, 3, 100, 8 / 3, 100, tau9];
  const expectedNorms = [1, 3, 1, 3, 3, 2.5, 8 / 3, 2, tau9];
  const expectedZ = [NaN, NaN, NaN, NaN, 4, 0, 7.5 / Math.sqrt(0.3125), -7 / Math.sqrt(23)];

  it("without the NaN step: thresholds, z-scores, outputs and the EMA", () => {
    const t = zClip(options);
    const { records, state } = runTrace(t, layout, clean);
    expectClose(
      records.map((r) => r.threshold),
      expectedThresholds,
    );
    expectClose(
      records.map((r) => Math.hypot(...r.out)),
      expectedNorms,
    );
    expectSameBits(records[4]!.out, [0, 3]); // 6 · (3/6) exactly
    expect(records.map((r) => r.clipped)).toEqual([
      false,
      false,
      false,
      false,
      true,
      false,
      true,
      false,
      true,
    ]);
    expect(state.spikes).toBe(3);
    // After step 9: v = τ, μ = (55/24 + τ)/2, σ² = (141/1152 + (τ − μ)²)/2.
    const mu = (55 / 24 + tau9) / 2;
    expectClose([state.mean, state.variance], [mu, (141 / 1152 + (tau9 - mu) ** 2) / 2]);
    // The z-scores, step by step (lastZ is the last step's): run each prefix of the trace.
    const z = clean
      .slice(0, 8)
      .map((_, i) => runTrace(t, layout, clean.slice(0, i + 1)).state.lastZ);
    expect(z.slice(0, 4).every(Number.isNaN)).toBe(true);
    expectClose(z.slice(4), expectedZ.slice(4));
    // Bit for bit what the reference code's arithmetic gives (ZClip 1.0.0's update order,
    // transcribed to Python floats): thresholds of the spike steps and the final μ, σ².
    expect(records[6]!.threshold).toBe(2.6666666666666665);
    expect(records[8]!.threshold).toBe(2.578252032520325);
    expect([state.mean, state.variance]).toEqual([2.4349593495934956, 0.0714643131568511]);
  });

  it.each(["skip", "zero"] as NonFinitePolicy[])(
    "a NaN gradient under %s changes neither μ nor σ²: later thresholds equal the clean trace's",
    (onNonFinite) => {
      const withNan = runTrace(zClip({ ...options, onNonFinite }), layout, steps);
      const reference = runTrace(zClip(options), layout, clean);
      const nan = withNan.records[NAN_STEP]!;
      if (onNonFinite === "skip") {
        expect(nan.skipped).toBe(true);
        expectSameBits(nan.out, [Number.NaN, 8]);
        expect(nan.threshold).toBe(3); // still step 4's
      } else {
        // Zeroed to [0, 8]: μ = 2.5, σ² = 0.625, z = 5.5/√0.625 ≈ 6.96 > 2, a spike, so it is
        // clipped to τ = 2.5 + 4·0.625/5.5 = 65/22 — but μ and σ² are not updated.
        expect(nan.skipped).toBe(false);
        expect(nan.normBefore).toBe(8);
        expectClose([nan.threshold, Math.hypot(...nan.out)], [65 / 22, 65 / 22]);
      }
      const later = without(withNan.records, NAN_STEP);
      expect(later.map((r) => r.threshold)).toEqual(reference.records.map((r) => r.threshold));
      for (const [i, r] of later.entries()) expectSameBits(r.out, reference.records[i]!.out);
      expect(withNan.state.mean).toBe(reference.state.mean);
      expect(withNan.state.variance).toBe(reference.state.variance);
    },
  );

  it.each(["skip", "zero"] as NonFinitePolicy[])(
    "a NaN gradient during warm-up (%s) does not count towards it",
    (onNonFinite) => {
      const nanFirst = [{ grad: [Number.POSITIVE_INFINITY, 1] }, ...clean];
      const withNan = runTrace(zClip({ ...options, onNonFinite }), layout, nanFirst);
      const reference = runTrace(zClip(options), layout, clean);
      expect(withNan.records.slice(1).map((r) => r.threshold)).toEqual(
        reference.records.map((r) => r.threshold),
      );
      expect(withNan.state.warmupCount).toBe(4);
      expect(Array.from(withNan.state.warmup)).toEqual([1, 3, 1, 3]);
    },
  );
});

describe("zClip: the hard cap, the modes and the statistics", () => {
  it("the cap applies in warm-up and after it, and never enters μ", () => {
    // Warm-up 2 of norms 3, 3 (each clipped to the cap 1): μ = 3, σ² = 0. Step 2: N = 3,
    // z = 0/(0 + 1e-6) = 0, no spike, but the cap still clips it to 1; μ is fed N = 3.
    const { records, state } = runTrace(zClip({ warmupSteps: 2 }), layout, [g(3), g(3), g(3)]);
    expect(records.map((r) => r.threshold)).toEqual([1, 1, 1]);
    for (const r of records) expectUlps(r.out, [0, 1], 1);
    expect(state.mean).toBe(3);
    expect(state.variance).toBe(0);
    expect(state.lastZ).toBe(0);
  });

  it('"mean": a spike is clipped to μ; "percentile": to μ + z*σ whenever N exceeds it', () => {
    const warm = [g(1), g(3), g(1), g(3)]; // μ = 2, σ = 1
    const base = { alpha: 0.5, zThreshold: 2, warmupSteps: 4, eps: 0, maxNorm: 100 };
    const mean = runTrace(zClip({ ...base, mode: "mean" }), layout, [...warm, g(6)]);
    // z = 4 > 2: τ = μ = 2; v = 2, μ ← 2, σ² ← (1 + 0)/2.
    expect(mean.records[4]!.threshold).toBe(2);
    expectUlps(mean.records[4]!.out, [0, 2], 1);
    expect([mean.state.mean, mean.state.variance]).toEqual([2, 0.5]);
    // Percentile: τ = μ + z*σ = 4 < 6 → clipped to 4; v = 4, μ ← 3, σ² ← (1 + 1)/2 = 1.
    const pct = runTrace(zClip({ ...base, mode: "percentile" }), layout, [...warm, g(6), g(3.5)]);
    expect(pct.records[4]!.threshold).toBe(4);
    expectUlps(pct.records[4]!.out, [0, 4], 1);
    // Next: τ = 3 + 2·1 = 5 > 3.5, not a spike: the cap is the threshold in effect.
    expect(pct.records[5]).toMatchObject({ threshold: 100, clipped: false });
  });

  it("clipFactor scales τ; freezeStatsOnSpike keeps μ and σ² through a spike", () => {
    const warm = [g(1), g(3), g(1), g(3)];
    const base = { alpha: 0.5, zThreshold: 2, warmupSteps: 4, eps: 0, maxNorm: 100 };
    const scaled = runTrace(zClip({ ...base, clipFactor: 0.5 }), layout, [...warm, g(6)]);
    expect(scaled.records[4]!.threshold).toBe(1.5); // (2 + 2·1/(4/2))·0.5
    const frozen = runTrace(zClip({ ...base, freezeStatsOnSpike: true }), layout, [...warm, g(6)]);
    expect(frozen.records[4]!.threshold).toBe(3);
    expect([frozen.state.mean, frozen.state.variance]).toEqual([2, 1]);
  });

  it("defaults: α 0.97, z* 2.5, cap 1, ε 1e-6, warm-up 25, adaptive scaling", () => {
    const t = zClip();
    expect(t.name).toBe("zClip(adaptive-scaling, z 2.5, alpha 0.97, cap 1)");
    const state = t.init(layout);
    expect(state.warmup).toHaveLength(25);
    expect(state).toMatchObject({ warmupCount: 0, spikes: 0, steps: 0 });
    expect(state.mean).toBeNaN();
    expect(state.lastThreshold).toBeNaN();
  });

  it("maxNorm: Infinity turns the cap off: warm-up passes everything", () => {
    const { records } = runTrace(zClip({ maxNorm: Infinity, warmupSteps: 2 }), layout, [g(50)]);
    expect(records[0]).toMatchObject({ threshold: Infinity, clipped: false });
  });

  it("an overflowing norm (finite entries) after warm-up is a spike clipped to μ, not recorded", () => {
    const warm = [g(1), g(3), g(1), g(3)];
    const base = { alpha: 0.5, zThreshold: 2, warmupSteps: 4, eps: 0, maxNorm: 100 };
    const { records, state } = runTrace(zClip(base), layout, [
      ...warm,
      { grad: [1.5e308, 1.5e308] },
    ]);
    // z = +Infinity: τ = μ + z*²σ/∞ = μ = 2.
    expect(records[4]!.normBefore).toBe(Infinity);
    expect(records[4]!.threshold).toBe(2);
    expectUlps(records[4]!.out, [Math.SQRT2, Math.SQRT2], 2);
    expect([state.mean, state.variance]).toEqual([2, 1]);
  });
});

describe("zClip: a known pitfall, shared with the reference code", () => {
  it("an all-zero warm-up gives μ = σ = 0, after which every gradient is clipped to 0", () => {
    // z = N/(0 + 1e-6) is huge, τ = 0 + z*²·0/z = 0, and the EMA is fed v = τ = 0 again.
    const { records, state } = runTrace(zClip({ warmupSteps: 2, maxNorm: Infinity }), layout, [
      g(0),
      g(0),
      g(5),
      g(7),
    ]);
    expect(records.map((r) => r.threshold)).toEqual([Infinity, Infinity, 0, 0]);
    expectSameBits(records[3]!.out, [0, 0]);
    expect([state.mean, state.variance]).toEqual([0, 0]);
  });
});
