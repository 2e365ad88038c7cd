import { z } from "zod";
import type { CurveFit } from "../nls/fit-curve.js";
import type { QualityReport } from "../nls/quality/index.js";
import { fitStats, informationOf } from "../nls/stats/compare-stats.js";

/**
 * One group's fit as plain JSON (a CSV row, a journal line, an element of the JSON result).
 * Values that could not be computed are null; a group that could not be fitted at all has
 * every estimate null and its `reason`.
 */
const num = z.number().nullable();
const byName = z.record(z.string(), num);

export const groupRowSchema = z
  .object({
    group: z.array(z.string()),
    n: z.number().int(),
    converged: z.boolean(),
    rss: num,
    r2: num,
    aicc: num,
    flags: z.array(z.string()),
    estimate: byName,
    se: byName,
    lower: byName,
    upper: byName,
    /** Why the group has no (converged) fit; null when it converged. */
    reason: z.string().nullable(),
    /** Starts that ran (fast engine) or phases (exact engine), for the JSON result. */
    detail: z.record(z.string(), z.unknown()),
    warnings: z.array(z.string()),
    correlation: z.record(z.string(), byName).nullable(),
  })
  .strict();

export type GroupRow = z.infer<typeof groupRowSchema>;

export const chunkResultSchema = z.array(groupRowSchema);

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

/** A fitted group's row from its CurveFit (either engine builds one) and quality report. */
export function fittedRow(
  group: string[],
  fit: CurveFit,
  weights: Float64Array | null,
  quality: QualityReport,
  reason: string | null,
  detail: Record<string, unknown>,
): GroupRow {
  const s = fit.summary;
  const pick = (values: Float64Array | null) =>
    Object.fromEntries(
      fit.names.map((name) => {
        const i = s.names.indexOf(name);
        return [name, values === null || i < 0 ? null : finite(values[i]!)];
      }),
    );
  const correlation =
    s.correlation === null
      ? null
      : Object.fromEntries(
          s.names.map((a, i) => [
            a,
            Object.fromEntries(s.names.map((b, j) => [b, finite(s.correlation![i * s.p + j]!)])),
          ]),
        );
  return {
    group,
    n: fit.n,
    converged: fit.converged,
    rss: finite(fit.rss),
    r2: finite(s.rSquared),
    aicc: finite(informationOf(fitStats(fit, weights)).aicc),
    flags: [...quality.codes],
    estimate: Object.fromEntries(fit.names.map((name) => [name, finite(fit.estimates[name])])),
    se: pick(s.standardErrors),
    lower: pick(s.lower),
    upper: pick(s.upper),
    reason: fit.converged ? null : reason,
    detail,
    warnings: fit.warnings.map((w) => w.message),
    correlation,
  };
}
