import { describe, expect, it } from "vitest";
import { blockProblem } from "../../../src/nls/global/block-problem.js";
import {
  blockCovariances,
  createBlockQr,
  factorBlocks,
  solveBlocks,
} from "../../../src/nls/global/block-qr.js";
import { loadCase, R_GLOBAL } from "./global-cases.js";

/** S.alba hill4 with y0 and yinf shared; K, n > 0 (log transform) and y0 in (0, 10) (logistic). */
function salba() {
  const { curve, groups, specs } = loadCase(R_GLOBAL.cases.s_alba_hill4_shared_y0_yinf!);
  const bounded = specs.map((s) => (s.name === "y0" ? { ...s, lower: 0, upper: 10 } : s));
  const starts = groups.map((g) =>
    Float64Array.from(bounded, (s) => (s.shared ? (s.name === "y0" ? 4 : 0.7) : g.start![s.name]!)),
  );
  const bp = blockProblem(curve, groups, bounded, starts);
  return { bp, phi: bp.internal(starts), groups };
}

/** The dense Jacobian over all groups, assembled from the blocks (for the checks only). */
function dense(bp: ReturnType<typeof salba>["bp"], blocks: Float64Array[]): Float64Array {
  const q = bp.qs + bp.ql;
  const out = new Float64Array(bp.nTotal * bp.size);
  let row = 0;
  blocks.forEach((b, g) => {
    const n = bp.groups[g]!.y.length;
    for (let i = 0; i < n; i++, row++) {
      for (let c = 0; c < q; c++) {
        const k = c < bp.ql ? bp.qs + g * bp.ql + c : c - bp.ql;
        out[row * bp.size + k] = b[i * q + c]!;
      }
    }
  });
  return out;
}

/** Solves the symmetric positive definite system A·x = b (Gaussian elimination, test only). */
function solveSpd(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let k = 0; k < p; k++) {
    for (let i = k + 1; i < p; i++) {
      const f = m[i * p + k]! / m[k * p + k]!;
      for (let j = k; j < p; j++) m[i * p + j]! -= f * m[k * p + j]!;
      x[i]! -= f * x[k]!;
    }
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let j = i + 1; j < p; j++) s -= m[i * p + j]! * x[j]!;
    x[i] = s / m[i * p + i]!;
  }
  return x;
}

describe("the block Jacobian", () => {
  it("equals central differences of the residuals in internal coordinates (bounds included), zero outside the blocks", () => {
    const { bp, phi } = salba();
    const r = bp.groups.map((g) => new Float64Array(g.y.length));
    const blocks = bp.groups.map((g) => new Float64Array(g.y.length * (bp.qs + bp.ql)));
    expect(bp.evaluate(phi, r, blocks)).toBe(true);
    const J = dense(bp, blocks);
    const up = bp.groups.map((g) => new Float64Array(g.y.length));
    const down = bp.groups.map((g) => new Float64Array(g.y.length));
    let worst = 0;
    for (let k = 0; k < bp.size; k++) {
      const h = 1e-6 * Math.max(1, Math.abs(phi[k]!));
      const probe = Float64Array.from(phi);
      probe[k] = phi[k]! + h;
      bp.evaluate(probe, up, null);
      probe[k] = phi[k]! - h;
      bp.evaluate(probe, down, null);
      let row = 0;
      up.forEach((u, g) => {
        for (let i = 0; i < u.length; i++, row++) {
          const fd = (u[i]! - down[g]![i]!) / (2 * h);
          const err = Math.abs(fd - J[row * bp.size + k]!) / (1 + Math.abs(fd));
          worst = Math.max(worst, err);
        }
      });
    }
    expect(worst).toBeLessThan(1e-6);
    // Every column is used (no parameter was lost in the layout).
    for (let k = 0; k < bp.size; k++) {
      let s = 0;
      for (let i = 0; i < bp.nTotal; i++) s += J[i * bp.size + k]! ** 2;
      expect(s).toBeGreaterThan(0);
    }
  });

  it("the structured QR step and covariance equal the dense normal-equation solutions", () => {
    const { bp, phi } = salba();
    const r = bp.groups.map((g) => new Float64Array(g.y.length));
    const blocks = bp.groups.map((g) => new Float64Array(g.y.length * (bp.qs + bp.ql)));
    bp.evaluate(phi, r, blocks);
    const J = dense(bp, blocks);
    const rAll = Float64Array.from(r.flatMap((x) => [...x]));
    const p = bp.size;
    const scale = Float64Array.from({ length: p }, (_, k) => 0.5 + k); // any positive D
    const lambda = 0.3;
    const qr = createBlockQr(bp.groups.length, bp.ql, bp.qs, 100);
    factorBlocks(qr, blocks, r, scale, lambda);
    const step = new Float64Array(p);
    solveBlocks(qr, step);
    // (J̃ᵀJ̃ + λI)·p̃ = −J̃ᵀr with J̃ = J·D⁻¹.
    const A = new Float64Array(p * p);
    const b = new Float64Array(p);
    for (let i = 0; i < bp.nTotal; i++) {
      for (let a = 0; a < p; a++) {
        const ja = J[i * p + a]! / scale[a]!;
        b[a]! -= ja * rAll[i]!;
        for (let c = 0; c < p; c++) A[a * p + c]! += (ja * J[i * p + c]!) / scale[c]!;
      }
    }
    const A0 = Float64Array.from(A);
    for (let a = 0; a < p; a++) A[a * p + a]! += lambda;
    const want = solveSpd(A, b, p);
    for (let k = 0; k < p; k++) expect(step[k]).toBeCloseTo(want[k]!, 8);
    // Undamped: (JᵀJ)⁻¹ = D⁻¹(J̃ᵀJ̃)⁻¹D⁻¹, group blocks in [locals | shared] order.
    factorBlocks(qr, blocks, r, scale, 0);
    const cov = blockCovariances(qr, scale);
    const q = bp.qs + bp.ql;
    bp.groups.forEach((_, g) => {
      const global = (c: number) => (c < bp.ql ? bp.qs + g * bp.ql + c : c - bp.ql);
      for (let a = 0; a < q; a++) {
        const e = new Float64Array(p);
        e[global(a)] = 1;
        const col = solveSpd(A0, e, p); // column of (J̃ᵀJ̃)⁻¹
        for (let c = 0; c < q; c++) {
          const ref = col[global(c)]! / (scale[global(a)]! * scale[global(c)]!);
          expect(Math.abs(cov[g]![a * q + c]! - ref)).toBeLessThan(1e-7 * Math.abs(ref) + 1e-12);
        }
      }
    });
  });
});
