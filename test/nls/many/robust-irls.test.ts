import { describe, expect, it } from "vitest";
import type { CurveFunction } from "../../../src/core/curve.js";
import { findModel } from "../../../src/nls/library/index.js";
import { CurveRows } from "../../../src/nls/many/curve-rows.js";
import { curvatureOfKernel, dualOfKernel, kernelFor } from "../../../src/nls/many/kernels.js";
import {
  accumulate,
  accumulate4,
  createIrlsWorkspace,
  irlsCounters,
  robustIrls,
} from "../../../src/nls/many/robust-irls.js";
import { rsdr } from "../../../src/nls/quality/outliers.js";
import { libraryFit } from "../quality/library-fit.js";

// The robust fit's step sums for p = 4 are kept in locals (accumulate4); they must be the
// general loop's sums bit for bit, so the robust θ and the outlier flags do not move.
describe("robust fit step sums", () => {
  it("are the same bits for p = 4 unrolled as in the general loop", () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647 - 0.5;
    };
    for (const newton of [false, true]) {
      for (let trial = 0; trial < 50; trial++) {
        const n = 5 + (trial % 30);
        const a = createIrlsWorkspace(40, 4, 4);
        const b = createIrlsWorkspace(40, 4, 4);
        for (let i = 0; i < n; i++) a.r[i] = b.r[i] = rand() * 10 ** (trial % 5);
        for (let k = 0; k < 4 * n; k++) a.jac[k] = b.jac[k] = rand() * 10 ** ((k % 7) - 3);
        b.a.fill(Number.NaN); // the unrolled sums must write every entry
        accumulate(a, n, 4, 1 / 2.5, newton);
        accumulate4(b, n, 1 / 2.5, newton);
        for (const key of ["a", "g", "ur"] as const) {
          const same = Array.from(a[key]).every((v, k) => Object.is(v, b[key][k]));
          expect(same, `${key}, trial ${trial}, newton ${newton}`).toBe(true);
        }
      }
    }
  });
});

// The robust fit stops one step early after a small full Newton step (NEWTON_STOP); the step
// it skips is one the 1e-8 rule would only take to measure. Both rules must end at the same
// robust θ to within that tolerance, on curves with and without planted outliers.
describe("robust fit's Newton stop", () => {
  it("ends within 1e-8 (relative) of the tolerance rule's θ, in fewer steps", () => {
    const model = findModel("4pl")!;
    const curve: CurveFunction = {
      params: model.params,
      variables: model.variables,
      evaluate: kernelFor("4pl")!,
    };
    const rows = new CurveRows(
      curve,
      32,
      Int32Array.from([0, 1, 2, 3]),
      new Uint8Array(4),
      new Float64Array(4),
    );
    rows.curvatureKernel = curvatureOfKernel(curve.evaluate);
    rows.dualKernel = dualOfKernel(curve.evaluate);
    const ws = createIrlsWorkspace(32, 4, 4);
    let seed = 3;
    const rand = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    let stepsEarly = 0;
    let stepsStrict = 0;
    let fits = 0;
    for (let trial = 0; trial < 60; trial++) {
      const x = Float64Array.from({ length: 24 }, (_, i) => -9 + 0.5 * Math.floor(i / 3));
      const truth = [
        10 * normal(),
        100 + 10 * normal(),
        -7.25 + 0.5 * normal(),
        -(0.6 + rand() * 1.5),
      ];
      const sd = [1, 2, 5][trial % 3]!;
      const y = Float64Array.from(
        x,
        (v) =>
          truth[0]! +
          (truth[1]! - truth[0]!) / (1 + 10 ** ((truth[2]! - v) * truth[3]!)) +
          sd * normal(),
      );
      for (let k = 0; k < trial % 4; k++)
        y[Math.floor(rand() * 24)]! += (rand() > 0.5 ? 1 : -1) * (3 + 5 * rand()) * sd;
      const ls = libraryFit("4pl", x, y);
      if (!ls.fit.converged) continue;
      const f = new Float64Array(24);
      curve.evaluate(ls.fit.theta, [x], 24, f, null);
      const c = rsdr(
        y.map((v, i) => v - f[i]!),
        4,
      );
      rows.load([x], y, null, 0, 24);
      const early = Float64Array.from(ls.fit.theta);
      const before = irlsCounters.steps;
      const okEarly = robustIrls(rows, ws, early, c);
      const middle = irlsCounters.steps;
      const strict = Float64Array.from(ls.fit.theta);
      const okStrict = robustIrls(rows, ws, strict, c, 1e-8, 100, 0);
      expect(okEarly).toBe(okStrict);
      if (!okEarly) continue;
      fits++;
      stepsEarly += middle - before;
      stepsStrict += irlsCounters.steps - middle;
      for (let j = 0; j < 4; j++) {
        const scale = Math.abs(strict[j]!) || 1;
        expect(Math.abs(early[j]! - strict[j]!) / scale, `trial ${trial}, θ${j}`).toBeLessThan(
          1e-8,
        );
      }
    }
    expect(fits).toBeGreaterThan(50);
    expect(stepsEarly).toBeLessThan(stepsStrict);
  });
});
