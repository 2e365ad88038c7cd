import type { CurveFunction } from "../../core/curve.js";

/**
 * Hand-fused curve kernels for the hottest library models, used by the many-curves path in
 * place of the compiled formula (test/nls/many/kernels.test.ts holds them to the compiled
 * formula's values and partials). Same contract as CurveFunction.evaluate. The compiled 4PL
 * calls pow(10, ·), which costs four to five exps in V8; 10^u = e^(u·ln 10) here, a difference
 * of an ulp or two in f, far below the precision of any fit.
 */
type Evaluate = CurveFunction["evaluate"];

const LN10 = Math.LN10;

/** bottom + (top − bottom)/(1 + 10^((logEC50 − x)·hill)) and its partials. */
const fourPL: Evaluate = (theta, columns, n, f, jac) => {
  const bottom = theta[0]!;
  const span = theta[1]! - bottom;
  const mid = theta[2]!;
  const hill = theta[3]!;
  const x = columns[0]!;
  if (jac === null) {
    for (let i = 0; i < n; i++) f[i] = bottom + span / (1 + Math.exp(LN10 * (mid - x[i]!) * hill));
    return;
  }
  for (let i = 0, r = 0; i < n; i++, r += 4) {
    const d = mid - x[i]!;
    const e = Math.exp(LN10 * d * hill);
    const inv = 1 / (1 + e);
    const g = span * inv * inv * LN10 * e; // −∂f/∂(d·hill)
    f[i] = bottom + span * inv;
    jac[r] = 1 - inv;
    jac[r + 1] = inv;
    jac[r + 2] = -g * hill;
    jac[r + 3] = -g * d;
  }
};

const KERNELS: Readonly<Record<string, Evaluate>> = { "4pl": fourPL };

/** The fused kernel of a library model, if it has one. */
export function kernelFor(modelName: string): Evaluate | null {
  return KERNELS[modelName] ?? null;
}
