import { describe, expect, test } from "vitest";
import { createQrWorkspace, qrPivoted } from "../../../src/linalg/householder-qr.js";
import { createSvdWorkspace, svd } from "../../../src/linalg/svd.js";
import { lcg } from "../../helpers/float.js";

/** Small dense linear algebra of src/linalg (tested here: it serves the NLS solver and stats). */

function randomMatrix(m: number, n: number, seed: number): Float64Array {
  const u = lcg(seed);
  return Float64Array.from({ length: m * n }, () => 2 * u() - 1);
}

/** A·x for row-major A (m×n). */
function matVec(a: Float64Array, m: number, n: number, x: ArrayLike<number>): Float64Array {
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) y[i]! += a[i * n + j]! * x[j]!;
  return y;
}

const norm = (x: ArrayLike<number>) => Math.sqrt(Array.from(x).reduce((s, v) => s + v * v, 0));

/** Orthogonal Householder matrix I − 2vvᵀ/vᵀv, row-major k×k. */
function householder(k: number, seed: number): Float64Array {
  const v = randomMatrix(k, 1, seed);
  const vv = norm(v) ** 2;
  const h = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) h[i * k + j] = (i === j ? 1 : 0) - (2 * v[i]! * v[j]!) / vv;
  return h;
}

function matMul(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let l = 0; l < k; l++)
      for (let j = 0; j < n; j++) c[i * n + j]! += a[i * k + l]! * b[l * n + j]!;
  return c;
}

describe("qrPivoted", () => {
  test("RᵀR = (AP)ᵀ(AP), |R_kk| non-increasing, Qᵀ keeps ‖b‖, and R x = Qᵀb solves least squares", () => {
    const m = 9;
    const n = 4;
    const a = randomMatrix(m, n, 3);
    const b = randomMatrix(m, 1, 4);
    const qa = Float64Array.from(a);
    const qb = Float64Array.from(b);
    const ws = createQrWorkspace(m, n);
    qrPivoted(qa, ws, qb);
    const perm = Array.from(ws.perm);
    expect([...perm].sort()).toEqual([0, 1, 2, 3]);
    for (let k = 1; k < n; k++)
      expect(Math.abs(qa[k * n + k]!)).toBeLessThanOrEqual(Math.abs(qa[(k - 1) * n + k - 1]!));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let rr = 0;
        for (let k = 0; k <= Math.min(i, j); k++) rr += qa[k * n + i]! * qa[k * n + j]!;
        let aa = 0;
        for (let r = 0; r < m; r++) aa += a[r * n + perm[i]!]! * a[r * n + perm[j]!]!;
        expect(rr).toBeCloseTo(aa, 12);
      }
    }
    expect(norm(qb)).toBeCloseTo(norm(b), 13);
    // Back-substitution, then the normal equations' residual Aᵀ(Ax − b) must vanish.
    const z = new Float64Array(n);
    for (let k = n - 1; k >= 0; k--) {
      let s = qb[k]!;
      for (let j = k + 1; j < n; j++) s -= qa[k * n + j]! * z[j]!;
      z[k] = s / qa[k * n + k]!;
    }
    const x = new Float64Array(n);
    for (let k = 0; k < n; k++) x[perm[k]!] = z[k]!;
    const r = matVec(a, m, n, x).map((v, i) => v - b[i]!);
    for (let j = 0; j < n; j++) {
      let g = 0;
      for (let i = 0; i < m; i++) g += a[i * n + j]! * r[i]!;
      expect(Math.abs(g)).toBeLessThan(1e-13);
    }
  });
});

describe("svd (pivoted QR + one-sided Jacobi)", () => {
  test("recovers prescribed singular values of H₁·diag(s)·H₂ to rounding of σ_max", () => {
    const m = 7;
    const n = 5;
    const s = [3, 1e-3, 2, 1e-9, 0.5];
    const d = new Float64Array(m * n);
    s.forEach((v, k) => {
      d[k * n + k] = v;
    });
    const a = matMul(matMul(householder(m, 11), d, m, m, n), householder(n, 12), m, n, n);
    const ws = createSvdWorkspace(m, n);
    ws.a.set(a);
    expect(svd(ws, false)).toBe(true);
    const sorted = [...s].sort((x, y) => y - x);
    for (let k = 0; k < n; k++) expect(Math.abs(ws.sigma[k]! - sorted[k]!)).toBeLessThan(1e-14 * 3);
  });

  test("A·v_k = σ_k·u_k with Uᵀb consistent, V orthogonal, high relative accuracy on a graded matrix", () => {
    const m = 12;
    const n = 4;
    const base = randomMatrix(m, n, 21);
    const scales = [1, 1e-8, 1e8, 1e-3]; // wildly different column scales (parameter units)
    const a = base.map((v, idx) => v * scales[idx % n]!);
    const b = randomMatrix(m, 1, 22);
    const ws = createSvdWorkspace(m, n);
    ws.a.set(a);
    ws.b.set(b);
    svd(ws, true);
    for (let k = 0; k < n; k++) {
      const vk = Array.from({ length: n }, (_, i) => ws.v[i * n + k]!);
      const avk = matVec(a, m, n, vk);
      // ‖A v_k‖ = σ_k to ~1e-14 relative, even for σ_k ~ 1e-8·σ_max.
      expect(Math.abs(norm(avk) / ws.sigma[k]! - 1)).toBeLessThan(1e-13);
      // (Uᵀb)_k = (A v_k)ᵀ b / σ_k.
      const utb = avk.reduce((s, v, i) => s + v * b[i]!, 0) / ws.sigma[k]!;
      expect(ws.utb[k]! - utb).toBeCloseTo(0, 12);
      for (let l = 0; l < n; l++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += ws.v[i * n + k]! * ws.v[i * n + l]!;
        expect(dot).toBeCloseTo(k === l ? 1 : 0, 14);
      }
    }
    expect(ws.sigma[0]! / ws.sigma[n - 1]!).toBeGreaterThan(1e14);
  });

  test("a repeated column gives a singular value at rounding level; fewer rows than columns give (numerical) zeros", () => {
    const m = 6;
    const base = randomMatrix(m, 2, 31);
    const a = new Float64Array(m * 3);
    for (let i = 0; i < m; i++) {
      a[i * 3] = base[i * 2]!;
      a[i * 3 + 1] = base[i * 2 + 1]!;
      a[i * 3 + 2] = base[i * 2]!;
    }
    const ws = createSvdWorkspace(m, 3);
    ws.a.set(a);
    svd(ws, false);
    expect(ws.sigma[2]! / ws.sigma[0]!).toBeLessThan(1e-15);

    const wide = createSvdWorkspace(2, 4);
    wide.a.set(randomMatrix(2, 4, 32));
    svd(wide, false);
    expect(wide.sigma[0]).toBeGreaterThan(0);
    expect(wide.sigma[1]).toBeGreaterThan(0);
    expect(wide.sigma[2]! / wide.sigma[0]!).toBeLessThan(1e-15);
    expect(wide.sigma[3]! / wide.sigma[0]!).toBeLessThan(1e-15);
  });
});
