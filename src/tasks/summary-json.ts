import type { NlsSummary } from "../nls/stats/summary-types.js";

/**
 * The pieces of an nls summary as JSON, shared by every result that carries one (curve fits,
 * ODE fits): values by parameter name, and p×p matrices by row and column name.
 */

/** `{ name: value }` for each of `names`: null for a name without a value (fixed) or a non-finite one. */
export function byParameter(
  s: NlsSummary,
  names: readonly string[],
  values: Float64Array | null,
): Record<string, number | null> {
  return Object.fromEntries(
    names.map((name) => {
      const i = s.names.indexOf(name);
      const v = values === null || i < 0 ? Number.NaN : values[i]!;
      return [name, Number.isFinite(v) ? v : null];
    }),
  );
}

/** A p×p matrix over the summary's parameters (correlation, covariance) as `{ a: { b: value } }`. */
export function namedMatrix(
  s: NlsSummary,
  values: Float64Array | null,
): Record<string, Record<string, number>> | null {
  if (values === null) return null;
  return Object.fromEntries(
    s.names.map((a, i) => [
      a,
      Object.fromEntries(s.names.map((b, j) => [b, values[i * s.p + j]!])),
    ]),
  );
}
