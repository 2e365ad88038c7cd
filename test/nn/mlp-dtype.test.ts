import { describe, expect, it } from "vitest";
import { createRng } from "../../src/core/rng.js";
import { hasFloat32Gemm } from "../../src/nn/kernels/gemm-f32-wasm.js";
import { mlpModel, type NetData } from "../../src/nn/models/mlp.js";
import { runTrainNetwork } from "../../src/tasks/train-network.js";
import { train } from "../../src/train/trainer.js";
import { chain } from "../../src/transforms/chain.js";
import { clipByGlobalNorm } from "../../src/transforms/clip-by-global-norm.js";
import { adam } from "../../src/transforms/optimizers.js";
import { cli } from "../helpers/cli.js";
import { relativeError, sameBits } from "./reference.js";

/** y = sin(x₁) + x₂·x₃ + noise, 8 features (5 of them noise). */
function data(n: number, seed: number): NetData {
  const rng = createRng(seed);
  const p = 8;
  const x = Float64Array.from({ length: n * p }, () => rng.normal());
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = Math.sin(x[i * p]!) + x[i * p + 1]! * x[i * p + 2]! + 0.1 * rng.normal();
  }
  return { features: Array.from({ length: p }, (_, j) => `x${j}`), rows: n, x, y };
}

const run = (dtype: "float64" | "float32" | undefined) => {
  const model = mlpModel(data(400, 5), { spec: "mlp:32,16:relu", dtype });
  return train(model, {
    transform: chain(clipByGlobalNorm({ maxNorm: 1 }), adam({ lr: 0.01 })),
    epochs: 8,
    batchSize: 32,
    seed: 3,
  });
};

describe("networks with dtype float32 (matrix products in single precision)", () => {
  it("the default is float64 and gives the same bits as dtype float64", () => {
    const model = mlpModel(data(10, 1), { spec: "mlp:4:relu" });
    expect(model.network.dtype).toBe("float64");
    const a = run(undefined);
    const b = run("float64");
    expect(sameBits(a.params, b.params)).toBe(true);
  });

  it.runIf(hasFloat32Gemm)("a loss and gradient within float32 rounding of float64", () => {
    const d = data(300, 2);
    const m64 = mlpModel(d, { spec: "mlp:40,24:tanh" });
    const m32 = mlpModel(d, { spec: "mlp:40,24:tanh", dtype: "float32" });
    expect(m32.network.dtype).toBe("float32");
    const params = new Float64Array(m64.layout.size);
    m64.init(params, createRng(9));
    const g64 = new Float64Array(params.length);
    const g32 = new Float64Array(params.length);
    const range = { start: 0, end: d.rows, order: null };
    const l64 = m64.lossAndGrad(params, g64, range);
    const l32 = m32.lossAndGrad(params, g32, range);
    expect(Math.abs(l32 - l64) / l64).toBeLessThan(1e-5);
    expect(l32).not.toBe(l64); // really computed in float32
    // Relative to the whole gradient's size (entries near 0 carry absolute error only).
    let worst = 0;
    let norm = 0;
    for (let i = 0; i < g64.length; i++) {
      worst = Math.max(worst, Math.abs(g32[i]! - g64[i]!));
      norm = Math.max(norm, Math.abs(g64[i]!));
    }
    expect(worst / norm).toBeLessThan(1e-5);
    expect(worst).toBeGreaterThan(0);
  });

  it.runIf(hasFloat32Gemm)("trains to the float64 run's losses within float32 drift", () => {
    const a = run("float64");
    const b = run("float32");
    const losses = (r: typeof a) => r.history.map((h) => h.loss);
    expect(losses(b)[7]!).toBeLessThan(losses(b)[0]! / 2); // it learns
    expect(relativeError(losses(b), losses(a))).toBeLessThan(1e-3);
    expect(Math.abs(b.finalLoss - a.finalLoss) / a.finalLoss).toBeLessThan(1e-3);
    expect(sameBits(a.params, b.params)).toBe(false);
    // Deterministic: the same run twice gives the same bits.
    expect(sameBits(run("float32").params, b.params)).toBe(true);
  });

  it("an unknown dtype is rejected by name", () => {
    expect(() =>
      mlpModel(data(10, 1), { spec: "mlp:4:relu", dtype: "float16" as "float32" }),
    ).toThrow(/^mlpModel: dtype must be .*"float64".*"float32".*, got "float16"$/);
  });
});

const DIABETES = new URL("../../examples/diabetes.csv", import.meta.url).pathname;

describe.runIf(hasFloat32Gemm)("biograd train --dtype", () => {
  it("--dtype float32 runs the task with float32 products, close to float64", async () => {
    const args = ["train", DIABETES, "--y", "progression", "--model", "mlp:16:relu"];
    const more = ["--epochs", "5", "--clip", "global-norm:1", "--seed", "2", "--format", "json"];
    const r32 = await cli(...args, ...more, "--dtype", "float32");
    expect(r32.code, r32.err.join("\n")).toBe(0);
    const printed = JSON.parse(r32.out[0]!);
    const direct = runTrainNetwork({
      task: "train-network",
      data: { file: DIABETES },
      y: "progression",
      model: "mlp:16:relu",
      transform: {
        clip: { kind: "global-norm", threshold: 1 },
        optimizer: { name: "adam", lr: 0.01 },
      },
      epochs: 5,
      seed: 2,
      dtype: "float32",
    });
    expect(printed.metrics).toEqual(direct.metrics);
    const r64 = JSON.parse((await cli(...args, ...more)).out[0]!);
    expect(printed.metrics.train.rmse).not.toBe(r64.metrics.train.rmse);
    expect(Math.abs(printed.metrics.train.rmse / r64.metrics.train.rmse - 1)).toBeLessThan(1e-3);
  });

  it("--dtype float16 is refused with the choices", async () => {
    const r = await cli("train", DIABETES, "--y", "progression", "--dtype", "float16");
    expect(r.code).toBe(2);
    expect(r.err.join("\n")).toMatch(/--dtype.*float16.*float64, float32/);
  });
});
