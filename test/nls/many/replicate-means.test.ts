import { describe, expect, it } from "vitest";
import { findModel } from "../../../src/nls/library/index.js";
import { CurveRows } from "../../../src/nls/many/curve-rows.js";
import { curvatureFor, kernelFor } from "../../../src/nls/many/kernels.js";
import { ReplicateMeans } from "../../../src/nls/many/replicate-means.js";
import { averageReplicates, createSigmoidWorkspace } from "../../../src/nls/many/sigmoid-start.js";
import { SmallLm } from "../../../src/nls/many/small-lm.js";
import { resolveLmOptions } from "../../../src/nls/solvers/lm-options.js";

const model = findModel("4pl")!;
const curve = { params: model.params, variables: model.variables, evaluate: kernelFor("4pl")! };

function rowsOf(maxRows: number) {
  const rows = new CurveRows(
    curve,
    maxRows,
    Int32Array.from([0, 1, 2, 3]),
    new Uint8Array(4),
    new Float64Array(4),
  );
  rows.curvatureKernel = curvatureFor("4pl");
  return rows;
}

/** 7 concentrations, 1–4 replicates each (unbalanced), rows shuffled; weights optional. */
function data(seed: number, weighted: boolean) {
  const x: number[] = [];
  const y: number[] = [];
  const w: number[] = [];
  for (let k = 0; k < 7; k++) {
    for (let rep = 0; rep < 1 + ((k * 5 + seed) % 4); rep++) {
      const xi = -9 + 0.6 * k;
      x.push(xi);
      y.push(5 + 90 / (1 + 10 ** ((-7 - xi) * -1.2)) + 6 * Math.sin(seed * 13 + 7 * x.length));
      w.push(weighted ? 0.5 + ((x.length * 7) % 5) / 2 : 1);
    }
  }
  const order = x.map((_, i) => i).sort((i, j) => Math.cos(i * 3 + seed) - Math.cos(j * 3 + seed));
  const pick = (a: number[]) => Float64Array.from(order, (i) => a[i]!);
  return { x: pick(x), y: pick(y), w: weighted ? pick(w) : null };
}

/** JᵀJ (p×p), Jᵀr and ‖r‖² of a problem at φ. */
function moments(problem: CurveRows, phi: Float64Array) {
  const { n, p } = problem;
  const r = new Float64Array(n);
  const jac = new Float64Array(n * p);
  problem.residuals(phi, r, jac);
  const a = new Float64Array(p * p);
  const g = new Float64Array(p);
  let rss = 0;
  for (let i = 0; i < n; i++) {
    rss += r[i]! * r[i]!;
    for (let j = 0; j < p; j++) {
      g[j]! += jac[i * p + j]! * r[i]!;
      for (let k = 0; k < p; k++) a[j * p + k]! += jac[i * p + j]! * jac[i * p + k]!;
    }
  }
  const s = new Float64Array(p * p);
  problem.curvature(phi, r, s);
  return { a, g, rss, s };
}

describe("replicate means", () => {
  it.each([false, true])(
    "give the rows' RSS (with the within sum), Jᵀr, JᵀJ and Σr∇²r at any θ (weighted: %s)",
    (weighted) => {
      const ws = createSigmoidWorkspace(32);
      const rows = rowsOf(32);
      const means = rowsOf(32);
      const replicates = new ReplicateMeans(32);
      for (let seed = 1; seed <= 10; seed++) {
        const d = data(seed, weighted);
        const n = rows.load([d.x], d.y, d.w, 0, d.x.length);
        const m = averageReplicates(ws, rows.columns[0]!, rows.y, n);
        expect(m).toBe(7);
        const within = replicates.load(rows, ws.t, m, means);
        expect(means.n).toBe(7);
        for (const theta of [
          [4, 96, -7.1, -1.1],
          [0, 80, -6, -2],
          [20, 120, -8, -0.5],
        ]) {
          const phi = new Float64Array(4);
          rows.toInternal(Float64Array.from(theta), phi);
          means.toInternal(Float64Array.from(theta), phi);
          const full = moments(rows, phi);
          const reduced = moments(means, phi);
          expect(Math.abs(reduced.rss + within - full.rss)).toBeLessThanOrEqual(1e-12 * full.rss);
          for (let j = 0; j < 4; j++) {
            expect(Math.abs(reduced.g[j]! - full.g[j]!)).toBeLessThanOrEqual(
              1e-12 * Math.sqrt(full.rss * full.a[j * 5]!),
            );
          }
          for (let k = 0; k < 16; k++) {
            const scale = Math.sqrt(full.a[(k >> 2) * 5]! * full.a[(k & 3) * 5]!);
            expect(Math.abs(reduced.a[k]! - full.a[k]!)).toBeLessThanOrEqual(1e-12 * scale);
            expect(Math.abs(reduced.s[k]! - full.s[k]!)).toBeLessThanOrEqual(
              1e-11 * (scale + Math.abs(full.s[k]!)),
            );
          }
        }
      }
    },
  );

  it("make the small solver's run on the rows: same steps, same stop, same optimum", () => {
    const ws = createSigmoidWorkspace(32);
    const rows = rowsOf(32);
    const means = rowsOf(32);
    const replicates = new ReplicateMeans(32);
    const options = resolveLmOptions({});
    const onRows = new SmallLm(32, 4);
    const onMeans = new SmallLm(32, 4);
    for (let seed = 1; seed <= 20; seed++) {
      const d = data(seed, seed % 2 === 0);
      const n = rows.load([d.x], d.y, d.w, 0, d.x.length);
      const within = replicates.load(
        rows,
        ws.t,
        averageReplicates(ws, rows.columns[0]!, rows.y, n),
        means,
      );
      const start = Float64Array.from([0, 100, -6.5, -1]);
      const phi = new Float64Array(4);
      rows.toInternal(start, phi);
      means.toInternal(start, phi);
      const a = onRows.solve(rows, phi, options);
      const b = onMeans.solve(means, phi, options, within);
      expect(a.converged && b.converged).toBe(true);
      expect(b.iterations).toBe(a.iterations);
      expect(b.evaluations).toBe(a.evaluations);
      expect(Math.abs(b.rss - a.rss)).toBeLessThanOrEqual(1e-13 * a.rss);
      for (let j = 0; j < 4; j++) {
        expect(Math.abs(b.theta[j]! - a.theta[j]!)).toBeLessThanOrEqual(
          1e-9 * Math.max(1, Math.abs(a.theta[j]!)),
        );
      }
    }
  });
});
