import { describe, expect, test } from "vitest";
import { compileFormula } from "../../../src/formula/index.js";
import { findModel, MODELS } from "../../../src/nls/library/index.js";
import { centralDifferences, maxRelativeError } from "../../helpers/finite-diff.js";
import { CASES } from "./cases.js";

/**
 * Every library formula compiles (generated code and interpreter), evaluates to the
 * hand-written curve of its test case, and its symbolic partials match central finite
 * differences at the case's parameter values, row by row.
 */

const rowsOf = (columns: number[][]) => columns[0]!.map((_, i) => columns.map((c) => c[i]!));

/**
 * Rows where ∂(x^n)/∂n = x^n·ln x is 0·(−∞) as written: the Hill models at x = 0 (a zero-dose
 * control). The limit is 0 for n > 0; until the formula compiler applies it, these rows'
 * n-partial is NaN (see "Hill partials at x = 0" below).
 */
const zeroPower = (model: string, row: readonly number[]) =>
  (model === "hill" || model === "hill4") && row[0] === 0;

describe.each(CASES.map((c) => [c.label, c] as const))("%s", (_, c) => {
  const model = findModel(c.model)!;
  const theta = Float64Array.from(model.params, (p) => c.truth[p]!);
  const rows = rowsOf(c.columns);
  const n = rows.length;
  const p = model.params.length;

  test.each(["codegen", "interpreter"] as const)(
    "formula compiles (%s) and matches the curve",
    (mode) => {
      const compiled = compileFormula(model.formula, {
        params: model.params,
        variables: model.variables,
        constants: c.constants,
        codegen: mode === "codegen",
      });
      expect(compiled.mode).toBe(mode);
      const columns = model.variables.map((_, k) => Float64Array.from(rows, (r) => r[k]!));
      const f = new Float64Array(n);
      const jac = new Float64Array(n * p);
      compiled.evaluate(theta, columns, n, f, jac);
      for (let i = 0; i < n; i++) {
        const want = c.curve(c.truth, rows[i]!);
        expect(Math.abs(f[i]! - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
      }
      // Partials: each row's gradient against central differences of that row's value.
      const one = new Float64Array(1);
      for (let i = 0; i < n; i++) {
        if (zeroPower(model.name, rows[i]!)) continue;
        const cols = columns.map((col) => col.subarray(i, i + 1));
        const fd = centralDifferences((t) => {
          compiled.evaluate(t, cols, 1, one, null);
          return one[0]!;
        }, theta);
        const analytic = jac.subarray(i * p, (i + 1) * p);
        expect(analytic.every(Number.isFinite)).toBe(true);
        expect(maxRelativeError(analytic, fd)).toBeLessThan(1e-6);
      }
    },
  );
});

test("every model has a test case", () => {
  const covered = new Set(CASES.map((c) => c.model));
  expect(MODELS.filter((m) => !covered.has(m.name)).map((m) => m.name)).toEqual([]);
});

// d(x^n)/dn = x^n·log x is 0·(−∞) at x = 0; the compiler returns the limit 0 there, so a
// zero-dose row keeps a finite Jacobian.
test.each(["hill", "hill4"])("%s partials at x = 0 are finite", (name) => {
  const model = findModel(name)!;
  const compiled = compileFormula(model.formula, {
    params: model.params,
    variables: model.variables,
  });
  const p = model.params.length;
  const theta = Float64Array.from(model.params, () => 1.5);
  const f = new Float64Array(1);
  const jac = new Float64Array(p);
  compiled.evaluate(theta, [Float64Array.of(0)], 1, f, jac);
  expect(f[0]).toBe(name === "hill" ? 0 : 1.5);
  expect(Array.from(jac).every(Number.isFinite)).toBe(true);
});
