import type { CurveFunction } from "../../core/curve.js";
import type { CurveData } from "../curve-problem.js";
import type { CurveFit } from "../fit-curve.js";
import { atBounds, type ParameterSpec, parameterise } from "../parameters.js";
import { fUpperTail } from "../stats/compare-f-distribution.js";
import { type Ec50Spec, ec50SpecFor } from "../stats/derived-ec50.js";
import type { QualityFlag, QualityFlagCode } from "./flags-list.js";
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

export interface QualityReport {
  readonly flags: readonly QualityFlag[];
  /** The flags' codes, in the order of `flags` (for a CSV column). */
  readonly codes: readonly QualityFlagCode[];
  /** F test against the constant model (null when p = 1 or n ≤ p). */
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
  fit: CurveFit,
  options: QualityOptions = {},
): QualityReport {
  const flags: QualityFlag[] = [];
  const add = (flag: QualityFlag) => flags.push(flag);
  const s = fit.summary;
  const n = s.n;
  const p = s.p;
  const df = n - p;
  const fmt = (v: number) => Number(v.toPrecision(4)).toString();

  if (!fit.converged) {
    const chosen = fit.phases.find((ph) => ph.chosen);
    add({
      code: "not-converged",
      message: `the fit did not converge (${chosen ? chosen.stopReason : "no phase ran"})`,
    });
  }
  const tss = totalSumOfSquares(data);
  if (fit.rss > tss) {
    add({
      code: "worse-than-mean",
      message: `RSS ${fmt(fit.rss)} is larger than that of the constant model, ${fmt(tss)}`,
    });
  }
  let constantModel: QualityReport["constantModel"] = null;
  if (p > 1 && df > 0 && fit.rss > 0) {
    const F = (tss - fit.rss) / (p - 1) / (fit.rss / df);
    constantModel = { tss, F, pValue: fUpperTail(F, p - 1, df) };
    const alpha = options.alpha ?? 0.05;
    if (constantModel.pValue > alpha) {
      add({
        code: "flat-curve",
        message: `the curve does not differ from a horizontal line (F = ${fmt(F)}, p = ${fmt(constantModel.pValue)} > ${alpha})`,
      });
    }
  }
  const ec = options.ec50 ?? null;
  if (ec !== null && fit.names.includes(ec.parameter)) {
    const v = fit.estimates[ec.parameter]!;
    const x = data.columns[0]!;
    const lo = x.reduce((a, b) => Math.min(a, b), Infinity);
    const hi = x.reduce((a, b) => Math.max(a, b), -Infinity);
    if (!(v >= lo && v <= hi)) {
      add({
        code: "ec50-outside-range",
        message: `${ec.parameter} = ${fmt(v)} is outside the tested range ${fmt(lo)} to ${fmt(hi)}`,
        parameters: [ec.parameter],
      });
    }
  }
  const bounded = atBounds(parameterise(specs), fit.theta);
  if (bounded.length > 0) {
    add({
      code: "at-bound",
      message: `${bounded.join(", ")} ${bounded.length === 1 ? "is" : "are"} at a bound`,
      parameters: bounded,
    });
  }
  const yRange =
    data.y.reduce((a, b) => Math.max(a, b), -Infinity) -
    data.y.reduce((a, b) => Math.min(a, b), Infinity);
  const yScale = new Set(options.yScaleParameters ?? []);
  const scaleOf = (name: string) => (yScale.has(name) ? yRange : 0);
  const ambiguous = ambiguity(fit, options.maxCorrelation ?? 0.999, scaleOf);
  if (ambiguous !== null) add(ambiguous);
  const distinct = distinctRows(data);
  const minDf = options.minResidualDf ?? 1;
  if (distinct < p || df < minDf) {
    add({
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
    add({
      code: "possible-outliers",
      message: `${outliers.rows.length} possible outlier(s) at row(s) ${outliers.rows.join(", ")} (ROUT-style, Q = ${outliers.q * 100} %); kept in the fit`,
      rows: outliers.rows,
    });
  }
  return { flags, codes: flags.map((f) => f.code), constantModel, outliers };
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
  fit: CurveFit,
  maxCorrelation: number,
  scaleOf: (name: string) => number,
): QualityFlag | null {
  const s = fit.summary;
  if (s.warnings.some((w) => w.code === "rank-deficient" || w.code === "ill-conditioned")) {
    return {
      code: "ambiguous",
      message: "the Jacobian is (nearly) singular: some parameters are not identifiable",
      parameters: [...s.names],
    };
  }
  if (s.standardErrors === null || s.correlation === null) return null;
  const names = new Set<string>();
  const why: string[] = [];
  s.names.forEach((name, j) => {
    const se = s.standardErrors![j]!;
    if (se > Math.max(Math.abs(s.estimates[j]!), scaleOf(name))) {
      names.add(name);
      why.push(`se(${name}) = ${se.toPrecision(3)} > |${name}|`);
    }
  });
  const p = s.names.length;
  for (let a = 0; a < p; a++) {
    for (let b = a + 1; b < p; b++) {
      const r = s.correlation[a * p + b]!;
      if (Math.abs(r) > maxCorrelation) {
        names.add(s.names[a]!);
        names.add(s.names[b]!);
        why.push(`corr(${s.names[a]}, ${s.names[b]}) = ${r.toFixed(4)}`);
      }
    }
  }
  if (why.length === 0) return null;
  return { code: "ambiguous", message: why.join("; "), parameters: [...names] };
}

/** Distinct rows of the variable columns (distinct x for a one-variable curve). */
function distinctRows(data: CurveData): number {
  const n = data.y.length;
  if (data.columns.length === 1) {
    // One variable: the numbers themselves (a Set tells 0 from -0 apart no more than the
    // joined strings below do: both say "0").
    return new Set(data.columns[0]!.subarray(0, n)).size;
  }
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) seen.add(data.columns.map((c) => c[i]).join("\u0000"));
  return seen.size;
}
