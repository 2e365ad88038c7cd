import { describe, expect, it } from "vitest";
import { compileFormula } from "../../../src/formula/compile.js";
import { findModel } from "../../../src/nls/library/index.js";
import { logisticLink, sigmoidStart } from "../../../src/nls/library/sigmoid.js";
import { sortedXY } from "../../../src/nls/library/stats.js";
import { CurveRows } from "../../../src/nls/many/curve-rows.js";
import { fitCurveChunk } from "../../../src/nls/many/fit-chunk.js";
import { createCurveFitter, libraryFitterModel } from "../../../src/nls/many/index.js";
import { curvatureFor, kernelFor, rangeFor } from "../../../src/nls/many/kernels.js";
import { halton, multistartPoint } from "../../../src/nls/many/multistart.js";
import { hasPole } from "../../../src/nls/many/pole.js";
import {
  averageReplicates,
  createSigmoidWorkspace,
  logisticStart,
  quickLogisticStart,
} from "../../../src/nls/many/sigmoid-start.js";

/** A small seeded generator (mulberry32) for the simulated curves. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function curve4pl(seed: number) {
  const r = rng(seed);
  const truth = [10 * r(), 90 + 20 * r(), -8 + 1.5 * r(), -(0.7 + 1.1 * r())];
  const x: number[] = [];
  const y: number[] = [];
  for (let k = 0; k < 8; k++) {
    for (let rep = 0; rep < 3; rep++) {
      const xi = -9 + 0.5 * k;
      const f = truth[0]! + (truth[1]! - truth[0]!) / (1 + 10 ** ((truth[2]! - xi) * truth[3]!));
      x.push(xi);
      y.push(f + 10 * (r() - 0.5));
    }
  }
  // Shuffled rows: the start must not rely on sorted input.
  const order = x.map((_, i) => i).sort((i, j) => Math.sin(i * 7 + seed) - Math.sin(j * 7 + seed));
  return {
    x: Float64Array.from(order, (i) => x[i]!),
    y: Float64Array.from(order, (i) => y[i]!),
    truth,
  };
}

describe("4PL kernel", () => {
  const model = findModel("4pl")!;
  const compiled = compileFormula(model.formula, {
    params: model.params,
    variables: model.variables,
  });
  const kernel = kernelFor("4pl")!;

  it("equals the compiled formula's values and partials (to 1e-13 of their scale)", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { x, truth } = curve4pl(seed);
      const theta = Float64Array.from(truth);
      const n = x.length;
      const [f1, f2] = [new Float64Array(n), new Float64Array(n)];
      const [j1, j2] = [new Float64Array(4 * n), new Float64Array(4 * n)];
      compiled.evaluate(theta, [x], n, f1, j1);
      kernel(theta, [x], n, f2, j2);
      for (let i = 0; i < n; i++)
        expect(Math.abs(f1[i]! - f2[i]!)).toBeLessThanOrEqual(1e-13 * 110);
      for (let i = 0; i < 4 * n; i++) {
        const scale = i % 4 < 2 ? 1 : 300;
        expect(Math.abs(j1[i]! - j2[i]!)).toBeLessThanOrEqual(1e-13 * scale);
      }
      kernel(theta, [x], n, f2, null);
      for (let i = 0; i < n; i++)
        expect(Math.abs(f1[i]! - f2[i]!)).toBeLessThanOrEqual(1e-13 * 110);
    }
  });
});

describe("4PL curvature kernel", () => {
  it("equals central differences of the kernel's Jacobian, weighted (Σ c_i ∇²f_i)", () => {
    const kernel = kernelFor("4pl")!;
    const curvature = curvatureFor("4pl")!;
    for (let seed = 1; seed <= 20; seed++) {
      const { x, truth } = curve4pl(seed);
      const n = x.length;
      const c = Float64Array.from({ length: n }, (_, i) => Math.sin(seed + 3 * i));
      const out = new Float64Array(16);
      curvature(Float64Array.from(truth), [x], n, c, out);
      const f = new Float64Array(n);
      const [jp, jm] = [new Float64Array(4 * n), new Float64Array(4 * n)];
      for (let k = 0; k < 4; k++) {
        const h = 1e-5 * Math.max(1, Math.abs(truth[k]!));
        const plus = Float64Array.from(truth);
        const minus = Float64Array.from(truth);
        plus[k]! += h;
        minus[k]! -= h;
        kernel(plus, [x], n, f, jp);
        kernel(minus, [x], n, f, jm);
        for (let j = 0; j < 4; j++) {
          let fd = 0;
          for (let i = 0; i < n; i++) fd += (c[i]! * (jp[i * 4 + j]! - jm[i * 4 + j]!)) / (2 * h);
          expect(Math.abs(out[j * 4 + k]! - fd)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(fd)));
          expect(out[j * 4 + k]).toBe(out[k * 4 + j]);
        }
      }
    }
  });
});

describe("4PL curvature after a Jacobian (the kernel's exponentials reused)", () => {
  it("is bit for bit the curvature computed afresh, and never reuses another point's or x's", () => {
    const kernel = kernelFor("4pl")!;
    const curvature = curvatureFor("4pl")!;
    for (let seed = 1; seed <= 10; seed++) {
      const { x, truth } = curve4pl(seed);
      const n = x.length;
      const theta = Float64Array.from(truth);
      const c = Float64Array.from({ length: n }, (_, i) => Math.cos(seed + 2 * i));
      const fresh = new Float64Array(16);
      const after = new Float64Array(16);
      const f = new Float64Array(n);
      const jac = new Float64Array(4 * n);
      // Afresh: the kernel's last Jacobian was at another point.
      kernel(Float64Array.from([0, 1, 0, 1]), [x], n, f, jac);
      curvature(theta, [x], n, c, fresh);
      kernel(theta, [x], n, f, jac);
      curvature(theta, [x], n, c, after);
      expect(Array.from(after)).toEqual(Array.from(fresh));
      // Same θ, other x (a buffer reloaded with the next curve): computed for the new x.
      const shifted = Float64Array.from(x, (v) => v + 0.25);
      const other = new Float64Array(16);
      curvature(theta, [shifted], n, c, other);
      kernel(Float64Array.from([0, 1, 0, 1]), [x], n, f, jac);
      const otherFresh = new Float64Array(16);
      curvature(theta, [shifted], n, c, otherFresh);
      expect(Array.from(other)).toEqual(Array.from(otherFresh));
      expect(other[10]).not.toBe(after[10]);
    }
  });
});

describe("allocation-free logistic start", () => {
  it("is the library's padded sigmoid start on the replicate means, to the last bit", () => {
    const ws = createSigmoidWorkspace(64);
    for (let seed = 1; seed <= 30; seed++) {
      const { x, y } = curve4pl(seed);
      const m = averageReplicates(ws, x, y, x.length);
      const xy = sortedXY(x, y);
      expect(Array.from(ws.t.subarray(0, m))).toEqual(Array.from(xy.x));
      expect(Array.from(ws.y.subarray(0, m))).toEqual(Array.from(xy.y));
      expect(logisticStart(ws)).toBe(true);
      const ref = sigmoidStart(xy.x, xy.y, logisticLink, undefined, [0.03, 0.12, 0.5])!;
      expect([ws.bottom, ws.top, ws.c0, ws.c1, ws.rss]).toEqual([
        ref.bottom,
        ref.top,
        ref.c0,
        ref.c1,
        ref.rss,
      ]);
    }
  });

  it("quick: the tightest padding alone on a clean sigmoid, to the last bit", () => {
    const ws = createSigmoidWorkspace(64);
    for (let seed = 1; seed <= 30; seed++) {
      const { x, y } = curve4pl(seed);
      averageReplicates(ws, x, y, x.length);
      const xy = sortedXY(x, y);
      expect(quickLogisticStart(ws)).toBe(true);
      const ref = sigmoidStart(xy.x, xy.y, logisticLink, undefined, [0.03])!;
      expect([ws.bottom, ws.top, ws.c0, ws.c1, ws.rss]).toEqual([
        ref.bottom,
        ref.top,
        ref.c0,
        ref.c1,
        ref.rss,
      ]);
    }
  });

  it("quick: the whole grid when the tightest padding leaves over 10 % of the spread", () => {
    const ws = createSigmoidWorkspace(64);
    // A peak, not a sigmoid: no logistic explains 90 % of it.
    const x = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const y = Float64Array.from([0, 10, 30, 60, 90, 60, 30, 10]);
    averageReplicates(ws, x, y, x.length);
    expect(quickLogisticStart(ws)).toBe(true);
    const ref = sigmoidStart(x, y, logisticLink, undefined, [0.03, 0.12, 0.5])!;
    const tight = sigmoidStart(x, y, logisticLink, undefined, [0.03])!;
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    const spread = y.reduce((a, b) => a + (b - mean) ** 2, 0);
    expect(tight.rss).toBeGreaterThan(0.1 * spread);
    expect(ref.rss).toBeLessThan(tight.rss);
    expect([ws.bottom, ws.top, ws.c0, ws.c1, ws.rss]).toEqual([
      ref.bottom,
      ref.top,
      ref.c0,
      ref.c1,
      ref.rss,
    ]);
  });

  it("refuses constant responses", () => {
    const ws = createSigmoidWorkspace(8);
    averageReplicates(ws, Float64Array.from([1, 2, 3]), Float64Array.from([5, 5, 5]), 3);
    expect(logisticStart(ws)).toBe(false);
  });
});

describe("fast 4PL path on simulated curves", () => {
  it("every curve converges, from the first start, near the truth, in few iterations", () => {
    const fitter = createCurveFitter(libraryFitterModel(findModel("4pl")!), { maxRows: 32 });
    const iterations: number[] = [];
    for (let seed = 1; seed <= 200; seed++) {
      const { x, y, truth } = curve4pl(seed);
      const r = fitter.fit([x], y, null);
      expect(r.converged).toBe(true);
      expect(r.starts).toBe(1);
      expect(r.startKind).toBe("self-start");
      expect(Math.abs(r.theta[2]! - truth[2]!)).toBeLessThan(0.3);
      iterations.push(r.iterations);
    }
    iterations.sort((a, b) => a - b);
    expect(iterations[100]).toBeLessThanOrEqual(10);
  });
});

describe("pole check", () => {
  const curve = compileFormula("a / (x - b)", { params: ["a", "b"], variables: ["x"] });
  const rows = new CurveRows(
    curve,
    16,
    Int32Array.from([0, 1]),
    new Uint8Array(2),
    new Float64Array(2),
  );
  const x = Float64Array.from([1, 2, 3, 4, 5]);
  rows.load([x], Float64Array.from([1, 0.5, 0.33, 0.25, 0.2]), null, 0, 5);
  const ws = createSigmoidWorkspace(16);
  // The fitter averages each curve's replicates once; the check reads its distinct x.
  averageReplicates(ws, x, rows.y, 5);
  const at = (a: number, b: number) => {
    rows.theta.set([a, b]);
    return hasPole(rows, ws, [new Float64Array(32)], new Float64Array(32));
  };

  it("finds a denominator crossing zero between the data, not one outside them", () => {
    expect(at(1, 2.5)).toBe(true);
    expect(at(1, 0)).toBe(false);
    expect(at(1, 6)).toBe(false);
  });
});

describe("pole check of a model with a value range (4PL)", () => {
  let evaluations = 0;
  const model = findModel("4pl")!;
  const kernel = kernelFor("4pl")!;
  const counted = {
    params: model.params,
    variables: model.variables,
    evaluate: ((...args: Parameters<typeof kernel>) => {
      evaluations++;
      kernel(...args);
    }) as typeof kernel,
  };
  const rows = new CurveRows(
    counted,
    16,
    Int32Array.from([0, 1, 2, 3]),
    new Uint8Array(4),
    new Float64Array(4),
  );
  const x = Float64Array.from([-9, -8, -7, -6, -5]);
  rows.load([x], Float64Array.from([98, 90, 50, 10, 2]), null, 0, 5);
  const ws = createSigmoidWorkspace(16);
  averageReplicates(ws, x, rows.y, 5);
  const check = (theta: number[]) => {
    rows.theta.set(theta);
    evaluations = 0;
    return hasPole(rows, ws, [new Float64Array(32)], new Float64Array(32), rangeFor("4pl"));
  };

  it("is false without evaluating the curve when both plateaus are within reach", () => {
    expect(check([0, 100, -7, -1])).toBe(false);
    expect(check([-5000, 9000, -7, -1])).toBe(false);
    expect(evaluations).toBe(0);
  });

  it("evaluates the curve when a plateau is out of reach, and finds it between the data", () => {
    // Top at 10⁶ reached only between x = −9 and −8 (a step there): out of reach within the data.
    expect(check([0, 1e6, -8.5, -30])).toBe(true);
    expect(evaluations).toBe(1);
    // Top at 10⁶ but reached only far outside the data: evaluated, no pole.
    expect(check([0, 1e6, 3, 1])).toBe(false);
    expect(evaluations).toBe(1);
  });
});

describe("multistart points", () => {
  it("are the Halton sequence scaled around the anchor; fixed entries kept", () => {
    expect(halton(1, 2)).toBe(0.5);
    expect(halton(2, 3)).toBeCloseTo(2 / 3, 15);
    const out = new Float64Array(3);
    multistartPoint(Float64Array.from([2, 7, 0]), [0, 2], Uint8Array.from([1, 0]), 0, out);
    // k = 0: u = 2·0.5 − 1 = 0 for the first (log) parameter, 2·(1/3) − 1 for the second.
    expect(out[0]).toBe(2);
    expect(out[1]).toBe(7);
    expect(out[2]).toBeCloseTo(2 * (2 / 3 - 1), 15);
  });
});

describe("fitCurveChunk (the worker job)", () => {
  it("equals the fitter curve by curve", () => {
    const curves = [1, 2, 3, 4, 5].map(curve4pl);
    const x = Float64Array.from(curves.flatMap((c) => Array.from(c.x)));
    const y = Float64Array.from(curves.flatMap((c) => Array.from(c.y)));
    const offsets = Int32Array.from([0, 24, 48, 72, 96, 120]);
    const chunk = fitCurveChunk({ model: "4pl", columns: [x], y, weights: null, offsets });
    expect(chunk.params).toEqual(["bottom", "top", "logEC50", "hill"]);
    const fitter = createCurveFitter(libraryFitterModel(findModel("4pl")!), { maxRows: 32 });
    curves.forEach((c, g) => {
      const r = fitter.fit([c.x], c.y, null);
      expect(Array.from(chunk.theta.subarray(4 * g, 4 * g + 4))).toEqual(Array.from(r.theta));
      expect(chunk.rss[g]).toBe(r.rss);
      expect(chunk.converged[g]).toBe(1);
      expect(chunk.starts[g]).toBe(1);
      expect(chunk.reason[g]).toBeNull();
    });
  });

  it("names an unknown model", () => {
    expect(() =>
      fitCurveChunk({
        model: "nope",
        columns: [new Float64Array(2)],
        y: new Float64Array(2),
        weights: null,
        offsets: Int32Array.from([0, 2]),
      }),
    ).toThrow('fit: unknown model "nope"');
  });
});
