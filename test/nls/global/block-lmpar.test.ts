import { describe, expect, it } from "vitest";
import { blockStep, solveTransposed } from "../../../src/nls/global/block-lmpar.js";
import { blockProblem } from "../../../src/nls/global/block-problem.js";
import { createBlockQr, factorBlocks } from "../../../src/nls/global/block-qr.js";
import { loadCase, R_GLOBAL } from "./global-cases.js";

/** S.alba hill4 with y0 and yinf shared, at the groups' starts: r, J and the dense J̃ᵀJ̃, −J̃ᵀr. */
function salba() {
  const { curve, groups, specs } = loadCase(R_GLOBAL.cases.s_alba_hill4_shared_y0_yinf!);
  const starts = groups.map((g) =>
    Float64Array.from(specs, (s) => (s.shared ? (s.name === "y0" ? 4 : 0.7) : g.start![s.name]!)),
  );
  const bp = blockProblem(curve, groups, specs, starts);
  const q = bp.qs + bp.ql;
  const p = bp.size;
  const r = groups.map((g) => new Float64Array(g.y.length));
  const blocks = groups.map((g) => new Float64Array(g.y.length * q));
  bp.evaluate(bp.internal(starts), r, blocks);
  const scale = Float64Array.from({ length: p }, (_, k) => 0.5 + k); // any positive D
  const A = new Float64Array(p * p);
  const b = new Float64Array(p);
  blocks.forEach((block, g) => {
    const col = (c: number) => (c < bp.ql ? bp.qs + g * bp.ql + c : c - bp.ql);
    for (let i = 0; i < r[g]!.length; i++) {
      for (let c = 0; c < q; c++) {
        const a = col(c);
        const ja = block[i * q + c]! / scale[a]!;
        b[a]! -= ja * r[g]![i]!;
        for (let d = 0; d < q; d++) A[a * p + col(d)]! += (ja * block[i * q + d]!) / scale[col(d)]!;
      }
    }
  });
  const qr = createBlockQr(groups.length, bp.ql, bp.qs, 100);
  return { bp, r, blocks, scale, A, b, p, qr };
}

/** (A + λI)⁻¹·b by Gaussian elimination (A symmetric positive definite; test only). */
function solve(A: Float64Array, lambda: number, b: Float64Array, p: number): Float64Array {
  const m = Float64Array.from(A);
  for (let k = 0; k < p; k++) m[k * p + k]! += lambda;
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

const norm = (x: Float64Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0));

describe("the block trust-region step (lmpar)", () => {
  it("‖R⁻ᵀx‖² of the structured factor equals xᵀ(J̃ᵀJ̃ + λI)⁻¹x from the dense matrix", () => {
    const { r, blocks, scale, A, p, qr } = salba();
    for (const lambda of [0, 0.05, 3]) {
      factorBlocks(qr, blocks, r, scale, lambda);
      const x = Float64Array.from({ length: p }, (_, k) => Math.sin(k + 1));
      const want = solve(A, lambda, x, p).reduce((s, v, k) => s + v * x[k]!, 0);
      const got = solveTransposed(qr, Float64Array.from(x));
      expect(Math.abs(got - want) / want).toBeLessThan(1e-9);
    }
  });

  it("takes the Gauss–Newton step inside the radius, else the damped step of length Δ ± 10 %", () => {
    const { r, blocks, scale, A, b, p, qr } = salba();
    const gn = solve(A, 0, b, p);
    const gnorm = norm(b);
    const step = new Float64Array(p);
    const work = new Float64Array(p);
    const wide = blockStep(qr, blocks, r, scale, 2 * norm(gn), 0, gnorm, step, work);
    expect(wide.lambda).toBe(0);
    for (let k = 0; k < p; k++) expect(step[k]).toBeCloseTo(gn[k]!, 8);
    for (const fraction of [0.5, 0.05, 1e-4]) {
      const delta = fraction * norm(gn);
      const s = blockStep(qr, blocks, r, scale, delta, 0, gnorm, step, work);
      expect(s.lambda).toBeGreaterThan(0);
      expect(Math.abs(s.pnorm - delta)).toBeLessThanOrEqual(0.1 * delta);
      expect(norm(step)).toBeCloseTo(s.pnorm, 12);
      // The step is the damped solution for the λ returned: (J̃ᵀJ̃ + λI)·p̃ = −J̃ᵀr.
      const want = solve(A, s.lambda, b, p);
      for (let k = 0; k < p; k++)
        expect(Math.abs(step[k]! - want[k]!)).toBeLessThan(1e-8 * norm(want));
    }
  });
});
