import { BiogradError } from "../core/errors.js";
import { formulaNames } from "../nls/formula-names.js";
import { findModel } from "../nls/library/index.js";
import {
  akaikeWeights,
  compareModels,
  fitStats,
  informationOf,
  type NamedFitStats,
} from "../nls/stats/index.js";
import type { CompareModelsRequest } from "./compare-request.js";
import type { DataSource } from "./data-source.js";
import { fitPrepared } from "./fit-curve.js";
import type { FieldLabels, FitCurveRequest } from "./fit-curve-request.js";
import { prepareCurveFit } from "./prepare-curve-fit.js";
import type { TaskOptions } from "./types.js";

/** One model's fit in a comparison; `failed` with its reason when it gave no usable fit. */
export interface ComparedFit {
  model: string;
  failed: boolean;
  reason: string | null;
  converged: boolean;
  /** Free parameters. */
  p: number | null;
  rss: number | null;
  /** Residual degrees of freedom n − p. */
  df: number | null;
  aicc: number | null;
  akaike_weight: number | null;
  estimates: Record<string, number> | null;
}

/** The F test of a consecutive pair (`simple` has fewer parameters: asserted nested). */
export interface PairTest {
  simple: string;
  complex: string;
  df_numerator: number;
  df_denominator: number;
  ss: number;
  F: number;
  p_value: number;
  delta_aicc: number | null;
  preferred: string;
  warnings: string[];
}

export interface Comparison {
  /** The group's values by column (null without --group). */
  group: Record<string, string> | null;
  n: number | null;
  failed: boolean;
  reason: string | null;
  fits: ComparedFit[];
  tests: PairTest[];
  preferred_by_f: string | null;
  preferred_by_aicc: string | null;
  /** By F when every consecutive pair was F-tested (a nested chain), else by AICc. */
  preferred: string | null;
}

/**
 * Fits every model of `request` to `data` exactly as `fit-curve` would, then compares them.
 * With `recordErrors` (a group of a grouped comparison) a model whose fit cannot even start
 * (a bad self-start on this group's rows) is recorded as failed; otherwise the error is thrown.
 */
export function compareOn(
  request: CompareModelsRequest,
  data: DataSource,
  labels: FieldLabels,
  group: Record<string, string> | null,
  recordErrors: boolean,
  options: TaskOptions = {},
): Comparison {
  let n: number | null = null;
  const stats: (NamedFitStats | null)[] = [];
  const fits: ComparedFit[] = request.models.map((model) => {
    const failed = (reason: string): ComparedFit => {
      stats.push(null);
      return {
        model,
        failed: true,
        reason,
        converged: false,
        p: null,
        rss: null,
        df: null,
        aicc: null,
        akaike_weight: null,
        estimates: null,
      };
    };
    let fitted: ReturnType<typeof fitPrepared>;
    let weights: Float64Array | null;
    try {
      const prepared = prepareCurveFit(fitRequestFor(request, model, data), labels);
      weights = prepared.weights;
      fitted = fitPrepared(prepared, options);
    } catch (e) {
      if (!recordErrors || !(e instanceof BiogradError)) throw e;
      return failed(e.message);
    }
    n = fitted.summary.n;
    if (!fitted.converged || !Number.isFinite(fitted.rss)) {
      const chosen = fitted.phases.find((ph) => ph.chosen);
      return failed(`did not converge (${chosen ? chosen.stopReason : "no phase ran"})`);
    }
    const s = fitStats(fitted, weights);
    stats.push({ ...s, name: model });
    return {
      model,
      failed: false,
      reason: null,
      converged: true,
      p: s.p,
      rss: s.rss,
      df: s.n - s.p,
      aicc: informationOf(s).aicc,
      akaike_weight: null,
      estimates: fitted.estimates,
    };
  });
  const failures = fits.filter((f) => f.failed);
  if (failures.length > 0) {
    const reason = failures.map((f) => `${f.model}: ${f.reason}`).join("; ");
    return { group, n, failed: true, reason, fits, tests: [], ...noPreference };
  }
  const ok = stats as NamedFitStats[];
  const aicc = fits.map((f) => f.aicc);
  if (aicc.every((a) => a !== null)) {
    const w = akaikeWeights(aicc as number[]);
    fits.forEach((f, i) => {
      f.akaike_weight = w[i]!;
    });
  }
  const alpha = request.alpha ?? 0.05;
  const tests: PairTest[] = [];
  for (let i = 0; i + 1 < ok.length; i++) {
    const [simple, complex] = [ok[i]!, ok[i + 1]!];
    if (!(simple.p < complex.p)) continue; // not asserted nested: AICc only
    const c = compareModels(simple, complex, { alpha });
    tests.push({
      simple: simple.name,
      complex: complex.name,
      df_numerator: c.fTest!.dfNumerator,
      df_denominator: c.fTest!.dfDenominator,
      ss: c.fTest!.ss,
      F: c.fTest!.F,
      p_value: c.fTest!.pValue,
      delta_aicc: c.deltaAICc,
      preferred: c.preferredByF!,
      warnings: [...c.warnings],
    });
  }
  const chain = tests.length === ok.length - 1;
  // Forward along the chain: move to the more complex model while its F test is significant.
  let byF: string | null = null;
  if (chain) {
    byF = ok[0]!.name;
    for (const t of tests) {
      if (t.p_value < alpha) byF = t.complex;
      else break;
    }
  }
  const finite = fits.filter((f) => f.aicc !== null);
  const byAicc =
    finite.length === fits.length
      ? finite.reduce((best, f) => (f.aicc! < best.aicc! ? f : best)).model
      : null;
  return {
    group,
    n,
    failed: false,
    reason: null,
    fits,
    tests,
    preferred_by_f: byF,
    preferred_by_aicc: byAicc,
    preferred: chain ? byF : byAicc,
  };
}

const noPreference = { preferred_by_f: null, preferred_by_aicc: null, preferred: null };

/** The `fit-curve` request of one model: the shared options, start/fix/bounds it has. */
function fitRequestFor(
  request: CompareModelsRequest,
  model: string,
  data: DataSource,
): FitCurveRequest {
  const names = parameterNames(model);
  const only = <T>(record: Record<string, T> | undefined) =>
    record === undefined
      ? undefined
      : Object.fromEntries(Object.entries(record).filter(([k]) => names.includes(k)));
  const out: FitCurveRequest = { task: "fit-curve", data, model, x: request.x, y: request.y };
  const start = only(request.start);
  const fix = only(request.fix);
  const bounds = only(request.bounds);
  if (start && Object.keys(start).length > 0) out.start = start;
  if (fix && Object.keys(fix).length > 0) out.fix = fix;
  if (bounds && Object.keys(bounds).length > 0) out.bounds = bounds;
  for (const key of ["constants", "weights", "phases", "codegen", "level", "logX"] as const) {
    if (request[key] !== undefined) (out as Record<string, unknown>)[key] = request[key];
  }
  return out;
}

/** A library model's parameters, or every name a formula uses (variables are never given). */
export function parameterNames(model: string): string[] {
  const library = findModel(model);
  if (library) return [...library.params];
  try {
    return formulaNames(model);
  } catch {
    return []; // the fit reports the formula's error with its position
  }
}
