import type { CurveFunction } from "../core/curve.js";
import { BiogradError, InputError } from "../core/errors.js";
import { curveProblem } from "../nls/curve-problem.js";
import { type CurveFit, fitCurve, withoutUncertainty } from "../nls/fit-curve.js";
import { bufferRows } from "../nls/many/buffer-rows.js";
import {
  type CurveFitter,
  createCurveFitter,
  createWeightedRefit,
  libraryFitterModel,
  ManyCurveReport,
  type WeightedRefit,
} from "../nls/many/index.js";
import { atBounds, type ParameterSpec, parameterise } from "../nls/parameters.js";
import { type QualityOptions, qualityDefaultsFor, qualityFlags } from "../nls/quality/index.js";
import { nlsSummary } from "../nls/stats/summary.js";
import type { CsvText } from "./csv-text.js";
import { computeWeights } from "./curve-weights.js";
import type { GroupsModel } from "./fit-groups-model.js";
import type { FitGroupsRequest } from "./fit-groups-request.js";
import { failedRow, fittedRow, type GroupRow } from "./fit-groups-row.js";
import { writeFittedCsvRow, writeGroupsCsvRow } from "./groups-csv.js";

/** One group's rows: the numeric columns (variables, then a weight column), NaN = missing. */
export interface GroupData {
  key: string[];
  columns: readonly Float64Array[];
}

/**
 * Fits one group and never throws for its data: a group that cannot be fitted (too few
 * rows, a variable that does not vary, bad weights, no start) comes back as a failed row
 * with the reason. Rows with a missing value are dropped first, as `--na` drops them from a
 * single fit.
 */
export function fitGroup(
  request: FitGroupsRequest,
  prepared: GroupsModel,
  group: GroupData,
  fast: FastFitters | null,
): GroupRow {
  return fitOrWrite(request, prepared, group, fast, null) as GroupRow;
}

/** `fitGroupCsv`'s answer: bit 1 converged, bit 2 flagged (no object per group). */
export const CONVERGED = 1;
export const FLAGGED = 2;

/**
 * Fits one group as `fitGroup` does and writes its CSV line into `out` (the text
 * `writeGroupsCsvRow` gives `fitGroup`'s row) — for the fast engine's common case straight
 * from the fitter's reused buffers, without building the row. Returns CONVERGED | FLAGGED bits.
 */
export function fitGroupCsv(
  request: FitGroupsRequest,
  prepared: GroupsModel,
  group: GroupData,
  fast: FastFitters | null,
  out: CsvText,
): number {
  const row = fitOrWrite(request, prepared, group, fast, out);
  if (typeof row === "number") return row;
  writeGroupsCsvRow(out, row, prepared.model.params);
  return (row.converged ? CONVERGED : 0) | (row.flags.length > 0 ? FLAGGED : 0);
}

/** A group's row; or, when `out` is given and the fast path can, its line written there (bits). */
function fitOrWrite(
  request: FitGroupsRequest,
  prepared: GroupsModel,
  group: GroupData,
  fast: FastFitters | null,
  out: CsvText | null,
): GroupRow | number {
  const { model } = prepared;
  const vars = model.columns.length;
  const kept = dropMissing(group.columns);
  const n = kept[0]!.length;
  const columns = kept.slice(0, vars);
  const y = kept[vars]!;
  const free = freeCount(model.params, request.fix);
  if (n < free) {
    const what = n === 0 ? "no rows with values" : `${n} usable row${n === 1 ? "" : "s"}`;
    return failedRow(group.key, model.params, n, `${what} for ${free} free parameters`);
  }
  try {
    const weights = prepared.weights
      ? computeWeights(prepared.weights, y, kept[vars + 1] ?? null, group.key.join(","))
      : null;
    const data = { columns, y, weights };
    if (fast !== null) return fastGroup(request, prepared, group.key, data, fast, out);
    const specs = prepared.specsFor(columns, y);
    const phases = request.phases ?? ["clipped", "lm"];
    const fit = fitCurve(prepared.curve, data, specs, {
      firstOrder: phases.includes("clipped") ? {} : false,
      lm: phases.includes("lm") ? {} : false,
      lmFirst: request.phases === undefined, // as fit-curve: named phases all run
      level: request.level,
    });
    const chosen = fit.phases.find((p) => p.chosen);
    const reason = `not converged (${chosen ? `${chosen.phase}: ${chosen.stopReason}` : "no phase ran"})`;
    return fittedRow(group.key, fit, weights, quality(prepared, data, specs, fit), reason, {
      phases: fit.phases,
    });
  } catch (error) {
    if (!(error instanceof BiogradError)) throw error;
    return failedRow(group.key, model.params, n, error.message.replace(/^fit: /, ""));
  }
}

function quality(
  prepared: GroupsModel,
  data: { columns: Float64Array[]; y: Float64Array; weights: Float64Array | null },
  specs: readonly ParameterSpec[],
  fit: CurveFit,
  fast: FastFitters | null = null,
) {
  return qualityFlags(
    fast?.curve ?? prepared.curve,
    data,
    specs,
    fit,
    fast?.quality ?? qualityOptions(prepared, null),
  );
}

/** The flags' options of a run: the library model's defaults; with the fast engine's screen. */
function qualityOptions(prepared: GroupsModel, refit: WeightedRefit | null): QualityOptions {
  const defaults = prepared.model.library ? qualityDefaultsFor(prepared.model.name) : {};
  return {
    ...defaults,
    outlierScreen: refit !== null,
    outlierRefit: refit ?? undefined,
    // The fast engine's curves (a fused kernel or the compiled formula) are row by row.
    outlierDistinctX: refit !== null,
  };
}

/** Parameters not held by `--fix` (counted without a closure or an array per group). */
function freeCount(params: readonly string[], fix: Readonly<Record<string, number>> | undefined) {
  let free = params.length;
  if (fix !== undefined) for (const p of params) if (Object.hasOwn(fix, p)) free--;
  return free;
}

function allFinite(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) return false;
  return true;
}

/** Rows with a value in every column (a missing one is NaN). */
function dropMissing(columns: readonly Float64Array[]): Float64Array[] {
  const n = columns[0]!.length;
  let all = true;
  for (const c of columns) for (let i = 0; i < n && all; i++) all = !Number.isNaN(c[i]!);
  // Copied by push, not spread: a spread copy keeps a holey array holey (Array.map makes some
  // callers' column lists holey), a second kind of array for every function the columns reach,
  // whose compiled code V8 threw away at the first such group.
  if (all) {
    const copy: Float64Array[] = [];
    for (let k = 0; k < columns.length; k++) copy.push(columns[k]!);
    return copy;
  }
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (columns.every((c) => !Number.isNaN(c[i]!))) keep.push(i);
  // Pushed, as above.
  const kept: Float64Array[] = [];
  for (const c of columns) kept.push(Float64Array.from(keep, (i) => c[i]!));
  return kept;
}

/** The many-curves fitters of a run, one per buffer size (powers of two). */
export interface FastFitters {
  get(rows: number): CurveFitter;
  /** The curve the fitters run (a library model's fused kernel, else the compiled formula). */
  curve: CurveFunction;
  /** The outlier test's robust refits on reused buffers (many/weighted-refit.ts). */
  refit: WeightedRefit;
  /** The quality flags' options (the model's defaults, the screen, `refit`), built once. */
  quality: QualityOptions;
  /** The report of a fit of this many rows on reused buffers; null when it has too many free parameters. */
  report(rows: number): ManyCurveReport | null;
}

export function fastFitters(request: FitGroupsRequest, prepared: GroupsModel): FastFitters {
  const { model } = prepared;
  if (request.bounds !== undefined) {
    throw new InputError("--bounds: not available with --fast (the exact engine takes bounds)");
  }
  const fitters = new Map<number, CurveFitter>();
  const reports = new Map<number, ManyCurveReport>();
  // The library model's fused kernel (many/kernels.ts) where it has one, else the formula.
  const base = model.library
    ? libraryFitterModel(model.library, prepared.constants)
    : { name: null, curve: prepared.curve };
  const refit = createWeightedRefit(base.curve);
  const fixes = request.fix ?? {};
  const free = model.params.filter((p) => !Object.hasOwn(fixes, p)).length;
  return {
    curve: base.curve,
    refit,
    quality: qualityOptions(prepared, refit),
    report(rows) {
      if (!ManyCurveReport.fits(free)) return null;
      const maxRows = bufferRows(rows);
      let report = reports.get(maxRows);
      if (report === undefined) {
        // The fitters' curve (a fused kernel's values agree with the formula's to an ulp).
        report = new ManyCurveReport(base.curve, fixes, model.library?.positive ?? [], maxRows);
        reports.set(maxRows, report);
      }
      return report;
    },
    get(rows) {
      const maxRows = bufferRows(rows);
      let fitter = fitters.get(maxRows);
      if (fitter === undefined) {
        fitter = createCurveFitter(request.start ? { ...base, start: request.start } : base, {
          maxRows,
          fixed: request.fix,
        });
        fitters.set(maxRows, fitter);
      }
      return fitter;
    },
  };
}

/**
 * The fast engine: the many-curves fitter's estimates, then the same summary (standard
 * errors, Wald intervals at `level`) and quality flags as a single fit, computed once at them.
 */
function fastGroup(
  request: FitGroupsRequest,
  prepared: GroupsModel,
  key: string[],
  data: { columns: Float64Array[]; y: Float64Array; weights: Float64Array | null },
  fitters: FastFitters,
  out: CsvText | null,
): GroupRow | number {
  const { model, curve } = prepared;
  const r = fitters.get(data.y.length).fit(data.columns, data.y, data.weights);
  if (!allFinite(r.theta)) {
    const detail = { starts: r.starts, start: r.startKind, iterations: r.totalIterations };
    return { ...failedRow(key, model.params, r.n, r.reason ?? "no fit"), detail };
  }
  // The common case on reused buffers (many/curve-report.ts); what it does not report (not
  // converged, at a bound, a summary with a warning) takes the road below.
  const report = fitters.report(data.y.length);
  if (report?.prepare(r, data, request.level ?? 0.95)) {
    const flags = qualityFlags(fitters.curve, data, report.specs, report.fit, fitters.quality);
    if (out !== null) {
      writeFittedCsvRow(out, key, report.fit, data.weights, flags, r.reason, model.params);
      return CONVERGED | (flags.codes.length > 0 ? FLAGGED : 0);
    }
    const detail = { starts: r.starts, start: r.startKind, iterations: r.totalIterations };
    return fittedRow(key, report.fit, data.weights, flags, r.reason, detail);
  }
  const detail = { starts: r.starts, start: r.startKind, iterations: r.totalIterations };
  const positive = new Set(model.library?.positive ?? []);
  const fixes = request.fix ?? {};
  const specs: ParameterSpec[] = model.params.map((name, j) => ({
    name,
    start: r.theta[j]!,
    fixed: Object.hasOwn(fixes, name),
    ...(positive.has(name) ? { lower: 0, upper: Infinity } : {}),
  }));
  const param = parameterise(specs);
  const n = data.y.length;
  const q = param.free.length;
  const theta = Float64Array.from(r.theta);
  const residuals = new Float64Array(n);
  const jacobian = new Float64Array(n * q);
  // The fitters' curve, as the report above: the two roads give the same R² and AICc bits.
  curveProblem(fitters.curve, data, param).naturalJacobian(theta, residuals, jacobian);
  const names = param.free.map((f) => f.name);
  const summary = nlsSummary(
    {
      theta: Float64Array.from(param.free, (f) => theta[f.index]!),
      residuals,
      jacobian,
      names,
      weights: data.weights,
      y: data.y,
    },
    // A group's row has no p values (standard errors and intervals only).
    { level: request.level ?? 0.95, pValues: false },
  );
  const bounded = atBounds(param, theta);
  const trusted = r.converged && bounded.length === 0;
  const warnings = [...summary.warnings];
  if (!r.converged) warnings.push({ code: "not-converged", message: r.reason ?? "not converged" });
  const fit: CurveFit = {
    names: curve.params,
    estimates: Object.fromEntries(curve.params.map((p, j) => [p, theta[j]!])),
    theta,
    fixed: specs.filter((s) => s.fixed).map((s) => s.name),
    rss: r.rss,
    n,
    converged: r.converged,
    phases: [
      {
        phase: "levenberg-marquardt",
        from: "start",
        iterations: r.iterations,
        evaluations: r.evaluations,
        stopReason: r.stopCode,
        converged: r.converged,
        rss: r.rss,
        chosen: true,
      },
    ],
    summary: trusted ? summary : withoutUncertainty(summary),
    warnings,
  };
  return fittedRow(
    key,
    fit,
    data.weights,
    quality(prepared, data, specs, fit, fitters),
    r.reason,
    detail,
  );
}
