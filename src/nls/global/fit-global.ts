import type { CurveFunction } from "../../core/curve.js";
import { atBounds } from "../parameters.js";
import type { NlsWarning } from "../stats/index.js";
import { blockLevenbergMarquardt } from "./block-lm.js";
import { blockProblem } from "./block-problem.js";
import { checkGlobalInput } from "./check-input.js";
import { compareShared } from "./compare-shared.js";
import { globalSummary, parameterSlots } from "./global-summary.js";
import { perGroupFits, type StartPlan, shareStarts } from "./starts.js";
import type {
  GlobalFit,
  GlobalFitOptions,
  GlobalGroup,
  GlobalParameterSpec,
  SharedComparison,
} from "./types.js";

/**
 * Fits every group at once with the `shared` parameters common to all groups and the others
 * one per group (named `P[level]`, as R's `nls` with indexed parameters and drc's `pmodels`).
 * Starts from per-group fits (starts.ts), then Levenberg–Marquardt on the block-structured
 * problem (block-lm.ts) in the single fits' internal coordinates (bounds are transforms), and
 * the summary from the block covariance (global-summary.ts). Work and memory are linear in
 * the number of groups: no matrix over all groups is ever formed.
 */
export function fitGlobal(
  curve: CurveFunction,
  groups: readonly GlobalGroup[],
  specs: readonly GlobalParameterSpec[],
  options: GlobalFitOptions = {},
): GlobalFit {
  checkGlobalInput(curve, groups, specs, options);
  const plan = perGroupFits(curve, groups, specs, {
    fit: options.perGroupStarts !== false,
    groupFit: options.groupFit,
  });
  return fitFromPlan(curve, groups, specs, shareStarts(plan, specs, rule(options)), options);
}

export interface SharedAndSeparate {
  shared: GlobalFit;
  /** The same groups with no parameter shared (per-group fits with one pooled σ). */
  separate: GlobalFit;
  comparison: SharedComparison;
}

/**
 * `fitGlobal` and the separate (nothing shared) model on the same groups, with the
 * extra-sum-of-squares F test and ΔAICc between them (`compareShared`). The per-group fits run
 * once and start both models.
 */
export function fitGlobalCompared(
  curve: CurveFunction,
  groups: readonly GlobalGroup[],
  specs: readonly GlobalParameterSpec[],
  options: GlobalFitOptions = {},
): SharedAndSeparate {
  checkGlobalInput(curve, groups, specs, options);
  const plan = perGroupFits(curve, groups, specs, {
    fit: options.perGroupStarts !== false,
    groupFit: options.groupFit,
  });
  const separateSpecs = specs.map((s) => ({ ...s, shared: false }));
  const separate = fitFromPlan(
    curve,
    groups,
    separateSpecs,
    shareStarts(plan, separateSpecs, rule(options)),
    options,
  );
  const shared = fitFromPlan(
    curve,
    groups,
    specs,
    shareStarts(plan, specs, rule(options)),
    options,
  );
  return { shared, separate, comparison: compareShared(shared, separate) };
}

function rule(options: GlobalFitOptions): "median" | "weighted-mean" {
  return options.sharedStart ?? "median";
}

function fitFromPlan(
  curve: CurveFunction,
  groups: readonly GlobalGroup[],
  specs: readonly GlobalParameterSpec[],
  plan: StartPlan,
  options: GlobalFitOptions,
): GlobalFit {
  const bp = blockProblem(curve, groups, specs, plan.thetas);
  const lm = blockLevenbergMarquardt(bp, bp.internal(plan.thetas), {
    maxIterations: options.maxIterations ?? 1000,
    ftol: options.ftol ?? 1e-14,
    xtol: options.xtol ?? 1e-10,
    gtol: options.gtol ?? 1e-12,
  });
  // θ at the solution (the last evaluation may have been a rejected trial).
  bp.evaluate(
    lm.phi,
    groups.map((g) => new Float64Array(g.y.length)),
    null,
  );
  const slots = parameterSlots(bp, curve.params);
  const { summary, warnings } = globalSummary(bp, slots, options.level ?? 0.95);
  const all: NlsWarning[] = [...warnings];
  const bounded = new Set<string>();
  groups.forEach((g, i) => {
    for (const name of atBounds(bp.params[i]!, bp.theta(i))) {
      bounded.add(
        bp.sharedIndex.includes(curve.params.indexOf(name)) ? name : `${name}[${g.name}]`,
      );
    }
  });
  if (bounded.size > 0) {
    const list = [...bounded];
    all.push({
      code: "at-bound",
      message: `${list.join(", ")} ${list.length === 1 ? "is" : "are"} at a bound: standard errors assume an interior optimum and are not given`,
    });
  }
  if (!lm.converged) {
    all.push({
      code: "not-converged",
      message: `the global fit did not converge (${lm.stopReason}); standard errors are not given`,
    });
  }
  const trusted = bounded.size === 0 && lm.converged;
  const estimates: Record<string, number> = {};
  summary.names.forEach((name, j) => {
    estimates[name] = summary.estimates[j]!;
  });
  const kinds = (pred: (s: GlobalParameterSpec) => boolean) =>
    specs.filter(pred).map((s) => s.name);
  return {
    shared: kinds((s) => !s.fixed && s.shared),
    local: kinds((s) => !s.fixed && !s.shared),
    fixed: kinds((s) => s.fixed === true),
    groups: groups.map((g) => g.name),
    estimates,
    groupTheta: groups.map((_, g) => Float64Array.from(bp.theta(g))),
    rss: summary.rss,
    n: summary.n,
    converged: lm.converged,
    iterations: lm.iterations,
    evaluations: lm.evaluations,
    stopReason: lm.stopReason,
    starts: plan.starts,
    summary: trusted ? summary : withoutUncertainty(summary),
    warnings: all,
  };
}

function withoutUncertainty(s: GlobalFit["summary"]): GlobalFit["summary"] {
  return {
    ...s,
    standardErrors: null,
    tValues: null,
    pValues: null,
    lower: null,
    upper: null,
    groupCovariance: null,
  };
}
