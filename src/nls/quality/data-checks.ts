import type { CurveData } from "../curve-problem.js";
import { atBounds, type ParameterSpec, parameterise } from "../parameters.js";

// The data-side checks of the quality flags (flags.ts): the constant model, bounds, rows.

/** Σ w_i (y_i − ȳ_w)², the RSS of the best constant. */
export function totalSumOfSquares(data: CurveData): number {
  const { y, weights } = data;
  let sw = 0;
  let swy = 0;
  for (let i = 0; i < y.length; i++) {
    const w = weights?.[i] ?? 1;
    sw += w;
    swy += w * y[i]!;
  }
  const mean = swy / sw;
  let tss = 0;
  for (let i = 0; i < y.length; i++) tss += (weights?.[i] ?? 1) * (y[i]! - mean) ** 2;
  return tss;
}

/**
 * The free parameters at a bound (parameters.ts: atBounds of the specs' parameterisation).
 * Specs without a finite bound (every parameter of most curves) have none to be at.
 */
export function boundedParameters(specs: readonly ParameterSpec[], theta: Float64Array): string[] {
  let bounded = false;
  for (const spec of specs) {
    if (spec.fixed) continue;
    const lower = spec.lower ?? Number.NEGATIVE_INFINITY;
    const upper = spec.upper ?? Number.POSITIVE_INFINITY;
    if (Number.isFinite(lower) || Number.isFinite(upper)) bounded = true;
  }
  return bounded ? atBounds(parameterise(specs), theta) : [];
}

/**
 * Distinct rows of the variable columns (distinct x for a one-variable curve), counted up to
 * `enough`: the exact count when it is below, some count ≥ `enough` otherwise.
 */
export function distinctRows(data: CurveData, enough: number): number {
  const n = data.y.length;
  if (data.columns.length === 1) {
    // One variable: the numbers themselves, compared as a Set compares them (SameValueZero:
    // 0 equals −0, NaN equals NaN), by scanning the few distinct values seen so far.
    const x = data.columns[0]!;
    const seen = distinctScratch(enough);
    let count = 0;
    for (let i = 0; i < n && count < enough; i++) {
      const v = x[i]!;
      let known = false;
      for (let k = 0; k < count && !known; k++) {
        const u = seen[k]!;
        known = u === v || (Number.isNaN(u) && Number.isNaN(v));
      }
      if (!known) seen[count++] = v;
    }
    return count;
  }
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) seen.add(data.columns.map((c) => c[i]).join("\u0000"));
  return seen.size;
}

let scratch = new Float64Array(16);
function distinctScratch(size: number): Float64Array {
  if (scratch.length < size) scratch = new Float64Array(size);
  return scratch;
}
