import { describe, expect, it } from "vitest";
import { createLayout } from "../../src/core/layout.js";
import { createRng } from "../../src/core/rng.js";
import { mlpModel } from "../../src/nn/index.js";
import { applyStep, type StepReading } from "../../src/train/step.js";
import { train } from "../../src/train/trainer.js";
import { buildTransform } from "../../src/transforms/build.js";
import { updateApplier } from "../../src/transforms/fused-apply.js";
import { guardNonFinite } from "../../src/transforms/guard.js";
import {
  type AnyTransform,
  adam,
  adamw,
  chain,
  clipByGlobalNorm,
  createContext,
  sgd,
  type Transform,
  warmup,
} from "../../src/transforms/index.js";

/**
 * The fused [clipByGlobalNorm, adam] step (fused-clip-adam.ts) against the same chain run
 * unfused: wrapping the clip in a plain object hides it from the fusion, so the step runs
 * update + its own params loop. Everything must agree bit for bit: params, the buffer (which
 * holds the update), the states, the step context and the step's readings.
 */
function hidden<S>(t: Transform<S>): Transform<S> {
  return { name: t.name, init: (l) => t.init(l), update: (g, s, c) => t.update(g, s, c) };
}

const layout = createLayout([
  { name: "W", shape: [7, 5] },
  { name: "b", shape: [5] },
  { name: "v", shape: [3] },
]);

function reading(): StepReading {
  return {
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
}

/** Gradients of varying size: some steps clipped, some not; `poison` plants odd entries. */
function gradients(steps: number, poison: (step: number, g: Float64Array) => void) {
  const rng = createRng(7);
  return Array.from({ length: steps }, (_, step) => {
    const size = step % 3 === 0 ? 0.05 : step % 3 === 1 ? 3 : 40;
    const g = Float64Array.from({ length: layout.size }, () => size * rng.normal());
    poison(step, g);
    return g;
  });
}

interface Run {
  params: Float64Array;
  grad: Float64Array;
  state: unknown;
  ctx: ReturnType<typeof createContext>;
  readings: StepReading[];
}

function runSteps(
  transform: AnyTransform,
  grads: Float64Array[],
  opts: { scale?: number; norms?: (step: number) => boolean } = {},
): Run {
  const params = Float64Array.from({ length: layout.size }, (_, i) => Math.sin(i + 1));
  const grad = new Float64Array(layout.size);
  const state = transform.init(layout);
  const ctx = createContext(layout, params);
  const readings: StepReading[] = [];
  const k = layout.entries.length;
  grads.forEach((g, step) => {
    grad.set(g);
    const out = reading();
    const per = opts.norms?.(step) ?? false;
    const before = per ? new Float64Array(k) : null;
    const after = per ? new Float64Array(k) : null;
    if (before) for (let j = 0; j < k; j++) before[j] = 1 + j; // stand-ins for measured norms
    applyStep(params, grad, transform, state, ctx, step, out, before, after, opts.scale ?? 1);
    readings.push(out);
  });
  return { params, grad, state, ctx, readings };
}

/** Deep equality that tells -0 from 0 and compares NaN by identity (Object.is). */
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
    for (const key of keys) {
      expectSameBits((a as never)[key], (b as never)[key], `${path}.${key}`);
    }
    return;
  }
  if (typeof a === "function") return;
  if (!Object.is(a, b)) expect.fail(`${path}: ${String(a)} vs ${String(b)}`);
}

function expectSameRun(fused: Run, plain: Run): void {
  expectSameBits(fused.params, plain.params, "params");
  expectSameBits(fused.grad, plain.grad, "grad");
  expectSameBits(fused.state, plain.state, "state");
  expectSameBits(fused.ctx, plain.ctx, "ctx");
  expectSameBits(fused.readings, plain.readings, "readings");
}

function compare(
  parts: () => AnyTransform[],
  grads: Float64Array[],
  opts: { scale?: number; norms?: (step: number) => boolean } = {},
): Run {
  const fusedChain = chain(...parts());
  const plainParts = parts();
  plainParts[plainParts.length - 2] = hidden(plainParts[plainParts.length - 2]!);
  const plainChain = chain(...plainParts);
  expect(updateApplier(fusedChain)).not.toBeNull();
  expect(updateApplier(plainChain)).toBeNull();
  const fused = runSteps(fusedChain, grads, opts);
  const plain = runSteps(plainChain, grads, opts);
  expectSameRun(fused, plain);
  return fused;
}

const none = () => {};

describe("fused clipByGlobalNorm + adam", () => {
  it("equals the unfused chain bit for bit, clipped and unclipped steps", () => {
    const run = compare(
      () => [clipByGlobalNorm({ maxNorm: 1 }), adam({ lr: 1e-2 })],
      gradients(30, none),
    );
    const clipped = run.readings.map((r) => r.clipped);
    expect(clipped).toContain(true);
    expect(clipped).toContain(false);
    // The readings are the clip's: the norm after a clip is the threshold.
    const r = run.readings.find((x) => x.clipped)!;
    expect(r.clippedNorm).toBeCloseTo(1, 12);
    expect(r.gradNorm).toBeGreaterThan(1);
  });

  it("adamw with a schedule, a guard before the clip, and a step scale", () => {
    const lr = warmup({ steps: 5, after: (t) => 0.01 / (1 + t) });
    compare(
      () => [
        guardNonFinite({ policy: "zero" }),
        clipByGlobalNorm({ maxNorm: 2.5 }),
        adamw({ lr, weightDecay: 0.1, b1: 0.8, b2: 0.99, eps: 1e-6 }),
      ],
      gradients(20, (step, g) => {
        if (step === 4) g[3] = Number.NaN; // zeroed by the guard, then fused
      }),
      { scale: 0.5 },
    );
  });

  it("falls back exactly for non-finite gradients (skip, zero), overflow, and per-tensor norms", () => {
    const poison = (step: number, g: Float64Array) => {
      if (step === 2) g[0] = Number.POSITIVE_INFINITY;
      if (step === 5) g[10] = Number.NaN;
      if (step === 8) g.fill(1e200); // a finite gradient whose L2 norm overflows
    };
    for (const onNonFinite of ["skip", "zero"] as const) {
      const run = compare(
        () => [clipByGlobalNorm({ maxNorm: 1, onNonFinite }), adam({ lr: 1e-3 })],
        gradients(12, poison),
        { norms: (step) => step % 4 === 3 },
      );
      expect(run.readings[2]!.skipped).toBe(onNonFinite === "skip");
      expect(run.readings[8]!.clipped).toBe(true);
      expect(Array.from(run.params).every(Number.isFinite)).toBe(true);
    }
  });

  it("falls back exactly when the factor c/N is subnormal", () => {
    compare(
      () => [clipByGlobalNorm({ maxNorm: 1e-300 }), adam({ lr: 1e-3 })],
      gradients(6, (step, g) => {
        if (step === 3) g.fill(1e20);
      }),
    );
  });

  it("the error policy throws the same message fused and unfused", () => {
    const grads = gradients(3, (step, g) => {
      if (step === 1) g[2] = Number.NaN;
    });
    const message = (t: AnyTransform) => {
      try {
        runSteps(t, grads);
      } catch (e) {
        return (e as Error).message;
      }
      return "no error";
    };
    const fused = message(chain(clipByGlobalNorm({ maxNorm: 1 }), adam({ lr: 1e-3 })));
    const plain = message(chain(hidden(clipByGlobalNorm({ maxNorm: 1 })), adam({ lr: 1e-3 })));
    expect(fused).toBe(plain);
    expect(fused).toMatch(/clipByGlobalNorm: gradient of "W\[0,2\]" is NaN at step 1/);
  });

  it("is selected only for [L2 global-norm clip, adam/adamw] at the end of a chain", () => {
    const applies = (...t: AnyTransform[]) => updateApplier(chain(...t)) !== null;
    expect(applies(clipByGlobalNorm({ maxNorm: 1 }), adam({ lr: 1 }))).toBe(true);
    expect(applies(clipByGlobalNorm({ maxNorm: 1 }), adamw({ lr: 1 }))).toBe(true);
    expect(applies(clipByGlobalNorm({ maxNorm: 1, norm: "linf" }), adam({ lr: 1 }))).toBe(false);
    expect(applies(clipByGlobalNorm({ maxNorm: 1 }), sgd({ lr: 1 }))).toBe(false);
    expect(applies(adam({ lr: 1 }), clipByGlobalNorm({ maxNorm: 1 }))).toBe(false);
    expect(applies(adam({ lr: 1 }))).toBe(false);
    const built = buildTransform(
      { clip: { kind: "global-norm", threshold: 1 }, optimizer: { name: "adam", lr: 1e-3 } },
      { totalSteps: 10 },
    );
    expect(updateApplier(built)).not.toBeNull();
  });

  it("trains an MLP to the same bits as the unfused chain (mini-batches, diagnostics)", () => {
    const rng = createRng(3);
    const rows = 60;
    const x = Float64Array.from({ length: rows * 4 }, () => rng.normal());
    const y = Float64Array.from({ length: rows }, (_, r) => Math.tanh(x[4 * r]! - x[4 * r + 2]!));
    const data = { features: ["a", "b", "c", "d"], rows, x, y };
    const trainWith = (transform: AnyTransform) =>
      train(mlpModel(data, { spec: "mlp:8,6:tanh", task: "regress" }), {
        transform,
        epochs: 6,
        batchSize: 16,
        seed: 5,
      });
    const fused = trainWith(chain(clipByGlobalNorm({ maxNorm: 0.3 }), adam({ lr: 0.02 })));
    const plain = trainWith(chain(hidden(clipByGlobalNorm({ maxNorm: 0.3 })), adam({ lr: 0.02 })));
    expectSameBits(fused.params, plain.params, "params");
    expectSameBits(fused.state, plain.state, "state");
    expect(fused.finalLoss).toBe(plain.finalLoss);
    expect(JSON.stringify(fused.history)).toBe(JSON.stringify(plain.history));
    expect(fused.history.some((h) => h.clipFraction > 0)).toBe(true);
  });
});
