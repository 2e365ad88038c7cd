import { describe, expect, it } from "vitest";
import { BiogradError } from "../../src/core/errors.js";
import { createLayout } from "../../src/core/layout.js";
import type { Model } from "../../src/core/model.js";
import { type StepReading, takeStep } from "../../src/train/step.js";
import { restoreState, saveState } from "../../src/transforms/checkpoint.js";
import { adaptiveClip } from "../../src/transforms/clip-adaptive-unitwise.js";
import { autoClip } from "../../src/transforms/clip-auto.js";
import { clipByBlockRms } from "../../src/transforms/clip-by-block-rms.js";
import { zClip } from "../../src/transforms/clip-zscore.js";
import {
  type AnyTransform,
  adam,
  chain,
  clipByGlobalNorm,
  createContext,
  freeze,
  sgd,
} from "../../src/transforms/index.js";
import { expectSameBits } from "./adaptive-helpers.js";

describe("saveState / restoreState", () => {
  it("round-trips NaN, ±Infinity, −0, typed arrays and nesting exactly, through a JSON string", () => {
    const state = {
      count: 3,
      lastNorm: Number.NaN,
      lastThreshold: Number.POSITIVE_INFINITY,
      low: Number.NEGATIVE_INFINITY,
      negativeZero: -0,
      tiny: 5e-324,
      third: 1 / 3,
      flag: true,
      label: "NaN",
      nothing: null,
      missing: undefined,
      f64: Float64Array.of(0.1, -0, Number.NaN, Number.POSITIVE_INFINITY, 1e308),
      f32: Float32Array.of(0.1, -2.5),
      i32: Int32Array.of(-7, 2 ** 31 - 1),
      u32: Uint32Array.of(0, 2 ** 32 - 1),
      u8: Uint8Array.of(255),
      nested: [{ m: new Float64Array(2), v: [1, [2, Number.NaN]] }, null],
    };
    const text = JSON.stringify(saveState(state));
    const back = restoreState<typeof state>(JSON.parse(text));
    expect(back).toEqual(state);
    expect(Object.is(back.negativeZero, -0)).toBe(true);
    expectSameBits(back.f64, state.f64);
    expect(back.f32).toBeInstanceOf(Float32Array);
    expect(back.u32).toBeInstanceOf(Uint32Array);
    expect(back.label).toBe("NaN"); // a string stays a string
    expect("missing" in back).toBe(true);
    expect(back.f64).not.toBe(state.f64); // a copy
  });

  it("writes a documented, stable JSON form", () => {
    const s = {
      steps: 2,
      lastNorm: Number.NaN,
      history: Float64Array.of(5, Number.POSITIVE_INFINITY, -0),
    };
    expect(JSON.stringify(saveState([s, null]))).toMatchInlineSnapshot(
      `"[{"steps":2,"lastNorm":{"$type":"number","value":"NaN"},"history":{"$type":"Float64Array","data":[5,"Infinity","-0"]}},null]"`,
    );
  });

  it("refuses what it cannot restore exactly, naming the path", () => {
    expect(() => saveState({ a: [1, new Map()] })).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: saveState: state.a[1] must be plain objects, arrays, numbers, strings, booleans, null, undefined and typed arrays, got a Map]`,
    );
    expect(() => saveState({ f: () => 1 })).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: saveState: state.f must be plain objects, arrays, numbers, strings, booleans, null, undefined and typed arrays, got a function]`,
    );
    expect(() => saveState({ n: 1n })).toThrowError(/state\.n must be .*, got a bigint/);
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(() => saveState(cyclic)).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: saveState: state.self must be plain objects, arrays, numbers, strings, booleans, null, undefined and typed arrays without cycles, got "a cycle"]`,
    );
    expect(() => saveState({ $type: "x" })).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: saveState: state.$type must be absent (the key is reserved), got "x"]`,
    );
    expect(() => restoreState(JSON.parse('{"__proto__": {"polluted": 1}}'))).toThrowError(
      BiogradError,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(() =>
      restoreState({ h: { $type: "Float16Array", data: [] } }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: restoreState: state.h.$type must be "number", "undefined" or a typed array name, got "Float16Array"]`,
    );
    expect(() =>
      restoreState({ h: { $type: "Float64Array", data: [1, "one"] } }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: restoreState: state.h.data[1] must be a number or one of "NaN", "Infinity", "-Infinity", "-0", got "one"]`,
    );
  });

  it("checks a checkpoint against a fresh init: another layout or chain is refused", () => {
    const layout = createLayout([{ name: "w", shape: [3] }]);
    const t = chain(autoClip({ historySize: 8 }), adam({ lr: 0.1 }));
    const saved = saveState(t.init(layout));
    expect(restoreState(saved, t.init(layout))).toEqual(t.init(layout));
    const shorter = chain(autoClip({ historySize: 4 }), adam({ lr: 0.1 }));
    expect(() => restoreState(saved, shorter.init(layout))).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: restoreState: state[0].history is Float64Array(8) in the checkpoint but Float64Array(4) in the fresh state (was the checkpoint made with the same transform and layout?)]`,
    );
    const other = chain(zClip(), adam({ lr: 0.1 }));
    expect(() => restoreState(saved, other.init(layout))).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: restoreState: state[0].history is in the checkpoint but not in the fresh state (was the checkpoint made with the same transform and layout?)]`,
    );
    const wider = createLayout([{ name: "w", shape: [4] }]);
    expect(() => restoreState(saved, t.init(wider))).toThrowError(
      /state\[1\]\.m is Float64Array\(3\)/,
    );
  });
});

/**
 * A 19-parameter quadratic whose gradient carries deterministic noise, a few spikes (×50) and
 * NaN entries, all keyed by the evaluation count, so a run resumed at step k sees exactly the
 * gradients the uninterrupted run saw (the model starts counting at `firstCall`).
 */
const layout = createLayout([
  { name: "W", shape: [4, 3] },
  { name: "b", shape: [3] },
  { name: "s", shape: [] },
  { name: "v", shape: [3] },
]);
const NAN_CALLS = new Set([17, 48]);
const SPIKE_CALLS = new Set([30, 61]);

function noisyModel(firstCall: number): Model {
  let call = firstCall;
  const target = Float64Array.from({ length: layout.size }, (_, i) => Math.sin(i + 1) * 2);
  return {
    kind: "noisy-quadratic",
    layout,
    rows: 1,
    init: (params) => params.fill(0.5),
    lossAndGrad(params, grad) {
      let loss = 0;
      for (let i = 0; i < params.length; i++) {
        const d = params[i]! - target[i]!;
        loss += 0.5 * (1 + i) * d * d;
        const noise = Math.sin(call * 12.9898 + i * 78.233) * 0.3;
        grad[i] = (1 + i) * d + noise;
      }
      if (SPIKE_CALLS.has(call)) for (let i = 0; i < grad.length; i++) grad[i]! *= 50;
      if (NAN_CALLS.has(call)) grad[2] = Number.NaN;
      call++;
      return loss;
    },
  };
}

/** Runs steps [from, to) of `transform` on the noisy model, from `params` and `state`. */
function run(
  transform: AnyTransform,
  params: Float64Array,
  state: unknown,
  from: number,
  to: number,
): StepReading[] {
  const model = noisyModel(from);
  const grad = new Float64Array(layout.size);
  const ctx = createContext(layout, params);
  const rows = { order: null, start: 0, end: 1 };
  const readings: StepReading[] = [];
  for (let step = from; step < to; step++) {
    const out: StepReading = {
      loss: 0,
      gradNorm: 0,
      clippedNorm: 0,
      clipped: false,
      skipped: false,
      zeroed: 0,
      lr: 0,
      threshold: 0,
    };
    takeStep(model, params, grad, transform, state, ctx, rows, step, out);
    readings.push(out);
  }
  return readings;
}

const CHAINS: Record<string, () => AnyTransform> = {
  "autoClip (history 16, skip) + adam": () =>
    chain(autoClip({ historySize: 16, onNonFinite: "skip" }), adam({ lr: 0.05 })),
  "autoClip (p 90, previous 8, zero) + sgd momentum": () =>
    chain(
      autoClip({ percentile: 90, includeCurrent: false, historySize: 8, onNonFinite: "zero" }),
      sgd({ lr: 0.01, momentum: 0.9 }),
    ),
  "zClip (warm-up 10, cap 5, skip) + adam": () =>
    chain(zClip({ warmupSteps: 10, maxNorm: 5, onNonFinite: "skip" }), adam({ lr: 0.05 })),
  "zClip (percentile mode, no cap, zero) + adam": () =>
    chain(
      zClip({ mode: "percentile", warmupSteps: 5, maxNorm: Infinity, onNonFinite: "zero" }),
      adam({ lr: 0.05 }),
    ),
  "adaptiveClip (zero) + adam": () =>
    chain(adaptiveClip({ clipping: 0.05, onNonFinite: "zero" }), adam({ lr: 0.05 })),
  "clipByBlockRms (skip) + adam": () =>
    chain(clipByBlockRms({ threshold: 0.5, onNonFinite: "skip" }), adam({ lr: 0.05 })),
  "freeze(s, every clip + adam)": () =>
    freeze(
      ["s"],
      chain(
        clipByGlobalNorm({ maxNorm: 100, onNonFinite: "zero" }),
        adaptiveClip({ clipping: 0.2, axis: "rows" }),
        autoClip({ historySize: 12 }),
        zClip({ warmupSteps: 6, maxNorm: 20 }),
        clipByBlockRms({ threshold: 2 }),
        adam({ lr: 0.05 }),
      ),
    ),
};

describe("a run checkpointed at step k and resumed is bit-identical to an uninterrupted one", () => {
  const TOTAL = 80;
  const cases = Object.keys(CHAINS).flatMap((name) => [5, 40, 79].map((k) => ({ name, k })));

  it.each(cases)("$name, checkpoint after $k steps", ({ name, k }) => {
    const make = CHAINS[name]!;
    // Uninterrupted.
    const t = make();
    const params = new Float64Array(layout.size).fill(0.5);
    const state = t.init(layout);
    const readings = run(t, params, state, 0, TOTAL);

    // k steps, checkpoint to a JSON string, then a new process's view: a new transform, a
    // fresh init, the state restored into it, and the remaining steps.
    const t1 = make();
    const p1 = new Float64Array(layout.size).fill(0.5);
    const s1 = t1.init(layout);
    const first = run(t1, p1, s1, 0, k);
    const file = JSON.stringify({ params: Array.from(p1), state: saveState(s1) });

    const parsed = JSON.parse(file) as { params: number[]; state: unknown };
    const t2 = make();
    const p2 = Float64Array.from(parsed.params);
    const s2 = restoreState(parsed.state, t2.init(layout));
    const second = run(t2, p2, s2, k, TOTAL);

    expectSameBits(p2, params);
    expect(JSON.stringify(saveState(s2))).toBe(JSON.stringify(saveState(state)));
    expect([...first, ...second]).toEqual(readings);
    // The runs did meet the NaN steps and the clips were active.
    expect(readings.some((r) => r.skipped || r.zeroed > 0)).toBe(true);
    expect(readings.some((r) => r.clipped)).toBe(true);
  });

  it("and the statistics did advance (the test is not vacuous)", () => {
    const t = chain(
      zClip({ warmupSteps: 10, maxNorm: 5, onNonFinite: "skip" }),
      adam({ lr: 0.05 }),
    );
    const state = t.init(layout) as [ReturnType<ReturnType<typeof zClip>["init"]>, unknown];
    run(t, new Float64Array(layout.size).fill(0.5), state, 0, 80);
    expect(state[0].warmupCount).toBe(10);
    expect(state[0].spikes).toBeGreaterThan(0);
    expect(state[0].skippedSteps).toBe(2);
    expect(Number.isFinite(state[0].mean)).toBe(true);
  });
});
