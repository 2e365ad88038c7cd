import { describe, expect, it } from "vitest";
import { createLayout, type Layout } from "../../src/core/layout.js";
import type { Model } from "../../src/core/model.js";
import { train } from "../../src/train/trainer.js";
import {
  type AdamState,
  adam,
  adamw,
  type ClipState,
  chain,
  clipByGlobalNorm,
  constant,
  cosineDecay,
  createContext,
  exponentialDecay,
  type FreezeState,
  freeze,
  identity,
  resetStep,
  type SgdState,
  sgd,
  stepDecay,
  type Transform,
  warmup,
} from "../../src/transforms/index.js";
import { applyOnce, stepper, vectorLayout } from "../helpers/transforms.js";

/** |actual − expected| <= rel · |expected| entry by entry (rel 1e-13 absorbs float rounding). */
function expectNear(actual: ArrayLike<number>, expected: readonly number[], rel = 1e-13): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= rel * Math.abs(e))) {
      expect.fail(`entry ${i}: ${a} is not within ${rel} relative of ${e}`);
    }
  }
}

/**
 * Runs `transform` over a sequence of gradients the way the trainer does: the update is
 * added to `params` after each step. Returns each step's update and the context.
 */
function optimise<S>(
  transform: Transform<S>,
  grads: readonly (readonly number[])[],
  start?: readonly number[],
  layout: Layout = vectorLayout(grads[0]!.length),
) {
  const params = start ? Float64Array.from(start) : new Float64Array(layout.size);
  const run = stepper(transform, layout, params);
  const updates: number[][] = [];
  const lrs: number[] = [];
  for (const g of grads) {
    const u = run.step(g);
    updates.push(Array.from(u));
    lrs.push(run.ctx.lr);
    if (!run.ctx.skip) for (let i = 0; i < params.length; i++) params[i]! += u[i]!;
  }
  return { updates, lrs, params, state: run.state, ctx: run.ctx };
}

describe("sgd", () => {
  it("plain: update = −η·g (the seed's θ ← θ − η·g)", () => {
    // η = 0.1: g1 = [1, −2] → [−0.1, 0.2]; g2 = [0.5, 0] → [−0.05, 0].
    const { updates, params, state, lrs } = optimise(
      sgd({ lr: 0.1 }),
      [
        [1, -2],
        [0.5, 0],
      ],
      [1, 1],
    );
    expectNear(updates[0]!, [-0.1, 0.2]);
    expectNear(updates[1]!, [-0.05, 0]);
    expectNear(params, [1 - 0.1 - 0.05, 1 + 0.2]);
    expect(lrs).toEqual([0.1, 0.1]);
    expect(state.count).toBe(2);
    expect((state as SgdState).velocity).toHaveLength(0); // no buffer without momentum
  });

  // g_t for w[0]: 1, 1, −2;  for w[1]: −1, 0, 0.   η = 0.1, μ = 0.9.
  const grads = [
    [1, -1],
    [1, 0],
    [-2, 0],
  ];

  it("momentum (PyTorch, dampening 0): v ← μv + g, update = −η·v", () => {
    // w[0]: v = 1 → −0.1;  v = 0.9·1 + 1 = 1.9 → −0.19;  v = 0.9·1.9 − 2 = −0.29 → 0.029.
    // w[1]: v = −1 → 0.1;  v = −0.9 → 0.09;             v = −0.81 → 0.081.
    const { updates, state } = optimise(sgd({ lr: 0.1, momentum: 0.9 }), grads);
    expectNear(updates[0]!, [-0.1, 0.1]);
    expectNear(updates[1]!, [-0.19, 0.09]);
    expectNear(updates[2]!, [0.029, 0.081], 1e-12);
    expectNear(state.velocity, [-0.29, -0.81], 1e-12);
    expect(state.count).toBe(3);
  });

  it("nesterov: v ← μv + g, update = −η·(g + μv)", () => {
    // w[0]: v = 1,     d = 1 + 0.9·1 = 1.9          → −0.19
    //       v = 1.9,   d = 1 + 0.9·1.9 = 2.71       → −0.271
    //       v = −0.29, d = −2 + 0.9·(−0.29) = −2.261 → 0.2261
    // w[1]: v = −1,    d = −1 − 0.9 = −1.9          → 0.19
    //       v = −0.9,  d = 0 + 0.9·(−0.9) = −0.81   → 0.081
    //       v = −0.81, d = 0 + 0.9·(−0.81) = −0.729 → 0.0729
    const { updates } = optimise(sgd({ lr: 0.1, momentum: 0.9, nesterov: true }), grads);
    expectNear(updates[0]!, [-0.19, 0.19]);
    expectNear(updates[1]!, [-0.271, 0.081]);
    expectNear(updates[2]!, [0.2261, 0.0729], 1e-12);
  });

  it("takes the learning rate of step t from a schedule (0-based optimizer steps)", () => {
    // η_t = 1 · 0.5^t: g = 1 each step → updates −1, −0.5, −0.25; ctx.lr reports η_t.
    const { updates, lrs } = optimise(sgd({ lr: exponentialDecay({ lr: 1, gamma: 0.5 }) }), [
      [1],
      [1],
      [1],
    ]);
    expect(updates).toEqual([[-1], [-0.5], [-0.25]]);
    expect(lrs).toEqual([1, 0.5, 0.25]);
  });
});

describe("adam and adamw", () => {
  // η = 0.1, β1 = 0.9, β2 = 0.999, ε = 1e-8 (defaults).  g_t: w[0] = 1, 0.5, −1; w[1] = −2 each step.
  const grads = [
    [1, -2],
    [0.5, -2],
    [-1, -2],
  ];

  it("matches PyTorch's Adam over three steps", () => {
    // t = 1: m = 0.1g, v = 0.001g²; c1 = 0.1, c2 = 0.001 → m̂ = g, v̂ = g².
    //   w[0]: −0.1 · 1/(1 + 1e-8) = −0.09999999900000001
    //   w[1]: −0.1 · (−2)/(2 + 1e-8) = 0.0999999995
    // t = 2: w[0]: m = 0.09 + 0.05 = 0.14, v = 0.000999 + 0.00025 = 0.001249;
    //   c1 = 0.19, c2 = 0.001999 → m̂ = 14/19, v̂ = 1249/1999;
    //   update = −0.1 · (14/19)/(sqrt(1249/1999) + 1e-8) = −0.09321796270183958
    // t = 3: w[0]: m = 0.126 − 0.1 = 0.026, v = 0.001247751 + 0.001 = 0.002247751;
    //   c1 = 0.271, c2 = 0.002997001 → update = −0.1 · (0.026/0.271)/(sqrt(0.002247751/0.002997001) + 1e-8)
    //   = −0.011078307004289396
    // w[1] has a constant gradient, so m̂ = −2 and v̂ = 4 at every t: each update is 0.0999999995.
    const { updates, state, lrs } = optimise(adam({ lr: 0.1 }), grads);
    expectNear(updates[0]!, [-0.09999999900000001, 0.0999999995]);
    expectNear(updates[1]!, [-0.0932179627018396, 0.0999999995]);
    expectNear(updates[2]!, [-0.011078307004289396, 0.0999999995], 1e-12);
    expect(state.count).toBe(3);
    expectNear(state.m, [0.026, -0.542], 1e-12);
    expectNear(state.v, [0.002247751, 0.011988004], 1e-12);
    expect(lrs).toEqual([0.1, 0.1, 0.1]);
  });

  it("adamw adds decoupled decay −η·λ·θ at the parameters of the step", () => {
    // λ = 0.1, θ0 = [2, −1]; update_t = adam_t − η·λ·θ_{t−1}, θ_t = θ_{t−1} + update_t.
    // t = 1: [−0.099999999 − 0.02, 0.0999999995 + 0.01] = [−0.119999999, 0.1099999995]
    //        θ1 = [1.880000001, −0.8900000005]
    // t = 2: [−0.0932179627018396 − 0.0188000000100, 0.0999999995 + 0.00890000000500]
    //        = [−0.11201796271183958, 0.108899999505];  θ2 = [1.76798203828816, −0.781100000995]
    // t = 3: [−0.0110783070042894 − 0.0176798203828816, 0.0999999995 + 0.00781100000995]
    //        = [−0.028758127387171, 0.10781099950995]
    const { updates, params } = optimise(adamw({ lr: 0.1, weightDecay: 0.1 }), grads, [2, -1]);
    expectNear(updates[0]!, [-0.119999999, 0.1099999995]);
    expectNear(updates[1]!, [-0.1120179627118396, 0.108899999505], 1e-12);
    expectNear(updates[2]!, [-0.028758127387171, 0.10781099950995], 1e-12);
    expectNear(params, [1.739223910900989, -0.67328900148505], 1e-12);
  });

  it("adamw with weightDecay 0 is adam, bit for bit; the default weightDecay is 0.01", () => {
    const plain = optimise(adam({ lr: 0.1 }), grads, [2, -1]);
    const w0 = optimise(adamw({ lr: 0.1, weightDecay: 0 }), grads, [2, -1]);
    expect(w0.updates).toEqual(plain.updates);
    // Default λ = 0.01: first update of w[0] = −0.099999999 − 0.1·0.01·2 = −0.101999999.
    const dflt = optimise(adamw({ lr: 0.1 }), grads.slice(0, 1), [2, -1]);
    expectNear(dflt.updates[0]!, [-0.101999999, 0.0999999995 + 0.001]);
  });

  it("respects b1, b2 and eps", () => {
    // b1 = 0.5, b2 = 0.5, eps = 1: t = 1 → m̂ = g, v̂ = g²; update = −0.1·g/(|g| + 1).
    // g = [3, −1] → [−0.075, 0.05].
    const { grad } = applyOnce(adam({ lr: 0.1, b1: 0.5, b2: 0.5, eps: 1 }), [3, -1]);
    expectNear(grad, [-0.075, 0.05]);
  });
});

describe("schedules", () => {
  it("constant", () => {
    const s = constant(0.1);
    expect([s(0), s(1), s(1000)]).toEqual([0.1, 0.1, 0.1]);
  });

  it("stepDecay: lr · gamma^floor(step / every)", () => {
    const s = stepDecay({ lr: 1, every: 10, gamma: 0.5 });
    // floor(0/10) = 0 → 1; floor(9/10) = 0 → 1; floor(10/10) = 1 → 0.5; floor(25/10) = 2 → 0.25.
    expect([s(0), s(9), s(10), s(19), s(25)]).toEqual([1, 1, 0.5, 0.5, 0.25]);
  });

  it("exponentialDecay: lr · gamma^step", () => {
    const s = exponentialDecay({ lr: 2, gamma: 0.5 });
    expect([s(0), s(1), s(3)]).toEqual([2, 1, 0.25]);
    expect(exponentialDecay({ lr: 0.1, gamma: 0.9 })(2)).toBeCloseTo(0.081, 15);
  });

  it("cosineDecay: minLr + (lr − minLr)(1 + cos(π·min(t, T)/T))/2", () => {
    // lr = 1, minLr = 0.2, T = 4.
    // t = 0: 1;  t = 1: 0.2 + 0.4·(1 + cos(π/4)) = 0.2 + 0.4·1.7071067811865475 = 0.882842712474619
    // t = 2: 0.2 + 0.4·(1 + 0) = 0.6;  t = 4: 0.2;  t = 9 (past T): 0.2.
    const s = cosineDecay({ lr: 1, steps: 4, minLr: 0.2 });
    expect(s(0)).toBe(1);
    expect(s(1)).toBeCloseTo(0.882842712474619, 15);
    expect(s(2)).toBeCloseTo(0.6, 15);
    expect(s(4)).toBeCloseTo(0.2, 15);
    expect(s(9)).toBe(s(4));
    // minLr defaults to 0.
    expect(cosineDecay({ lr: 1, steps: 4 })(4)).toBe(0);
  });

  it("warmup: peak · (t + 1)/steps for t < steps, then `after` from its own step 0", () => {
    // steps = 4, after = 0.1: 0.025, 0.05, 0.075, 0.1, then 0.1.
    const s = warmup({ steps: 4, after: 0.1 });
    expectNear([s(0), s(1), s(2), s(3), s(4), s(100)], [0.025, 0.05, 0.075, 0.1, 0.1, 0.1]);
    // startFactor 0.2: peak · (0.2 + 0.8·(t + 1)/4) → 0.04, 0.06, 0.08, 0.1.
    const f = warmup({ steps: 4, after: 0.1, startFactor: 0.2 });
    expectNear([f(0), f(1), f(2), f(3)], [0.04, 0.06, 0.08, 0.1]);
    // after = stepDecay(1, every 3, gamma 0.1): peak = after(0) = 1; t = 0, 1 → 0.5, 1;
    // t = 2..4 → after(0..2) = 1; t = 5 → after(3) = 0.1.
    const d = warmup({ steps: 2, after: stepDecay({ lr: 1, every: 3, gamma: 0.1 }) });
    expectNear([d(0), d(1), d(2), d(4), d(5)], [0.5, 1, 1, 1, 0.1]);
  });

  it("an optimizer counts its own steps for the schedule (skipped steps do not advance it)", () => {
    const t = chain(
      clipByGlobalNorm({ maxNorm: 100, onNonFinite: "skip" }),
      sgd({ lr: stepDecay({ lr: 1, every: 1, gamma: 0.5 }) }),
    );
    const { lrs, updates } = optimise(t, [[1], [Number.NaN], [1], [1]]);
    // Steps 0, 2, 3 reach sgd as its steps 0, 1, 2: lr 1, 0.5, 0.25; the skipped one reports NaN.
    expect(lrs).toEqual([1, Number.NaN, 0.5, 0.25]);
    expect(updates.map((u) => u[0])).toEqual([-1, Number.NaN, -0.5, -0.25]);
  });
});

describe("chain", () => {
  it("runs transforms in order: clip-then-sgd differs from sgd-then-clip", () => {
    // g = [30, 40], ‖g‖ = 50.  clip(1) then sgd(0.1): [0.6, 0.8] → [−0.06, −0.08].
    // sgd(0.1) then clip(1): [−3, −4] → [−0.6, −0.8].
    const clipFirst = chain(clipByGlobalNorm({ maxNorm: 1 }), sgd({ lr: 0.1 }));
    const sgdFirst = chain(sgd({ lr: 0.1 }), clipByGlobalNorm({ maxNorm: 1 }));
    expect(clipFirst.name).toBe("chain(clipByGlobalNorm(1), sgd(0.1))");
    expectNear(applyOnce(clipFirst, [30, 40]).grad, [-0.06, -0.08]);
    expectNear(applyOnce(sgdFirst, [30, 40]).grad, [-0.6, -0.8]);
  });

  it("keeps one state per transform, in order", () => {
    const t = chain(clipByGlobalNorm({ maxNorm: 1 }), identity(), sgd({ lr: 0.1, momentum: 0.5 }));
    const { state } = applyOnce(t, [3, 4]);
    const [clip, id, opt] = state as [ClipState, null, SgdState];
    expect(clip.clippedSteps).toBe(1);
    expect(id).toBeNull();
    expectNear(opt.velocity, [0.6, 0.8], 1e-15);
  });

  it("a skipped step (clip skip before adam) leaves adam's count, m and v untouched", () => {
    const t = chain(clipByGlobalNorm({ maxNorm: 1, onNonFinite: "skip" }), adam({ lr: 0.1 }));
    const layout = vectorLayout(2);
    const run = stepper(t, layout);
    const [clipState, adamState] = run.state as [ClipState, AdamState];
    run.step([3, 4]);
    const before = { count: adamState.count, m: adamState.m.slice(), v: adamState.v.slice() };
    expect(before.count).toBe(1);

    const skipped = run.step([Number.NaN, 4]);
    expect(run.ctx.skip).toBe(true);
    expect(Number.isNaN(skipped[0]!)).toBe(true); // the buffer is left as it was
    expect(skipped[1]).toBe(4);
    expect(run.ctx.lr).toBeNaN(); // the optimizer did not run
    expect(adamState.count).toBe(before.count);
    expect(adamState.m).toEqual(before.m);
    expect(adamState.v).toEqual(before.v);
    expect(clipState.skippedSteps).toBe(1);

    // The next step continues as if the bad step had never happened, bit for bit.
    const after = run.step([1, -2]);
    const reference = stepper(
      chain(clipByGlobalNorm({ maxNorm: 1, onNonFinite: "skip" }), adam({ lr: 0.1 })),
      layout,
    );
    reference.step([3, 4]);
    expect(Array.from(after)).toEqual(Array.from(reference.step([1, -2])));
    expect(adamState.count).toBe(2);
  });

  it("in training, a skipped step applies nothing and is counted in the history", () => {
    // f(θ) = θ², gradient 2θ, except the gradient of the 2nd evaluation is NaN.
    let calls = 0;
    const model: Model = {
      kind: "flaky-square",
      layout: createLayout([{ name: "theta", shape: [] }]),
      rows: 1,
      init: (p) => p.fill(0),
      lossAndGrad(p, g) {
        calls++;
        g[0] = calls === 2 ? Number.NaN : 2 * p[0]!;
        return p[0]! * p[0]!;
      },
    };
    const seen: number[] = [];
    const result = train(model, {
      transform: chain(clipByGlobalNorm({ maxNorm: 10, onNonFinite: "skip" }), sgd({ lr: 0.25 })),
      epochs: 3,
      start: Float64Array.of(1),
      onEpoch: (r) => seen.push(r.loss),
    });
    // θ: 1 → 1 − 0.25·2 = 0.5 → (skipped) 0.5 → 0.25.
    expect(seen).toEqual([1, 0.25, 0.25]);
    expect(result.params[0]).toBe(0.25);
    expect(result.history.map((r) => r.skippedSteps)).toEqual([0, 1, 0]);
  });

  it("throws when the state does not come from this chain's init", () => {
    const t = chain(clipByGlobalNorm({ maxNorm: 1 }), sgd({ lr: 0.1 }));
    const layout = vectorLayout(2);
    const ctx = createContext(layout, new Float64Array(2));
    resetStep(ctx, 0);
    const short = t.init(layout).slice(0, 1);
    expect(() => t.update(Float64Array.of(1, 2), short, ctx)).toThrowErrorMatchingInlineSnapshot(
      `[Error: chain: state has 1 entries but the chain has 2 transforms; call init first]`,
    );
    expect(() => t.update(Float64Array.of(1, 2), [], ctx)).toThrow(
      "chain: state has 0 entries but the chain has 2 transforms",
    );
  });
});

describe("freeze", () => {
  const layout = createLayout([
    { name: "w", shape: [2] },
    { name: "b", shape: [] },
    { name: "m", shape: [2, 2] },
  ]);
  const g = [1, 2, 3, 4, 5, 6, 7];
  const two = createLayout([
    { name: "w", shape: [2] },
    { name: "b", shape: [] },
  ]);

  it("zeroes the named entries and nothing else", () => {
    expect(Array.from(applyOnce(freeze(["b"], identity()), g, { layout }).grad)).toEqual([
      1, 2, 0, 4, 5, 6, 7,
    ]);
    expect(Array.from(applyOnce(freeze(["w", "m"], identity()), g, { layout }).grad)).toEqual([
      0, 0, 3, 0, 0, 0, 0,
    ]);
    expect(Array.from(applyOnce(freeze([], identity()), g, { layout }).grad)).toEqual(g);
  });

  it("fails at init, naming the unknown parameter and the known ones", () => {
    const t = freeze(["w", "bias"], identity()); // building it does not need the layout
    expect(() => t.init(layout)).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: layout: no parameter "bias" (parameters: w, b, m)]`,
    );
  });

  it("clips and optimizer moments never see the frozen entries", () => {
    // w = [3, 4], b = 100 frozen: the clip sees ‖[3, 4, 0]‖ = 5, not sqrt(10025).
    const t = freeze(["b"], chain(clipByGlobalNorm({ maxNorm: 1 }), adam({ lr: 0.1 })));
    const { updates, params, state } = optimise(
      t,
      [
        [3, 4, 100],
        [1, 1, -50],
      ],
      [0, 0, 7],
      two,
    );
    const [clip, opt] = (state as FreezeState<[ClipState, AdamState]>).inner;
    expect(clip.lastNorm).toBe(Math.sqrt(2)); // the second step's ‖[1, 1, 0]‖
    expect(opt.m[2]).toBe(0);
    expect(opt.v[2]).toBe(0);
    expect(updates.map((u) => Math.abs(u[2]!))).toEqual([0, 0]);
    expect(params[2]).toBe(7);
  });

  it("frozen parameters stay fixed under adamw, whose decoupled decay moves every parameter", () => {
    // Without the freeze, b = 7 → 7 − 0.1·0.1·7 = 6.93 after one step (its gradient is 0).
    const steps = [
      [3, 4, 100],
      [1, 1, -50],
    ];
    const adamW = () => adamw({ lr: 0.1, weightDecay: 0.1 });
    expect(optimise(freeze(["b"], adamW()), steps, [0, 0, 7], two).params[2]).toBe(7);
    expect(optimise(adamW(), [[3, 4, 0]], [0, 0, 7], two).params[2]).toBeCloseTo(6.93, 15);
  });
});
