import { describe, expect, it } from "vitest";
import { findModel } from "../../../src/nls/library/index.js";
import {
  createCurveFitter,
  libraryFitterModel,
  ManyCurveReport,
} from "../../../src/nls/many/index.js";
import { totalSumOfSquares } from "../../../src/nls/quality/data-checks.js";
import { rSquared } from "../../../src/nls/stats/inference.js";

// The report takes R²'s total sum of squares from the fitter's constant-model RSS when the fit
// is unweighted on all its rows, instead of summing over y again. R² must keep the bits
// rSquared gives from y directly (and the weighted path, which computes it, too).

function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

const model = libraryFitterModel(findModel("4pl")!);

describe("ManyCurveReport R² and total sum of squares", () => {
  for (const weighted of [false, true]) {
    it(`equals rSquared on y (bit for bit, ${weighted ? "weighted" : "unweighted"})`, () => {
      const rand = random(weighted ? 11 : 5);
      const fitter = createCurveFitter(model, { maxRows: 32 });
      const report = new ManyCurveReport(model.curve, {}, [], 32);
      let checked = 0;
      for (let c = 0; c < 300; c++) {
        const reps = 1 + (c % 3);
        const n = 8 * reps;
        const x = Float64Array.from({ length: n }, (_, i) => -9 + 0.5 * Math.floor(i / reps));
        const theta = [10 * rand(), 80 + 40 * rand(), -8 + 2 * rand(), rand() < 0.5 ? -1.5 : 1];
        // Offsets far from 0 at times: the mean's rounding then matters to the TSS.
        const shift = c % 4 === 0 ? 1e6 * rand() : 0;
        const y = Float64Array.from(
          x,
          (v) =>
            shift +
            theta[0]! +
            (theta[1]! - theta[0]!) / (1 + 10 ** ((theta[2]! - v) * theta[3]!)) +
            8 * (rand() - 0.5),
        );
        const weights = weighted ? Float64Array.from(x, () => 0.25 + 2 * rand()) : null;
        const r = fitter.fit([x], y, weights);
        if (!report.prepare(r, { columns: [x], y, weights }, 0.95)) continue;
        const summary = report.fit.summary;
        expect(Object.is(summary.rSquared, rSquared(summary.rss, y, weights))).toBe(true);
        // The flags' F test reads the same total (QualityFit.tss) where the report has it.
        const tss = report.fit.tss;
        if (weighted) expect(tss).toBeUndefined();
        else expect(Object.is(tss, totalSumOfSquares({ columns: [x], y, weights }))).toBe(true);
        checked++;
      }
      expect(checked).toBeGreaterThan(250);
    });
  }
});
