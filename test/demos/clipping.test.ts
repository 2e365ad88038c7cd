import { describe, expect, it } from "vitest";
import { readDataset } from "../../src/data/csv.js";
import { CARLSON_HOURS, CARLSON_YEAST } from "../../src/demos/carlson-yeast.js";
import { CLIPPING_DEFAULTS, runClippingDemo, yeastGrowthData } from "../../src/demos/clipping.js";
import { exponentialGrowthModel } from "../../src/demos/growth-model.js";

const all = { order: null, start: 0, end: 8 };

/** The least-squares fit of a·exp(b·t) by Gauss–Newton from the log-linear fit (independent of the trainer). */
function leastSquares(t: Float64Array, y: Float64Array): [number, number] {
  const n = t.length;
  const mt = t.reduce((s, v) => s + v, 0) / n;
  const ly = Array.from(y, Math.log);
  const ml = ly.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (t[i]! - mt) * (ly[i]! - ml);
    sxx += (t[i]! - mt) ** 2;
  }
  let b = sxy / sxx;
  let a = Math.exp(ml - b * mt);
  for (let it = 0; it < 100; it++) {
    // Normal equations JᵀJ δ = −Jᵀr with J = [e, a t e].
    let h11 = 0;
    let h12 = 0;
    let h22 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const e = Math.exp(b * t[i]!);
      const r = a * e - y[i]!;
      const j2 = a * t[i]! * e;
      h11 += e * e;
      h12 += e * j2;
      h22 += j2 * j2;
      g1 += e * r;
      g2 += j2 * r;
    }
    const det = h11 * h22 - h12 * h12;
    a -= (h22 * g1 - h12 * g2) / det;
    b -= (h11 * g2 - h12 * g1) / det;
  }
  return [a, b];
}

describe("the yeast data", () => {
  it("the shipped CSV holds Carlson's numbers, and the demo fits hours 0-7 divided by 100", () => {
    const csv = readDataset("examples/yeast-carlson.csv", { x: ["hour"], y: "yeast" });
    expect(Array.from(csv.x)).toEqual([...CARLSON_HOURS]);
    expect(Array.from(csv.y)).toEqual([...CARLSON_YEAST]);
    const data = yeastGrowthData();
    expect(Array.from(data.t)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(data.y[7]).toBeCloseTo(2.573, 12);
  });
});

describe("exponentialGrowthModel", () => {
  it("its gradient matches central finite differences", () => {
    const { t, y } = yeastGrowthData();
    const model = exponentialGrowthModel(t, y);
    const grad = new Float64Array(2);
    for (const point of [
      [1, 1],
      [0.14, 0.42],
      [-3, -0.5],
    ]) {
      const p = Float64Array.from(point);
      model.lossAndGrad(p, grad, all);
      for (let k = 0; k < 2; k++) {
        const h = 1e-6 * Math.max(1, Math.abs(p[k]!));
        const up = Float64Array.from(p);
        const down = Float64Array.from(p);
        up[k]! += h;
        down[k]! -= h;
        const fd =
          (model.lossAndGrad(up, new Float64Array(2), all) -
            model.lossAndGrad(down, new Float64Array(2), all)) /
          (2 * h);
        expect(Math.abs(grad[k]! - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
      }
    }
  });
});

describe("clipping demonstration: plain gradient descent diverges, clipped converges", () => {
  const { t, y } = yeastGrowthData();
  const [aHat, bHat] = leastSquares(t, y);
  const model = exponentialGrowthModel(t, y);
  const optimum = model.lossAndGrad(Float64Array.of(aHat, bHat), new Float64Array(2), all);
  const clipped = runClippingDemo();
  const plain = runClippingDemo({ clip: null });

  it("the learning rate is stable near the answer: below 2/λmax of the Hessian there", () => {
    // Hessian at the least-squares point by finite differences of the gradient.
    const g = (a: number, b: number) => {
      const out = new Float64Array(2);
      model.lossAndGrad(Float64Array.of(a, b), out, all);
      return out;
    };
    const h = 1e-6;
    const ha = [g(aHat + h, bHat), g(aHat - h, bHat)];
    const hb = [g(aHat, bHat + h), g(aHat, bHat - h)];
    const H11 = (ha[0]![0]! - ha[1]![0]!) / (2 * h);
    const H12 = (hb[0]![0]! - hb[1]![0]!) / (2 * h);
    const H22 = (hb[0]![1]! - hb[1]![1]!) / (2 * h);
    const lmax = (H11 + H22) / 2 + Math.sqrt(((H11 - H22) / 2) ** 2 + H12 * H12);
    expect(lmax).toBeGreaterThan(250);
    expect(CLIPPING_DEFAULTS.lr).toBeLessThan(2 / lmax);
  });

  it("clipped to ±0.1, the run converges to the least-squares fit", () => {
    const { a, b } = clipped.result.named as { a: number; b: number };
    expect(Math.abs(a - aHat) / aHat).toBeLessThan(1e-7);
    expect(Math.abs(b - bHat) / bHat).toBeLessThan(1e-7);
    expect(clipped.result.finalLoss / optimum - 1).toBeLessThan(1e-9);
    // scipy.optimize.curve_fit on the same eight points: MSE 0.00135809117500.
    expect(optimum).toBeCloseTo(0.001358091175, 12);
    // The clip did the work at the start: the first steps were all clipped.
    expect(clipped.result.history.slice(0, 100).every((r) => r.clipFraction === 1)).toBe(true);
    expect(clipped.result.history.every((r) => Number.isFinite(r.loss))).toBe(true);
  });

  it("unclipped, the first step throws b 10^4 away and the run never comes back", () => {
    const history = plain.result.history;
    expect(history[0]!.gradNorm).toBeGreaterThan(1e6);
    const afterOne = runClippingDemo({ clip: null, iterations: 1 }).result.named as { b: number };
    expect(afterOne.b).toBeLessThan(-1e4);
    // The loss rises at the first step, and never again gets below the floor of a curve that is
    // zero after hour 0: (1/n) Σ_{t≥1} y² — 700 times the least-squares MSE.
    expect(history[1]!.loss).toBeGreaterThan(history[0]!.loss);
    let floor = 0;
    for (let i = 1; i < y.length; i++) floor += y[i]! ** 2;
    floor /= y.length;
    expect(floor / optimum).toBeGreaterThan(700);
    expect(Math.min(...history.map((r) => r.loss))).toBeGreaterThan(floor);
    expect(plain.result.finalLoss / clipped.result.finalLoss).toBeGreaterThan(1e5);
    const { b } = plain.result.named as { b: number };
    expect(b).toBeLessThan(-1e4);
  });

  it("the same unclipped descent from a start near the answer converges: the divergence is the start's", () => {
    const near = runClippingDemo({ clip: null, start: [0.1, 0.45] });
    const { a, b } = near.result.named as { a: number; b: number };
    expect(Math.abs(a - aHat) / aHat).toBeLessThan(1e-6);
    expect(Math.abs(b - bHat) / bHat).toBeLessThan(1e-6);
  });
});
