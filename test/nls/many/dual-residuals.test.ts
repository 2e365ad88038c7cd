import { describe, expect, it } from "vitest";
import { findModel } from "../../../src/nls/library/index.js";
import { CurveRows } from "../../../src/nls/many/curve-rows.js";
import { libraryFitterModel } from "../../../src/nls/many/index.js";
import {
  curvatureFor,
  type DualEvaluate,
  dualOfKernel,
  kernelFor,
} from "../../../src/nls/many/kernels.js";
import { createIrlsWorkspace, robustIrls } from "../../../src/nls/many/robust-irls.js";

// The robust fit evaluates each trial once with the dual kernel (both of the 4PL kernel's
// branches) and the 4PL rows' residuals and curvature take unrolled paths: each must give the
// bits of the calls it replaces, or the robust θ — and so the outlier flags — could move.

const curve = libraryFitterModel(findModel("4pl")!).curve;
const same = (a: ArrayLike<number>, b: ArrayLike<number>, n: number) => {
  for (let i = 0; i < n; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
};

function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

/** A 4PL curve of 8 concentrations × 3 replicates with noise and, sometimes, an outlier. */
function curveData(rand: () => number) {
  const theta = [10 * rand(), 80 + 40 * rand(), -8 + 2 * rand(), (rand() < 0.5 ? -1 : 1) * 2];
  const x = new Float64Array(24);
  const y = new Float64Array(24);
  for (let i = 0; i < 24; i++) {
    x[i] = -9 + 0.5 * Math.floor(i / 3);
    const f = theta[0]! + (theta[1]! - theta[0]!) / (1 + 10 ** ((theta[2]! - x[i]!) * theta[3]!));
    y[i] = f + 5 * (rand() + rand() + rand() - 1.5);
  }
  if (rand() < 0.5) y[Math.floor(24 * rand())]! += 40 * (rand() - 0.5);
  return { theta: Float64Array.from(theta), x, y };
}

function rowsOf(x: Float64Array, y: Float64Array, weights: Float64Array | null) {
  const rows = new CurveRows(
    curve,
    32,
    Int32Array.of(0, 1, 2, 3),
    new Uint8Array(4),
    new Float64Array(4),
  );
  rows.load([x], y, weights, 0, y.length);
  return rows;
}

describe("dual residuals", () => {
  it("the dual kernel belongs to the 4PL kernel only", () => {
    expect(dualOfKernel(kernelFor("4pl")!)).not.toBeNull();
    expect(dualOfKernel(() => {})).toBeNull();
  });

  it("are residuals(φ, ·, null) and residuals(φ, ·, J) bit for bit, weighted or not", () => {
    const rand = random(11);
    const dual = dualOfKernel(curve.evaluate) as DualEvaluate;
    for (let trial = 0; trial < 200; trial++) {
      const { theta, x, y } = curveData(rand);
      const weights = trial % 2 === 0 ? null : y.map(() => 0.5 + rand());
      const rows = rowsOf(x, y, weights);
      rows.dualKernel = dual;
      const phi = new Float64Array(4);
      rows.toInternal(theta, phi);
      for (let k = 0; k < 4; k++) phi[k] = phi[k]! * (1 + 0.1 * (rand() - 0.5));
      const plain = new Float64Array(24);
      const r = new Float64Array(24);
      const jac = new Float64Array(96);
      expect(rows.residualsDual(phi, plain, r, jac)).toBe(true);
      const plain2 = new Float64Array(24);
      const r2 = new Float64Array(24);
      const jac2 = new Float64Array(96);
      rows.residuals(phi, plain2, null);
      rows.residuals(phi, r2, jac2);
      expect(same(plain, plain2, 24) && same(r, r2, 24) && same(jac, jac2, 96)).toBe(true);
      // The unrolled 4-parameter path: r = s·(y − f), J = −s·∂f·chain, from the kernel's own
      // values (chain = the scales θ/φ, as toInternal set them).
      const f = new Float64Array(24);
      const df = new Float64Array(96);
      curve.evaluate(rows.theta, [x], 24, f, df);
      for (let i = 0; i < 24; i++) {
        const s = weights === null ? 1 : Math.sqrt(weights[i]!);
        expect(Object.is(r2[i], s * (y[i]! - f[i]!))).toBe(true);
        for (let k = 0; k < 4; k++) {
          const chain = Math.abs(theta[k]!) > 0 ? Math.abs(theta[k]!) : 1;
          expect(Object.is(jac2[4 * i + k], -s * df[4 * i + k]! * chain)).toBe(true);
        }
      }
      // The curvature (every parameter free: the unrolled index path).
      rows.curvatureKernel = curvatureFor("4pl");
      const out = new Float64Array(16);
      expect(rows.curvature(phi, r2, out)).toBe(true);
      const c = r2.map((v, i) => v * (weights === null ? 1 : Math.sqrt(weights[i]!)));
      const h = new Float64Array(16);
      curvatureFor("4pl")!(rows.theta, [x], 24, c, h);
      for (let j = 0; j < 4; j++) {
        for (let k = 0; k < 4; k++) {
          const sj = Math.abs(theta[j]!) || 1;
          const sk = Math.abs(theta[k]!) || 1;
          expect(Object.is(out[4 * j + k], -sj * sk * h[4 * j + k]!)).toBe(true);
        }
      }
    }
  });

  it("leave the robust fit's estimate unchanged to the bit", () => {
    const rand = random(23);
    let moved = 0;
    for (let trial = 0; trial < 300; trial++) {
      const { theta, x, y } = curveData(rand);
      const start = theta.map((v) => v * (1 + 0.02 * (rand() - 0.5)));
      const c = 3 + 5 * rand();
      const results = [true, false].map((withDual) => {
        const rows = rowsOf(x, y, null);
        rows.curvatureKernel = curvatureFor("4pl");
        rows.dualKernel = withDual ? dualOfKernel(curve.evaluate) : null;
        const estimate = Float64Array.from(start);
        const ok = robustIrls(rows, createIrlsWorkspace(32, 4, 4), estimate, c);
        return { ok, estimate };
      });
      expect(results[0]!.ok).toBe(results[1]!.ok);
      expect(same(results[0]!.estimate, results[1]!.estimate, 4)).toBe(true);
      if (!same(results[0]!.estimate, start, 4)) moved++;
    }
    // Not vacuous: the fits moved from their starts.
    expect(moved).toBeGreaterThan(250);
  });
});
