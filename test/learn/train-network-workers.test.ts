import { describe, expect, it } from "vitest";
import { createRng } from "../../src/core/rng.js";
import type { Dataset } from "../../src/data/dataset.js";
import {
  type NetworkSpec,
  type NetworkTrainOptions,
  trainNetwork,
} from "../../src/learn/train-network.js";
import { liveNetworkWorkers } from "../../src/parallel/network-pool.js";
import { adam, chain, clipByGlobalNorm } from "../../src/transforms/index.js";

// trainNetwork with `workers`: the worker threads run the compiled modules (dist/), so
// `npx tsc -p tsconfig.build.json` first (npm test does).

const P = 5;

function part(rows: number, seed: number): Dataset {
  const rng = createRng(seed);
  const x = new Float64Array(rows * P).map(() => rng.normal());
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    y[i] = x[i * P]! - 0.5 * x[i * P + 1]! + Math.tanh(2 * x[i * P + 2]!) + 0.1 * rng.normal();
  }
  const features = Array.from({ length: P }, (_, j) => `x${j}`);
  return { features, target: "y", rows, x, y, source: `synthetic:${seed}` };
}

const data = { train: part(200, 1), validation: part(40, 2), test: part(0, 3) };

function run(workers: number, spec: Partial<NetworkSpec> = {}, extra: object = {}) {
  const options: NetworkTrainOptions = {
    transform: chain(clipByGlobalNorm({ maxNorm: 1 }), adam({ lr: 0.01 })),
    epochs: 4,
    batchSize: 32,
    seed: 7,
    workers,
    ...extra,
  };
  return trainNetwork({ model: "mlp:16,8:tanh", task: "regress", ...spec }, data, options);
}

/** Resolves once every network worker thread of this process has exited (or fails after 10 s). */
async function allWorkersEnded(): Promise<void> {
  const since = Date.now();
  while (liveNetworkWorkers() > 0) {
    if (Date.now() - since > 10_000) throw new Error(`${liveNetworkWorkers()} threads still live`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe("trainNetwork over worker threads", () => {
  it("2 threads follow 1 thread's run to 1e-12 relative in the loss (no dropout), 28 steps", async () => {
    const one = run(1);
    const two = run(2);
    await allWorkersEnded();
    expect(two.result.steps).toBe(28);
    expect(two.result.history.length).toBe(one.result.history.length);
    for (let e = 0; e < one.result.history.length; e++) {
      const a = one.result.history[e]!.loss;
      const b = two.result.history[e]!.loss;
      expect(Math.abs(b - a) / Math.abs(a)).toBeLessThan(1e-12);
    }
    expect(
      Math.abs(two.result.finalLoss - one.result.finalLoss) / one.result.finalLoss,
    ).toBeLessThan(1e-12);
    // Not merely close: the runs are different computations (summation order).
    expect(bits(two.params).equals(bits(one.params))).toBe(false);
    expect(two.metrics!.validation!.loss).toBeCloseTo(one.metrics!.validation!.loss!, 10);
  });

  it("2 threads are reproducible bit for bit, with dropout (per-thread mask streams)", async () => {
    const a = run(2, { dropout: 0.25 });
    const b = run(2, { dropout: 0.25 });
    const single = run(1, { dropout: 0.25 });
    await allWorkersEnded();
    expect(bits(b.params).equals(bits(a.params))).toBe(true);
    expect(b.result.history.map((h) => h.loss)).toEqual(a.result.history.map((h) => h.loss));
    // The documented difference: part 1 draws its own masks, so the run is another draw.
    expect(Math.abs(a.result.finalLoss - single.result.finalLoss)).toBeGreaterThan(1e-6);
  });

  it("refuses a worker count that is not an integer >= 1, before starting any thread", () => {
    for (const bad of [0, -2, 1.5]) {
      expect(() => run(bad)).toThrow(`trainNetwork: workers must be an integer >= 1, got ${bad}`);
    }
    expect(liveNetworkWorkers()).toBe(0);
  });

  it("ends its worker threads when training ends and when it throws", async () => {
    run(3);
    await allWorkersEnded();
    const failing = () =>
      run(
        3,
        {},
        {
          onEpoch: () => {
            throw new Error("stopped by the test");
          },
        },
      );
    expect(failing).toThrow("stopped by the test");
    await allWorkersEnded();
  });
});
