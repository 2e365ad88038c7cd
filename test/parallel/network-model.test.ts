import { afterAll, describe, expect, it } from "vitest";
import type { RowRange } from "../../src/core/model.js";
import { createRng } from "../../src/core/rng.js";
import type { NetData } from "../../src/nn/index.js";
import { type NetworkBuild, networkFromBuild } from "../../src/parallel/network-build.js";
import {
  type ParallelNetworkModel,
  parallelNetworkModel,
} from "../../src/parallel/network-model.js";

// The worker threads run the compiled modules (dist/): `npx tsc -p tsconfig.build.json` first
// (npm test does). The one-thread network is the reference: its gradient is checked against
// finite differences in test/nn.

const P = 6;

function dataset(n: number, classes: number, seed: number): NetData {
  const rng = createRng(seed);
  const x = new Float64Array(n * P).map(() => rng.normal());
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = x[i * P]! * 1.5 - x[i * P + 1]! + Math.sin(3 * x[i * P + 2]!) + 0.2 * rng.normal();
    y[i] = classes === 0 ? s : Math.min(classes - 1, Math.max(0, Math.floor(s + classes / 2)));
  }
  return { features: Array.from({ length: P }, (_, j) => `x${j}`), rows: n, x, y };
}

function shuffled(n: number, seed: number): Uint32Array {
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  const rng = createRng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

const open: ParallelNetworkModel[] = [];
afterAll(async () => {
  await Promise.all(open.map((m) => m.close()));
});

/** Loss and gradient of the one-thread network and of the same network over `workers` threads. */
function both(build: NetworkBuild, data: NetData, workers: number, ranges: RowRange[]) {
  const one = networkFromBuild(build, data);
  const many = parallelNetworkModel(build, data, workers);
  open.push(many);
  const params = new Float64Array(one.layout.size);
  one.init(params, createRng(11));
  return ranges.map((range) => {
    const g1 = new Float64Array(params.length);
    const gN = new Float64Array(params.length).fill(Number.NaN); // overwritten, never added to
    const l1 = one.lossAndGrad(params, g1, range);
    const lN = many.lossAndGrad(params, gN, range);
    return { l1, lN, g1, gN };
  });
}

/** max |a − b| over max |a|: the gradient's difference relative to its size. */
function relativeGap(a: Float64Array, b: Float64Array): number {
  let gap = 0;
  let size = 0;
  for (let i = 0; i < a.length; i++) {
    gap = Math.max(gap, Math.abs(a[i]! - b[i]!));
    size = Math.max(size, Math.abs(a[i]!));
  }
  return gap / size;
}

const mlp = (task: "regress" | "classify", extra: object = {}): NetworkBuild => ({
  kind: "mlp",
  options: { spec: "mlp:12,8:tanh", task, ...extra },
});

describe("parallelNetworkModel", () => {
  const n = 97; // odd, so the parts differ in size
  const order = shuffled(n, 5);
  const ranges: RowRange[] = [
    { order: null, start: 0, end: n },
    { order: null, start: 10, end: 43 },
    { order, start: 32, end: 64 },
  ];

  it("with one part is the network itself, bit for bit (dropout included)", () => {
    const data = dataset(n, 0, 1);
    for (const r of both(mlp("regress", { dropout: 0.3, seed: 4 }), data, 1, ranges)) {
      expect(r.lN).toBe(r.l1);
      expect(Array.from(r.gN)).toEqual(Array.from(r.g1));
    }
  });

  it.each([
    ["regression (mse)", mlp("regress"), 0],
    ["regression (huber)", mlp("regress", { loss: "huber" }), 0],
    ["binary with class weights", mlp("classify", { classWeights: [0.3, 2] }), 2],
    ["3 classes with class weights", mlp("classify", { classWeights: [1, 0.5, 3] }), 3],
    ["logistic regression", { kind: "logistic", options: { classes: 3 } } as NetworkBuild, 3],
  ])("%s over 2 and 3 threads equals one thread up to summation order", (_, build, classes) => {
    const data = dataset(n, classes, 2);
    for (const workers of [2, 3]) {
      for (const r of both(build, data, workers, ranges)) {
        expect(Math.abs(r.lN - r.l1) / Math.abs(r.l1)).toBeLessThan(1e-14);
        expect(relativeGap(r.g1, r.gN)).toBeLessThan(1e-13);
      }
    }
  });

  it("handles batches with fewer rows than threads, and parts whose rows all weigh 0", () => {
    const data = dataset(n, 2, 3);
    const zeros = Array.from(order).filter((i) => data.y[i] === 0);
    const ones = Array.from(order).filter((i) => data.y[i] === 1);
    // Part 0 of 3 gets only label-0 rows (weight 0), the other parts a mix.
    const mixed = Uint32Array.from([
      ...zeros.slice(0, 4),
      ...ones.slice(0, 5),
      ...zeros.slice(4, 7),
    ]);
    const build = mlp("classify", { classWeights: [0, 1] });
    const cases: RowRange[] = [
      { order: Uint32Array.from(ones.slice(0, 1)), start: 0, end: 1 },
      { order: Uint32Array.from([zeros[0]!, ones[0]!]), start: 0, end: 2 },
      { order: mixed, start: 0, end: mixed.length },
    ];
    for (const r of both(build, data, 3, cases)) {
      expect(Math.abs(r.lN - r.l1) / Math.abs(r.l1)).toBeLessThan(1e-14);
      expect(relativeGap(r.g1, r.gN)).toBeLessThan(1e-13);
    }
  });

  it("gives loss 0 and gradient 0, as one thread does, for a batch whose rows all weigh 0", () => {
    const data = dataset(n, 2, 3);
    const zeros = Uint32Array.from(
      Array.from(order)
        .filter((i) => data.y[i] === 0)
        .slice(0, 6),
    );
    const [r] = both(mlp("classify", { classWeights: [0, 1] }), data, 2, [
      { order: zeros, start: 0, end: zeros.length },
    ]);
    expect(r!.l1).toBe(0);
    expect(r!.lN).toBe(0);
    expect(r!.g1.every((g) => g === 0)).toBe(true);
    expect(r!.gN.every((g) => g === 0)).toBe(true);
  });

  it("refuses a worker count that is not an integer >= 1", () => {
    const data = dataset(8, 0, 1);
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => parallelNetworkModel(mlp("regress"), data, bad)).toThrow(
        `parallelNetworkModel: workers must be an integer >= 1, got ${bad}`,
      );
    }
  });
});
