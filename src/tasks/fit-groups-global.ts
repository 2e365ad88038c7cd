import { BiogradError, InputError } from "../core/errors.js";
import {
  fitGlobal,
  fitGlobalCompared,
  type GlobalFit,
  type GlobalGroup,
  type GlobalParameterSpec,
} from "../nls/global/index.js";
import { computeWeights } from "./curve-weights.js";
import type { GroupedRows } from "./fit-groups-data.js";
import type { GroupsModel } from "./fit-groups-model.js";
import type { FitGroupsRequest } from "./fit-groups-request.js";
import { finite } from "./fit-groups-row.js";

/** A global fit (`--share`) as JSON, with the comparison against the unshared model if asked. */
export interface GlobalResult {
  shared: string[];
  converged: boolean;
  stopReason: string;
  iterations: number;
  n: number;
  p: number;
  df: number;
  rss: number;
  aicc: number | null;
  /** By free-parameter name: `hill` (shared) or `logEC50[A12]` (per group). */
  estimate: Record<string, number | null>;
  se: Record<string, number | null>;
  lower: Record<string, number | null>;
  upper: Record<string, number | null>;
  warnings: string[];
  comparison: {
    F: number;
    df: number;
    dfSeparate: number;
    p: number;
    rssShared: number;
    rssSeparate: number;
    deltaAICc: number | null;
    akaikeWeightShared: number | null;
  } | null;
}

/**
 * The groups fitted at once with the `share` parameters common (`fitGlobal`), each group
 * starting from its own self-start (or `--start`). A group the global fit cannot take (no
 * rows, no start) is bad input here, named: unlike the per-group fits, one model spans all.
 */
export function runGlobal(
  request: FitGroupsRequest,
  prepared: GroupsModel,
  rows: GroupedRows,
): GlobalResult {
  const share = new Set(request.share ?? []);
  const vars = prepared.model.columns.length;
  let specs: GlobalParameterSpec[] | null = null;
  const groups: GlobalGroup[] = rows.keys.map((key, g) => {
    const name = key.join(",");
    const from = rows.offsets[g]!;
    const to = rows.offsets[g + 1]!;
    const keep: number[] = [];
    for (let i = from; i < to; i++) {
      if (rows.columns.every((c) => !Number.isNaN(c[i]!))) keep.push(i);
    }
    const cols = rows.columns.map((c) => Float64Array.from(keep, (i) => c[i]!));
    const y = cols[vars]!;
    try {
      const own = prepared.specsFor(cols.slice(0, vars), y);
      specs ??= own.map((s) => ({ ...s, shared: share.has(s.name) }));
      const weights = prepared.weights
        ? computeWeights(prepared.weights, y, cols[vars + 1] ?? null, name)
        : null;
      return {
        name,
        columns: cols.slice(0, vars),
        y,
        weights,
        start: Object.fromEntries(own.map((s) => [s.name, s.start])),
      };
    } catch (error) {
      if (!(error instanceof BiogradError)) throw error;
      throw new InputError(`--share: group ${name}: ${error.message}`);
    }
  });
  const options = { level: request.level ?? 0.95 };
  try {
    if (request.compareShared) {
      const both = fitGlobalCompared(prepared.curve, groups, specs!, options);
      return describe(both.shared, {
        F: both.comparison.F,
        df: both.comparison.df,
        dfSeparate: both.comparison.dfSeparate,
        p: both.comparison.p,
        rssShared: both.comparison.rssShared,
        rssSeparate: both.comparison.rssSeparate,
        deltaAICc: both.comparison.deltaAICc,
        akaikeWeightShared: both.comparison.akaikeWeightShared,
      });
    }
    return describe(fitGlobal(prepared.curve, groups, specs!, options), null);
  } catch (error) {
    if (!(error instanceof BiogradError)) throw error;
    throw new InputError(`--share: ${error.message.replace(/^(global fit|compare shared): /, "")}`);
  }
}

function describe(fit: GlobalFit, comparison: GlobalResult["comparison"]): GlobalResult {
  const s = fit.summary;
  const by = (values: Float64Array | null) =>
    Object.fromEntries(s.names.map((name, i) => [name, values ? finite(values[i]!) : null]));
  return {
    shared: [...fit.shared],
    converged: fit.converged,
    stopReason: fit.stopReason,
    iterations: fit.iterations,
    n: s.n,
    p: s.p,
    df: s.df,
    rss: s.rss,
    aicc: s.aicc,
    estimate: by(s.estimates),
    se: by(s.standardErrors),
    lower: by(s.lower),
    upper: by(s.upper),
    warnings: fit.warnings.map((w) => w.message),
    comparison,
  };
}
