import type { CurveFit } from "../nls/fit-curve.js";
import type { QualityReport } from "../nls/quality/index.js";
import { fitStats, informationOf } from "../nls/stats/compare-stats.js";
import type { NlsSummary } from "../nls/stats/summary-types.js";

/**
 * One group's fit as plain JSON (a CSV row, a journal line, an element of the JSON result).
 * Values that could not be computed are null; a group that could not be fitted at all has
 * every estimate null and its `reason`. Its zod schema, for reading rows back, is in
 * fit-groups-row-schema.ts (kept apart so the fitting worker does not load zod).
 */
export interface GroupRow {
  group: string[];
  n: number;
  converged: boolean;
  rss: number | null;
  r2: number | null;
  aicc: number | null;
  flags: string[];
  estimate: Record<string, number | null>;
  se: Record<string, number | null>;
  lower: Record<string, number | null>;
  upper: Record<string, number | null>;
  /** Why the group has no (converged) fit; null when it converged. */
  reason: string | null;
  /** Starts that ran (fast engine) or phases (exact engine), for the JSON result. */
  detail: Record<string, unknown>;
  warnings: string[];
  correlation: Record<string, Record<string, number | null>> | null;
}

export function finite(x: number | null | undefined): number | null {
  return x !== null && x !== undefined && Number.isFinite(x) ? x : null;
}

/** A group that could not be fitted: its rows and why. */
export function failedRow(
  group: string[],
  params: readonly string[],
  n: number,
  reason: string,
): GroupRow {
  const none = Object.fromEntries(params.map((p) => [p, null]));
  return {
    group,
    n,
    converged: false,
    rss: null,
    r2: null,
    aicc: null,
    flags: [],
    estimate: none,
    se: none,
    lower: none,
    upper: none,
    reason,
    detail: {},
    warnings: [],
    correlation: null,
  };
}

/**
 * What a row reads of a fit: a CurveFit (either engine), or the fast engine's lighter
 * stand-in built on reused buffers (the row copies every value it keeps).
 */
export type RowFit = Pick<CurveFit, "names" | "theta" | "n" | "converged" | "rss" | "warnings"> & {
  readonly summary: Pick<
    NlsSummary,
    "names" | "p" | "n" | "rss" | "rSquared" | "standardErrors" | "lower" | "upper" | "correlation"
  >;
};

/** A fitted group's row from its fit (either engine builds one) and quality report. */
export function fittedRow(
  group: string[],
  fit: RowFit,
  weights: Float64Array | null,
  quality: QualityReport,
  reason: string | null,
  detail: Record<string, unknown>,
): GroupRow {
  const s = fit.summary;
  const names = fit.names;
  // Where each parameter sits in the summary (−1: fixed, not in it).
  const at = summaryIndex(names, s.names);
  const estimate: Record<string, number | null> = {};
  const se: Record<string, number | null> = {};
  const lower: Record<string, number | null> = {};
  const upper: Record<string, number | null> = {};
  for (let j = 0; j < names.length; j++) {
    const name = names[j]!;
    const i = at[j]!;
    put(estimate, name, finite(fit.theta[j]));
    put(se, name, s.standardErrors === null || i < 0 ? null : finite(s.standardErrors[i]!));
    put(lower, name, s.lower === null || i < 0 ? null : finite(s.lower[i]!));
    put(upper, name, s.upper === null || i < 0 ? null : finite(s.upper[i]!));
  }
  let correlation: GroupRow["correlation"] = null;
  if (s.correlation !== null) {
    correlation = {};
    for (let a = 0; a < s.p; a++) {
      const row: Record<string, number | null> = {};
      for (let b = 0; b < s.p; b++) put(row, s.names[b]!, finite(s.correlation[a * s.p + b]!));
      put(correlation, s.names[a]!, row);
    }
  }
  // A copy made the same way for every row (a push first met at the first flagged curve threw
  // this function's compiled code away).
  const flags: string[] = quality.codes.slice();
  const warnings: string[] = [];
  for (const w of fit.warnings) warnings.push(w.message);
  return {
    group,
    n: fit.n,
    converged: fit.converged,
    rss: finite(fit.rss),
    r2: finite(s.rSquared),
    aicc: finite(informationOf(fitStats(fit, weights)).aicc),
    flags,
    estimate,
    se,
    lower,
    upper,
    reason: fit.converged ? null : reason,
    detail,
    warnings,
    correlation,
  };
}

/** record[key] = value as an own property, as Object.fromEntries sets it (even "__proto__"). */
function put<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === "__proto__") {
    Object.defineProperty(record, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else record[key] = value;
}

// The last names → summary-names map: every row of a run asks for the same one.
let lastIndex: { names: readonly string[]; free: readonly string[]; at: Int32Array } | null = null;

function summaryIndex(names: readonly string[], free: readonly string[]): Int32Array {
  if (lastIndex !== null && lastIndex.names === names && lastIndex.free === free) {
    return lastIndex.at;
  }
  const at = Int32Array.from(names, (name) => free.indexOf(name));
  lastIndex = { names, free, at };
  return at;
}
