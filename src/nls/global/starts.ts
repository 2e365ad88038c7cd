import type { CurveFunction } from "../../core/curve.js";
import { type CurveFit, type FitOptions, fitCurve } from "../fit-curve.js";
import type { GlobalGroup, GlobalParameterSpec, GroupStart } from "./types.js";

/** A group's own start values: its `start` over the specs' (fixed parameters keep theirs). */
export function groupStartValues(
  group: GlobalGroup,
  specs: readonly GlobalParameterSpec[],
): Float64Array {
  return Float64Array.from(specs, (s) =>
    !s.fixed && group.start && Number.isFinite(group.start[s.name])
      ? group.start[s.name]!
      : s.start,
  );
}

export interface StartPlan {
  /** Per group θ to start the global fit from (shared entries equal across groups). */
  thetas: Float64Array[];
  starts: GroupStart[];
  /** The per-group fits (null where a group's fit failed, did not converge or was not run). */
  fits: (CurveFit | null)[];
}

/**
 * Every group fitted on its own (every parameter per group), from its own start values. A
 * group whose fit fails or does not converge keeps its start values, with the reason.
 */
export function perGroupFits(
  curve: CurveFunction,
  groups: readonly GlobalGroup[],
  specs: readonly GlobalParameterSpec[],
  options: { fit: boolean; groupFit?: FitOptions | undefined },
): StartPlan {
  const fits: (CurveFit | null)[] = [];
  const starts: GroupStart[] = [];
  const thetas = groups.map((group) => {
    const own = groupStartValues(group, specs);
    let fit: CurveFit | null = null;
    let reason = "per-group fits were not run";
    if (options.fit) {
      try {
        fit = fitCurve(
          curve,
          { columns: group.columns, y: group.y, weights: group.weights ?? null },
          specs.map((s, j) => ({
            name: s.name,
            start: own[j]!,
            lower: s.lower,
            upper: s.upper,
            fixed: s.fixed,
          })),
          options.groupFit,
        );
        reason = fit.converged ? "" : "its own fit did not converge";
      } catch (e) {
        reason = e instanceof Error ? e.message : String(e);
      }
    }
    // A fit that did not converge still usually ends far nearer the optimum than the start
    // did: its estimates start the group (when inside the bounds), but only converged fits
    // vote for the shared parameters' starts.
    const usable = fit !== null && allFinite(fit.theta) && insideBounds(fit.theta, specs);
    const ok = usable && reason === "";
    if (fit?.converged && !usable) reason = "its own fit ended on a bound";
    fits.push(ok ? fit : null);
    starts.push({ group: group.name, fitted: ok, ...(ok ? {} : { reason }), start: {} });
    return usable ? Float64Array.from(fit!.theta) : own;
  });
  return { thetas, starts, fits };
}

/**
 * The plan with each shared parameter started at the median (or the 1/se²-weighted mean) of
 * the fitted groups' estimates — a value every group's data agreed with on its own, so the
 * global fit begins near its optimum; the spec's start when no group was fitted. Local
 * parameters keep the per-group estimates. Returns fresh arrays (the plan is not changed).
 */
export function shareStarts(
  plan: StartPlan,
  specs: readonly GlobalParameterSpec[],
  rule: "median" | "weighted-mean",
): StartPlan {
  const thetas = plan.thetas.map((t) => Float64Array.from(t));
  specs.forEach((s, j) => {
    if (!s.shared || s.fixed) return;
    const value = sharedValue(plan.fits, j, rule) ?? s.start;
    for (const th of thetas) th[j] = value;
  });
  const starts = plan.starts.map((st, g) => ({
    ...st,
    start: Object.fromEntries(specs.map((s, j) => [s.name, thetas[g]![j]!])),
  }));
  return { thetas, starts, fits: plan.fits };
}

function allFinite(x: Float64Array): boolean {
  return x.every(Number.isFinite);
}

function insideBounds(theta: Float64Array, specs: readonly GlobalParameterSpec[]): boolean {
  return specs.every(
    (s, j) =>
      s.fixed ||
      (theta[j]! > (s.lower ?? Number.NEGATIVE_INFINITY) &&
        theta[j]! < (s.upper ?? Number.POSITIVE_INFINITY)),
  );
}

function sharedValue(
  fits: readonly (CurveFit | null)[],
  j: number,
  rule: "median" | "weighted-mean",
): number | null {
  const ok = fits.filter((f): f is CurveFit => f !== null);
  if (ok.length === 0) return null;
  if (rule === "weighted-mean") {
    let sw = 0;
    let swx = 0;
    for (const f of ok) {
      const k = f.summary.names.indexOf(f.names[j]!);
      const se = f.summary.standardErrors?.[k];
      if (se === undefined || !(se > 0)) continue;
      sw += 1 / (se * se);
      swx += f.theta[j]! / (se * se);
    }
    if (sw > 0) return swx / sw;
  }
  const values = ok.map((f) => f.theta[j]!).sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}
