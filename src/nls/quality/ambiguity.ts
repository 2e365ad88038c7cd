import type { QualityFit } from "./flags.js";
import type { QualityFlag } from "./flags-list.js";

/**
 * The "ambiguous" flag: the Jacobian too ill-conditioned for standard errors (the summary's
 * warning), a standard error larger than |estimate| (than the range of y, for a parameter in
 * units of y), or a |correlation| above `maxCorrelation`. Decided by `ambiguityKind` for every
 * fit; the flag and its message are built by `ambiguityFlag` only for a fit that raises it
 * (a rare branch of its own, flags.ts says why).
 */
export type AmbiguityKind = 0 | 1 | 2;

/** 0: not ambiguous; 1: the summary's rank warning; 2: a standard error or a correlation. */
export function ambiguityKind(
  s: QualityFit["summary"],
  maxCorrelation: number,
  yScaleParameters: readonly string[],
  y: Float64Array,
): AmbiguityKind {
  for (const w of s.warnings) {
    if (w.code === "rank-deficient" || w.code === "ill-conditioned") return 1;
  }
  const se = s.standardErrors;
  const corr = s.correlation;
  if (se === null || corr === null) return 0;
  const p = s.names.length;
  // The cheap test first: most fits raise nothing, and then no message is built.
  let raised = false;
  for (let j = 0; j < p && !raised; j++) {
    // |estimate| alone first: max(|estimate|, scale) ≥ |estimate|, so se ≤ |estimate| clears
    // without the range of y.
    const bound = Math.abs(s.estimates[j]!);
    raised = se[j]! > bound && se[j]! > Math.max(bound, scaleOf(s.names[j]!, yScaleParameters, y));
  }
  for (let a = 0; a < p && !raised; a++) {
    for (let b = a + 1; b < p && !raised; b++) raised = Math.abs(corr[a * p + b]!) > maxCorrelation;
  }
  return raised ? 2 : 0;
}

/** The flag of a fit whose `ambiguityKind` is `kind` (1 or 2), with its message. */
export function ambiguityFlag(
  kind: AmbiguityKind,
  s: QualityFit["summary"],
  maxCorrelation: number,
  yScaleParameters: readonly string[],
  y: Float64Array,
): QualityFlag {
  if (kind === 1) {
    return {
      code: "ambiguous",
      message: "the Jacobian is (nearly) singular: some parameters are not identifiable",
      parameters: [...s.names],
    };
  }
  const se = s.standardErrors!;
  const corr = s.correlation!;
  const p = s.names.length;
  const names = new Set<string>();
  const why: string[] = [];
  s.names.forEach((name, j) => {
    if (se[j]! > Math.max(Math.abs(s.estimates[j]!), scaleOf(name, yScaleParameters, y))) {
      names.add(name);
      why.push(`se(${name}) = ${se[j]!.toPrecision(3)} > |${name}|`);
    }
  });
  for (let a = 0; a < p; a++) {
    for (let b = a + 1; b < p; b++) {
      const r = corr[a * p + b]!;
      if (Math.abs(r) > maxCorrelation) {
        names.add(s.names[a]!);
        names.add(s.names[b]!);
        why.push(`corr(${s.names[a]}, ${s.names[b]}) = ${r.toFixed(4)}`);
      }
    }
  }
  return { code: "ambiguous", message: why.join("; "), parameters: [...names] };
}

/** The range of y for a parameter in units of y, else 0. */
function scaleOf(name: string, yScaleParameters: readonly string[], y: Float64Array): number {
  return yScaleParameters.includes(name) ? rangeOf(y) : 0;
}

/** max(y) − min(y) (NaN-propagating as the reductions it replaces: a NaN gives NaN). */
function rangeOf(y: Float64Array): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < y.length; i++) {
    lo = Math.min(lo, y[i]!);
    hi = Math.max(hi, y[i]!);
  }
  return hi - lo;
}
