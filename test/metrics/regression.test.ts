import { describe, expect, it } from "vitest";
import { BiogradError, InputError } from "../../src/core/errors.js";
import { mae, r2, rmse } from "../../src/metrics/regression.js";
import { f64, near, reference, thrown } from "./helpers.js";

describe("regression metrics", () => {
  it("match hand-computed values", () => {
    const y = f64([1, 2, 3, 4]);
    const p = f64([1, 3, 2, 6]);
    // residuals 0, −1, 1, −2: squares 0, 1, 1, 4; |·| 0, 1, 1, 2; SS_tot = 5.
    expect(rmse(y, p)).toBe(Math.sqrt(6 / 4));
    expect(mae(y, p)).toBe(1);
    expect(r2(y, p)).toBe(1 - 6 / 5);
    expect(rmse(y, y)).toBe(0);
    expect(r2(y, y)).toBe(1);
    expect(r2(y, f64([2.5, 2.5, 2.5, 2.5]))).toBe(0);
  });

  it("R² of a constant target follows scikit-learn: 1 if perfect, else 0", () => {
    expect(r2(f64([2, 2]), f64([2, 2]))).toBe(1);
    expect(r2(f64([2, 2]), f64([2, 3]))).toBe(0);
  });

  it("match sklearn.metrics on the fixture vectors", () => {
    for (const [name, c] of Object.entries(reference.regression)) {
      const y = f64(c.y_true);
      const p = f64(c.y_pred);
      expect(near(rmse(y, p), c.rmse, 1e-13), `${name} rmse`).toBe(true);
      expect(near(mae(y, p), c.mae, 1e-13), `${name} mae`).toBe(true);
      expect(near(r2(y, p), c.r2, 1e-13), `${name} r2`).toBe(true);
    }
  });

  it("refuse mismatched lengths, empty and non-finite input", () => {
    const e = thrown(() => rmse(f64([1, 2]), f64([1])));
    expect(e).toBeInstanceOf(BiogradError);
    expect((e as BiogradError).code).toBe("shape_mismatch");
    expect(e.message).toMatchInlineSnapshot(
      `"rmse: yPred has 1 value, expected 2 (one value per entry of yTrue)"`,
    );
    expect(thrown(() => mae(f64([]), f64([]))).message).toMatchInlineSnapshot(
      `"mae: yTrue is empty"`,
    );
    const nan = thrown(() => r2(f64([1, 2]), f64([1, Number.NaN])));
    expect(nan).toBeInstanceOf(InputError);
    expect(nan.message).toMatchInlineSnapshot(`"r2: yPred[1] is NaN; metrics need finite values"`);
  });
});
