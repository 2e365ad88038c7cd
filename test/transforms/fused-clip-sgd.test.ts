import { describe, expect, it } from "vitest";
import { createLayout } from "../../src/core/layout.js";
import { createRng } from "../../src/core/rng.js";
import { applyStep, type StepReading } from "../../src/train/step.js";
import { updateApplier } from "../../src/transforms/fused-apply.js";
import { guardNonFinite } from "../../src/transforms/guard.js";
import {
  type AnyTransform,
  adam,
  chain,
  clipByValue,
  createContext,
  sgd,
  type Transform,
  warmup,
} from "../../src/transforms/index.js";

/**
 * The fused [clipByValue, sgd] step (fused-clip-sgd.ts) against the same chain run unfused
 * (the clip wrapped in a plain object, which the fusion does not recognise): params, the
 * buffer (which ends holding the update), the states, the step context and the readings
 * must agree bit for bit, −0 and NaN told apart.
 */
function hidden<S>(t: Transform<S>): Transform<S> {
  return { name: t.name, init: (l) => t.init(l), update: (g, s, c) => t.update(g, s, c) };
}

const layout = createLayout([
  { name: "W", shape: [4, 3] },
  { name: "b", shape: [3] },
  { name: "s", shape: [] },
]);

/** Gradients of three sizes (mostly inside the bounds, partly, mostly outside). */
function gradients(steps: number, poison: (step: number, g: Float64Array) => void) {
  const rng = createRng(11);
  return Array.from({ length: steps }, (_, step) => {
    const size = step % 3 === 0 ? 0.01 : step % 3 === 1 ? 0.3 : 5;
    const g = Float64Array.from({ length: layout.size }, () => size * rng.normal());
    poison(step, g);
    return g;
  });
}

interface Options {
  scale?: number;
  norms?: (step: number) => boolean;
  start?: (i: number) => number;
}

function runSteps(transform: AnyTransform, grads: Float64Array[], opts: Options) {
  const start = opts.start ?? ((i: number) => Math.sin(i));
  const params = Float64Array.from({ length: layout.size }, (_, i) => start(i));
  const grad = new Float64Array(layout.size);
  const state = transform.init(layout);
  const ctx = createContext(layout, params);
  const readings: StepReading[] = [];
  const k = layout.entries.length;
  grads.forEach((g, step) => {
    grad.set(g);
    const out: StepReading = {
      loss: 0,
      gradNorm: 0,
      clippedNorm: 0,
      clipped: false,
      skipped: false,
      zeroed: 0,
      lr: Number.NaN,
      threshold: Number.NaN,
      rawNorm: Number.NaN,
    };
    const per = opts.norms?.(step) ?? false;
    const before = per ? Float64Array.from({ length: k }, (_, j) => 1 + j) : null;
    const after = per ? new Float64Array(k) : null;
    applyStep(params, grad, transform, state, ctx, step, out, before, after, opts.scale ?? 1);
    readings.push({ ...out, after: after ? Array.from(after) : null } as StepReading);
  });
  return { params, grad, state, ctx, readings };
}

/** Deep equality by Object.is (−0 ≠ 0, NaN = NaN); functions and shared buffers skipped. */
function expectSameBits(a: unknown, b: unknown, path = "value"): void {
  if (a instanceof Float64Array && b instanceof Float64Array) {
    expect(b.length, path).toBe(a.length);
    for (let i = 0; i < a.length; i++) {
      if (!Object.is(a[i], b[i])) expect.fail(`${path}[${i}]: ${a[i]} vs ${b[i]}`);
    }
    return;
  }
  if (a !== null && typeof a === "object" && b !== null && typeof b === "object") {
    const keys = Object.keys(a).filter((key) => key !== "grad" && key !== "params");
    expect(Object.keys(b).filter((key) => key !== "grad" && key !== "params")).toEqual(keys);
    for (const key of keys) expectSameBits((a as never)[key], (b as never)[key], `${path}.${key}`);
    return;
  }
  if (typeof a === "function") return;
  if (!Object.is(a, b)) expect.fail(`${path}: ${String(a)} vs ${String(b)}`);
}

function compare(parts: () => AnyTransform[], grads: Float64Array[], opts: Options = {}) {
  const fusedChain = chain(...parts());
  const plainParts = parts();
  plainParts[plainParts.length - 2] = hidden(plainParts[plainParts.length - 2]!);
  const plainChain = chain(...plainParts);
  expect(updateApplier(fusedChain)).not.toBeNull();
  expect(updateApplier(plainChain)).toBeNull();
  const fused = runSteps(fusedChain, grads, opts);
  const plain = runSteps(plainChain, grads, opts);
  expectSameBits(fused.params, plain.params, "params");
  expectSameBits(fused.grad, plain.grad, "grad");
  expectSameBits(fused.state, plain.state, "state");
  expectSameBits(fused.ctx, plain.ctx, "ctx");
  expectSameBits(fused.readings, plain.readings, "readings");
  return fused;
}

const none = () => {};

describe("fused clipByValue + sgd", () => {
  it("equals the unfused chain bit for bit, with and without per-tensor norms", () => {
    const run = compare(() => [clipByValue({ max: 0.1 }), sgd({ lr: 0.05 })], gradients(30, none), {
      norms: (step) => step % 2 === 1,
    });
    const clipped = run.readings.map((r) => r.clipped);
    expect(clipped).toContain(true);
    expect(clipped).toContain(false);
  });

  it("keeps −0 as the clip leaves it (min 0), with a schedule and a step scale", () => {
    const lr = warmup({ steps: 4, after: (t) => 0.1 / (1 + t) });
    compare(
      () => [clipByValue({ min: 0, max: 0.2 }), sgd({ lr })],
      gradients(12, (step, g) => {
        g[step % g.length] = -0; // clip(−0) is +0, but the buffer keeps −0: −lr·(−0) = +0
      }),
      { scale: 0.5, start: (i) => (i % 2 === 0 ? 0 : -0), norms: (step) => step % 3 === 0 },
    );
  });

  it("runs after other transforms (a guard zeroing a NaN first)", () => {
    compare(
      () => [guardNonFinite({ policy: "zero" }), clipByValue({ max: 0.3 }), sgd({ lr: 0.1 })],
      gradients(9, (step, g) => {
        if (step === 4) g[2] = Number.NaN;
      }),
      { norms: (step) => step > 5 },
    );
  });

  it("falls back exactly for non-finite gradients (skip, zero) and for overflowing bounds", () => {
    const poison = (step: number, g: Float64Array) => {
      if (step === 2) g[0] = Number.POSITIVE_INFINITY;
      if (step === 5) g[7] = Number.NaN;
    };
    for (const onNonFinite of ["skip", "zero"] as const) {
      const run = compare(
        () => [clipByValue({ max: 0.5, onNonFinite }), sgd({ lr: 0.1 })],
        gradients(8, poison),
        { norms: (step) => step % 2 === 0 },
      );
      expect(run.readings[2]!.skipped).toBe(onNonFinite === "skip");
    }
    // Bounds so large that the clipped squares overflow: the unfused clip rescales.
    compare(
      () => [clipByValue({ max: 1e300 }), sgd({ lr: 1e-10 })],
      gradients(4, (step, g) => {
        if (step === 1) g.fill(1e200);
      }),
      { norms: () => true },
    );
  });

  it("fuses only plain SGD after a value clip", () => {
    expect(
      updateApplier(chain(clipByValue({ max: 1 }), sgd({ lr: 0.1, momentum: 0.9 }))),
    ).toBeNull();
    expect(updateApplier(chain(sgd({ lr: 0.1 }), clipByValue({ max: 1 })))).toBeNull();
    expect(updateApplier(chain(clipByValue({ max: 1 }), adam({ lr: 0.1 })))).toBeNull();
    // A copy with its own update is another transform (a plain copy behaves the same: fused).
    const clip = clipByValue({ max: 1 });
    const own = { ...clip, update: (g: Float64Array) => g.fill(0) };
    expect(updateApplier(chain(own, sgd({ lr: 0.1 })))).toBeNull();
    expect(updateApplier(chain({ ...clip }, sgd({ lr: 0.1 })))).not.toBeNull();
    const replaced = sgd({ lr: 0.1 });
    replaced.update = () => {};
    expect(updateApplier(chain(clipByValue({ max: 1 }), replaced))).toBeNull();
  });
});
