import type { CurveFunction } from "../../core/curve.js";
import type { CurveData } from "../curve-problem.js";
import type { CurveFit } from "../fit-curve.js";
import type { ParameterSpec } from "../parameters.js";
import { type Ec50Spec, ec50SpecFor } from "../stats/derived-ec50.js";
import type { NlsSummary } from "../stats/summary-types.js";
import { type AmbiguityKind, ambiguityFlag, ambiguityKind } from "./ambiguity.js";
import { boundedParameters, distinctRows, totalSumOfSquares } from "./data-checks.js";
import type { QualityFlag, QualityFlagCode } from "./flags-list.js";
import { ConstantModelTest, isFlat } from "./flat-test.js";
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
  /** The outlier test evaluates the curve once per distinct x (OutlierOptions.distinctX). */
  outlierDistinctX?: boolean;
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
  /** √w_i·(y_i − f_i) at `theta`, when the caller has them (the outlier test then reuses them). */
  readonly residuals?: Float64Array;
  /**
   * The constant model's RSS Σ w_i(y_i − ȳ_w)² on `data`, when the caller has it by the
   * operations of totalSumOfSquares (the same bits): not summed again.
   */
  readonly tss?: number | undefined;
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
  const s = fit.summary;
  const n = s.n;
  const p = s.p;
  const df = n - p;
  const tss = fit.tss ?? totalSumOfSquares(data);
  let constantModel: ConstantModelTest | null = null;
  let flat = false;
  const alpha = options.alpha ?? 0.05;
  if (p > 1 && df > 0 && fit.rss > 0) {
    const F = (tss - fit.rss) / (p - 1) / (fit.rss / df);
    constantModel = new ConstantModelTest(tss, F, p - 1, df);
    flat = isFlat(F, p - 1, df, alpha);
  }
  const ec = options.ec50 ?? null;
  const ecIndex = ec === null ? -1 : fit.names.indexOf(ec.parameter);
  let lo = Infinity;
  let hi = -Infinity;
  if (ecIndex >= 0) {
    const x = data.columns[0]!;
    for (let i = 0; i < x.length; i++) {
      lo = Math.min(lo, x[i]!);
      hi = Math.max(hi, x[i]!);
    }
  }
  const bounded = boundedParameters(specs, fit.theta);
  const maxCorrelation = options.maxCorrelation ?? 0.999;
  const yScale = options.yScaleParameters ?? [];
  const ambiguous = ambiguityKind(s, maxCorrelation, yScale, data.y);
  // Counting distinct rows stops at p unless there are fewer (the message then names them).
  const distinct = distinctRows(data, p);
  const q = options.outlierQ === undefined ? 0.01 : options.outlierQ;
  const outliers =
    q === null
      ? null
      : findOutliers(curve, data, specs, fit, {
          q,
          screen: options.outlierScreen ?? false,
          refit: options.outlierRefit,
          distinctX: options.outlierDistinctX ?? false,
        });
  const f: Findings = {
    tss,
    constantModel,
    flat,
    alpha,
    ec: ecIndex >= 0 ? ec : null,
    ecIndex,
    lo,
    hi,
    bounded,
    ambiguous,
    maxCorrelation,
    yScale,
    distinct,
    minDf: options.minResidualDf ?? 1,
    outliers,
  };
  // The flags raised, one bit each (0 for most fits), decided here and their messages made by
  // `report` for the few fits that raise one. One expression, each bit or 0 chosen by a
  // condition, so that every operation in it runs for every fit: an operation first met at
  // a fit's first flag of its kind is code the compiled qualityFlags has no feedback for,
  // and a soft deopt. Written out here, not in a helper V8 would inline: an inlined helper
  // took inlining budget from ambiguityKind, distinctRows and isFlat (compiled on their own
  // then, and the compile cost more than it saved).
  const ecValue = ecIndex >= 0 ? fit.theta[ecIndex]! : 0;
  const bits =
    (fit.converged ? 0 : NOT_CONVERGED) |
    (fit.rss > tss ? WORSE_THAN_MEAN : 0) |
    (flat ? FLAT_CURVE : 0) |
    (ecIndex >= 0 && !(ecValue >= lo && ecValue <= hi) ? EC50_OUTSIDE : 0) |
    (bounded.length > 0 ? AT_BOUND : 0) |
    (ambiguous !== 0 ? AMBIGUOUS : 0) |
    (distinct < p || df < f.minDf ? TOO_FEW_POINTS : 0) |
    (outliers !== null && outliers.rows.length > 0 ? POSSIBLE_OUTLIERS : 0);
  // Most fits raise nothing: one shared empty list then (the report's lists are read-only).
  if (bits === 0) return { flags: NONE, codes: NONE, constantModel, outliers };
  return report(fit, data, f, bits);
}

/** What `qualityFlags` measured of a fit, for `report` to judge. */
interface Findings {
  readonly tss: number;
  readonly constantModel: ConstantModelTest | null;
  readonly flat: boolean;
  readonly alpha: number;
  readonly ec: Ec50Spec | null;
  readonly ecIndex: number;
  /** The range of x (the EC50's test; ±Infinity without one). */
  readonly lo: number;
  readonly hi: number;
  readonly bounded: readonly string[];
  readonly ambiguous: AmbiguityKind;
  readonly maxCorrelation: number;
  readonly yScale: readonly string[];
  readonly distinct: number;
  readonly minDf: number;
  readonly outliers: OutlierReport | null;
}

// The flags a fit raises, one bit each, in the order `report` lists them.
const NOT_CONVERGED = 1;
const WORSE_THAN_MEAN = 2;
const FLAT_CURVE = 4;
const EC50_OUTSIDE = 8;
const AT_BOUND = 16;
const AMBIGUOUS = 32;
const TOO_FEW_POINTS = 64;
const POSSIBLE_OUTLIERS = 128;

/**
 * The flags `bits` names, with their messages, for a fit that raises at least one: called
 * for few fits, so V8 does not compile it. (Called for every fit, it was compiled before the
 * first flag was met, then thrown away there — an optimised function meeting code it has no
 * feedback for is deoptimised — and at 100,000 curves compiled and thrown away again.)
 */
function report(fit: QualityFit, data: CurveData, f: Findings, bits: number): QualityReport {
  const flags: QualityFlag[] = [];
  const s = fit.summary;
  const n = s.n;
  const p = s.p;
  const df = n - p;
  if ((bits & NOT_CONVERGED) !== 0) {
    const chosen = fit.phases.find((ph) => ph.chosen);
    flags.push({
      code: "not-converged",
      message: `the fit did not converge (${chosen ? chosen.stopReason : "no phase ran"})`,
    });
  }
  if ((bits & WORSE_THAN_MEAN) !== 0) {
    flags.push({
      code: "worse-than-mean",
      message: `RSS ${fmt(fit.rss)} is larger than that of the constant model, ${fmt(f.tss)}`,
    });
  }
  if ((bits & FLAT_CURVE) !== 0) {
    const F = f.constantModel!.F;
    flags.push({
      code: "flat-curve",
      message: `the curve does not differ from a horizontal line (F = ${fmt(F)}, p = ${fmt(f.constantModel!.pValue)} > ${f.alpha})`,
    });
  }
  const ec = f.ec;
  if ((bits & EC50_OUTSIDE) !== 0 && ec !== null) {
    const v = fit.theta[f.ecIndex]!;
    flags.push({
      code: "ec50-outside-range",
      message: `${ec.parameter} = ${fmt(v)} is outside the tested range ${fmt(f.lo)} to ${fmt(f.hi)}`,
      parameters: [ec.parameter],
    });
  }
  const bounded = f.bounded;
  if ((bits & AT_BOUND) !== 0) {
    flags.push({
      code: "at-bound",
      message: `${bounded.join(", ")} ${bounded.length === 1 ? "is" : "are"} at a bound`,
      parameters: bounded,
    });
  }
  if ((bits & AMBIGUOUS) !== 0) {
    flags.push(ambiguityFlag(f.ambiguous, s, f.maxCorrelation, f.yScale, data.y));
  }
  const distinct = f.distinct;
  if ((bits & TOO_FEW_POINTS) !== 0) {
    flags.push({
      code: "too-few-points",
      message:
        distinct < p
          ? `${distinct} distinct x values for ${p} parameters`
          : `${n} points for ${p} parameters leave ${df} residual degrees of freedom (at least ${f.minDf} needed)`,
    });
  }
  const outliers = f.outliers;
  if ((bits & POSSIBLE_OUTLIERS) !== 0 && outliers !== null) {
    flags.push({
      code: "possible-outliers",
      message: `${outliers.rows.length} possible outlier(s) at row(s) ${outliers.rows.join(", ")} (ROUT-style, Q = ${outliers.q * 100} %); kept in the fit`,
      rows: outliers.rows,
    });
  }
  const constantModel = f.constantModel;
  const codes: QualityFlagCode[] = [];
  for (const flag of flags) codes.push(flag.code);
  // Frozen as NONE is: every frozen array has one shape in V8, so the code reading `codes`
  // (a CSV row) sees one kind of array, and is not thrown away at the first flagged curve.
  return { flags: Object.freeze(flags), codes: Object.freeze(codes), constantModel, outliers };
}

const NONE: readonly never[] = Object.freeze([]);

function fmt(v: number): string {
  return Number(v.toPrecision(4)).toString();
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
