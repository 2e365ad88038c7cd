/**
 * Test harness for compiled formulas: evaluate over columns, central-difference Jacobians,
 * and bit-for-bit comparison of the two evaluation modes.
 */
import { type CompiledFormula, compileFormula, type FormulaSpec } from "../../src/formula/index.js";

export interface Evaluation {
  f: Float64Array;
  jac: Float64Array;
}

export function run(
  formula: CompiledFormula,
  theta: ArrayLike<number>,
  columns: Float64Array[],
): Evaluation {
  const n = columns[0]?.length ?? 1;
  const f = new Float64Array(n);
  const jac = new Float64Array(n * formula.params.length);
  formula.evaluate(Float64Array.from(theta), columns, n, f, jac);
  return { f, jac };
}

/** Both modes of one formula. */
export function compileBoth(text: string, spec: FormulaSpec): [CompiledFormula, CompiledFormula] {
  return [
    compileFormula(text, { ...spec, codegen: true }),
    compileFormula(text, { ...spec, codegen: false }),
  ];
}

/** Central differences of f w.r.t. θ_j, h = step·max(1, |θ_j|), for every row. */
export function finiteDifferences(
  formula: CompiledFormula,
  theta: ArrayLike<number>,
  columns: Float64Array[],
  step: number,
): Float64Array {
  const n = columns[0]?.length ?? 1;
  const p = formula.params.length;
  const out = new Float64Array(n * p);
  const probe = Float64Array.from(theta);
  const up = new Float64Array(n);
  const down = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    const t = theta[j]!;
    const h = step * Math.max(1, Math.abs(t));
    const [hi, lo] = [t + h, t - h];
    probe[j] = hi;
    formula.evaluate(probe, columns, n, up, null);
    probe[j] = lo;
    formula.evaluate(probe, columns, n, down, null);
    probe[j] = t;
    // Divide by the step actually taken (hi − lo is exact), not by 2h.
    for (let i = 0; i < n; i++) out[i * p + j] = (up[i]! - down[i]!) / (hi - lo);
  }
  return out;
}

/** Forward and backward differences (f(θ ± h e_j) − f(θ))/±h. */
function oneSided(
  formula: CompiledFormula,
  theta: ArrayLike<number>,
  columns: Float64Array[],
  f: Float64Array,
  step: number,
): [Float64Array, Float64Array] {
  const n = f.length;
  const p = formula.params.length;
  const forward = new Float64Array(n * p);
  const backward = new Float64Array(n * p);
  const probe = Float64Array.from(theta);
  const g = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    const t = theta[j]!;
    const h = step * Math.max(1, Math.abs(t));
    for (const [sign, out] of [
      [1, forward],
      [-1, backward],
    ] as const) {
      probe[j] = t + sign * h;
      formula.evaluate(probe, columns, n, g, null);
      for (let i = 0; i < n; i++) out[i * p + j] = (g[i]! - f[i]!) / (probe[j]! - t);
    }
    probe[j] = t;
  }
  return [forward, backward];
}

export interface Comparison {
  /** Largest |analytic − FD| / max(1, |analytic|, |f|) over well-conditioned entries. */
  maxError: number;
  /** Entries where FD at two step sizes disagreed (a kink, or FD not to be trusted). */
  illConditioned: number;
  entries: number;
  /** Non-finite value or partial: the sample is outside the formula's domain. */
  nonFinite: boolean;
}

export function compareWithFiniteDifferences(
  formula: CompiledFormula,
  theta: ArrayLike<number>,
  columns: Float64Array[],
): Comparison {
  const { f, jac } = run(formula, theta, columns);
  const fd1 = finiteDifferences(formula, theta, columns, 1e-5);
  const fd2 = finiteDifferences(formula, theta, columns, 2e-5);
  const [forward, backward] = oneSided(formula, theta, columns, f, 1e-5);
  const p = formula.params.length;
  let maxError = 0;
  let illConditioned = 0;
  const nonFinite = ![...f, ...jac, ...fd1, ...fd2].every(Number.isFinite);
  for (let k = 0; k < jac.length; k++) {
    const fi = Math.abs(f[Math.floor(k / p)]!);
    const scale = Math.max(1, Math.abs(jac[k]!), fi);
    // Judged without the analytic partial (what is under test): FD at two steps disagree
    // (high curvature), or one-sided differences do (a kink of abs/min/max).
    const fdScale = Math.max(1, Math.abs(fd1[k]!), fi);
    const curved = Math.abs(fd1[k]! - fd2[k]!) > 1e-6 * fdScale;
    const kinked = Math.abs(forward[k]! - backward[k]!) > 1e-2 * fdScale;
    if (curved || kinked) {
      illConditioned++;
      continue;
    }
    maxError = Math.max(maxError, Math.abs(jac[k]! - fd1[k]!) / scale);
  }
  return { maxError, illConditioned, entries: jac.length, nonFinite };
}

/** Whether two arrays hold the same doubles (Object.is: NaN equals NaN, +0 differs from −0). */
export function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
}

/** n points spread evenly over [lo, hi]. */
export function spread(lo: number, hi: number, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / Math.max(1, n - 1));
}
