import type { CurveFunction } from "../../core/curve.js";
import type { CurveData } from "../curve-problem.js";
import type { CurveFit } from "../fit-curve.js";
import { atBounds, type ParameterSpec, parameterise } from "../parameters.js";
import { fUpperTail } from "../stats/compare-f-distribution.js";
import { type Ec50Spec, ec50SpecFor } from "../stats/derived-ec50.js";
import type { NlsSummary } from "../stats/summary-types.js";
import type { QualityFlag, QualityFlagCode } from "./flags-list.js";
import { isFlat } from "./flat-test.js";
import { findOutliers, type OutlierOptions, type OutlierReport } from "./outliers.js";

/**
 * The quality flags of one fit (the list and rules: flags-list.ts). Inputs are the fit and
 * what produced it; nothing is refitted except by the outlier test's robust fit.
 */
export interface QualityOptions {
  /** Where the EC50 is, for "ec50-outside-range" (ec50SpecFor(model)); null to skip. */
  ec50?: Ec50Spec | null;
  /** Level of the flat-curve F test. Default 0.05. */
  alpha?: number;
  /**
   * Parameters in units of y (plateaus): their standard error is compared with
   * max(|estimate|, range of y) instead of |estimate| alone, since a plateau estimated near 0
   * (a normalised bottom) would make any standard error look "larger than the estimate".
   * `qualityDefaultsFor(model)` knows the library's. Default: none.
   */
  yScaleParameters?: readonly string[];
  /** |correlation| above which a fit is ambiguous. Default 0.999. */
  maxCorrelation?: number;
  /** Fewest residual degrees of freedom accepted. Default 1. */
  minResidualDf?: number;
  /** Q of the outlier test; null to skip the test. Default 0.01. */
  outlierQ?: number | null;
  /** Screen the outlier test (OutlierOptions.screen): same flags, fewer robust refits. */
  outlierScreen?: boolean;
  /** The outlier test's weighted refit (OutlierOptions.refit). Default: the library run. */
  outlierRefit?: OutlierOptions["refit"];
}

/**
 * What the flags read of a fit: a CurveFit, or the many-curves path's lighter stand-in (its
 * estimates θ by name order, its summary's standard errors and correlations).
 */
export type QualityFit = Pick<CurveFit, "names" | "theta" | "rss" | "converged" | "phases"> & {
  readonly summary: Pick<
    NlsSummary,
    "n" | "p" | "names" | "estimates" | "standardErrors" | "correlation" | "warnings"
  >;
};

export interface QualityReport {
  readonly flags: readonly QualityFlag[];
  /** The flags' codes, in the order of `flags` (for a CSV column). */
  readonly codes: readonly QualityFlagCode[];
  /**
   * F test against the constant model (null when p = 1 or n ≤ p); `pValue` is computed when
   * first read (the flag itself is decided by a cached critical F, flat-test.ts).
   */
  readonly constantModel: {
    readonly tss: number;
    readonly F: number;
    readonly pValue: number;
  } | null;
  /** The outlier test's report (null when not asked for). */
  readonly outliers: OutlierReport | null;
}

export function qualityFlags(
  curve: CurveFunction,
  data: CurveData,
  specs: readonly ParameterSpec[],
  fit: QualityFit,
  options: QualityOptions = {},
): QualityReport {
  const flags: QualityFlag[] = [];
  const s = fit.summary;
  const n = s.n;
  const p = s.p;
  const df = n - p;

  if (!fit.converged) {
    const chosen = fit.phases.find((ph) => ph.chosen);
    flags.push({
      code: "not-converged",
      message: `the fit did not converge (${chosen ? chosen.stopReason : "no phase ran"})`,
    });
  }
  const tss = totalSumOfSquares(data);
  if (fit.rss > tss) {
    flags.push({
      code: "worse-than-mean",
      message: `RSS ${fmt(fit.rss)} is larger than that of the constant model, ${fmt(tss)}`,
    });
  }
  let constantModel: QualityReport["constantModel"] = null;
  if (p > 1 && df > 0 && fit.rss > 0) {
    const F = (tss - fit.rss) / (p - 1) / (fit.rss / df);
    constantModel = constantModelTest(tss, F, p - 1, df);
    const alpha = options.alpha ?? 0.05;
    if (isFlat(F, p - 1, df, alpha)) {
      flags.push({
        code: "flat-curve",
        message: `the curve does not differ from a horizontal line (F = ${fmt(F)}, p = ${fmt(constantModel.pValue)} > ${alpha})`,
      });
    }
  }
  const ec = options.ec50 ?? null;
  const ecIndex = ec === null ? -1 : fit.names.indexOf(ec.parameter);
  if (ec !== null && ecIndex >= 0) {
    const v = fit.theta[ecIndex]!;
    const x = data.columns[0]!;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < x.length; i++) {
      lo = Math.min(lo, x[i]!);
      hi = Math.max(hi, x[i]!);
    }
    if (!(v >= lo && v <= hi)) {
      flags.push({
        code: "ec50-outside-range",
        message: `${ec.parameter} = ${fmt(v)} is outside the tested range ${fmt(lo)} to ${fmt(hi)}`,
        parameters: [ec.parameter],
      });
    }
  }
  const bounded = boundedParameters(specs, fit.theta);
  if (bounded.length > 0) {
    flags.push({
      code: "at-bound",
      message: `${bounded.join(", ")} ${bounded.length === 1 ? "is" : "are"} at a bound`,
      parameters: bounded,
    });
  }
  const ambiguous = ambiguity(
    s,
    options.maxCorrelation ?? 0.999,
    options.yScaleParameters ?? [],
    data.y,
  );
  if (ambiguous !== null) flags.push(ambiguous);
  const minDf = options.minResidualDf ?? 1;
  // Counting distinct rows stops at p unless there are fewer (the message then names them).
  const distinct = distinctRows(data, p);
  if (distinct < p || df < minDf) {
    flags.push({
      code: "too-few-points",
      message:
        distinct < p
          ? `${distinct} distinct x values for ${p} parameters`
          : `${n} points for ${p} parameters leave ${df} residual degrees of freedom (at least ${minDf} needed)`,
    });
  }
  const q = options.outlierQ === undefined ? 0.01 : options.outlierQ;
  const outliers =
    q === null
      ? null
      : findOutliers(curve, data, specs, fit, {
          q,
          screen: options.outlierScreen ?? false,
          refit: options.outlierRefit,
        });
  if (outliers !== null && outliers.rows.length > 0) {
    flags.push({
      code: "possible-outliers",
      message: `${outliers.rows.length} possible outlier(s) at row(s) ${outliers.rows.join(", ")} (ROUT-style, Q = ${outliers.q * 100} %); kept in the fit`,
      rows: outliers.rows,
    });
  }
  const codes: QualityFlagCode[] = [];
  for (const f of flags) codes.push(f.code);
  return { flags, codes, constantModel, outliers };
}

function fmt(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

/** The F test against the constant model, its p value computed when first read. */
function constantModelTest(tss: number, F: number, d1: number, d2: number) {
  let pValue = Number.NaN;
  return {
    tss,
    F,
    get pValue() {
      if (Number.isNaN(pValue)) pValue = fUpperTail(F, d1, d2);
      return pValue;
    },
  };
}

/**
 * The free parameters at a bound (parameters.ts: atBounds of the specs' parameterisation).
 * Specs without a finite bound (every parameter of most curves) have none to be at.
 */
function boundedParameters(specs: readonly ParameterSpec[], theta: Float64Array): string[] {
  let bounded = false;
  for (const spec of specs) {
    if (spec.fixed) continue;
    const lower = spec.lower ?? Number.NEGATIVE_INFINITY;
    const upper = spec.upper ?? Number.POSITIVE_INFINITY;
    if (Number.isFinite(lower) || Number.isFinite(upper)) bounded = true;
  }
  return bounded ? atBounds(parameterise(specs), theta) : [];
}

/** Σ w_i (y_i − ȳ_w)², the RSS of the best constant. */
function totalSumOfSquares(data: CurveData): number {
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

/** Options that suit a library model: where its EC50 is and which parameters are in y units. */
export function qualityDefaultsFor(
  model: string,
): Pick<QualityOptions, "ec50" | "yScaleParameters"> {
  const plateaus: Record<string, string[]> = {
    "4pl": ["bottom", "top"],
    "5pl": ["bottom", "top"],
    hill4: ["y0", "yinf"],
    hill: ["Vmax"],
  };
  return { ec50: ec50SpecFor(model), yScaleParameters: plateaus[model] ?? [] };
}

function ambiguity(
  s: QualityFit["summary"],
  maxCorrelation: number,
  yScaleParameters: readonly string[],
  y: Float64Array,
): QualityFlag | null {
  for (const w of s.warnings) {
    if (w.code === "rank-deficient" || w.code === "ill-conditioned") {
      return {
        code: "ambiguous",
        message: "the Jacobian is (nearly) singular: some parameters are not identifiable",
        parameters: [...s.names],
      };
    }
  }
  const se = s.standardErrors;
  const corr = s.correlation;
  if (se === null || corr === null) return null;
  const p = s.names.length;
  // The cheap test first: most fits raise nothing, and then no message is built.
  let raised = false;
  const yRange = yScaleParameters.length > 0 ? rangeOf(y) : 0;
  const scaleOf = (name: string) => (yScaleParameters.includes(name) ? yRange : 0);
  for (let j = 0; j < p && !raised; j++) {
    raised = se[j]! > Math.max(Math.abs(s.estimates[j]!), scaleOf(s.names[j]!));
  }
  for (let a = 0; a < p && !raised; a++) {
    for (let b = a + 1; b < p && !raised; b++) raised = Math.abs(corr[a * p + b]!) > maxCorrelation;
  }
  if (!raised) return null;
  const names = new Set<string>();
  const why: string[] = [];
  s.names.forEach((name, j) => {
    if (se[j]! > Math.max(Math.abs(s.estimates[j]!), scaleOf(name))) {
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

/**
 * Distinct rows of the variable columns (distinct x for a one-variable curve), counted up to
 * `enough`: the exact count when it is below, some count ≥ `enough` otherwise.
 */
function distinctRows(data: CurveData, enough: number): number {
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
