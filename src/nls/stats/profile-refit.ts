import type { CurveFunction } from "../../core/curve.js";
import type { CurveData } from "../curve-problem.js";
import { type CurveFit, fitCurve } from "../fit-curve.js";
import type { ParameterSpec } from "../parameters.js";
import type { LmOptions } from "../solvers/lm-options.js";

/** S(b): the least RSS with one parameter fixed at b, and where the others went. */
export type Refit = { ok: true; rss: number; theta: Float64Array } | { ok: false; reason: string };

/**
 * The profile's inner fit: `name` fixed at b, every other free parameter refitted by
 * Levenberg–Marquardt alone (no first-order phase: the start is already close) from `warm`,
 * the natural θ of a nearby profile point. A warm value outside its bounds (it cannot be,
 * unless rounding put it on one) falls back to the original estimate. When the refit from
 * the warm start fails, it is retried once from the original estimates.
 */
export function profileRefit(
  curve: CurveFunction,
  data: CurveData,
  specs: readonly ParameterSpec[],
  fit: CurveFit,
  name: string,
  lm: LmOptions,
): (b: number, warm: Float64Array) => Refit {
  const starting = (b: number, from: Float64Array): ParameterSpec[] =>
    specs.map((s, i) => {
      if (s.name === name) return { ...s, start: b, fixed: true };
      if (s.fixed) return s;
      const v = from[i]!;
      const inside = v > (s.lower ?? -Infinity) && v < (s.upper ?? Infinity) && Number.isFinite(v);
      return { ...s, start: inside ? v : fit.theta[i]! };
    });
  const once = (b: number, from: Float64Array): CurveFit | null => {
    try {
      return fitCurve(curve, data, starting(b, from), { firstOrder: false, lm });
    } catch {
      return null;
    }
  };
  if (specs.every((s) => s.fixed || s.name === name)) return directRss(curve, data, fit, name);
  return (b, warm) => {
    let f = once(b, warm);
    if ((f === null || !f.converged || !Number.isFinite(f.rss)) && warm !== fit.theta) {
      f = once(b, fit.theta);
    }
    if (f === null || !Number.isFinite(f.rss)) {
      return { ok: false, reason: `the model cannot be evaluated with ${name} = ${show(b)}` };
    }
    if (!f.converged) {
      return {
        ok: false,
        reason: `the refit of the other parameters with ${name} fixed at ${show(b)} did not converge`,
      };
    }
    return { ok: true, rss: f.rss, theta: f.theta };
  };
}

/** With no other free parameter, S(b) is the RSS of the curve itself at b. */
function directRss(
  curve: CurveFunction,
  data: CurveData,
  fit: CurveFit,
  name: string,
): (b: number) => Refit {
  const n = data.y.length;
  const f = new Float64Array(n);
  const j = fit.names.indexOf(name);
  return (b) => {
    const theta = Float64Array.from(fit.theta);
    theta[j] = b;
    curve.evaluate(theta, data.columns, n, f, null);
    let rss = 0;
    for (let i = 0; i < n; i++) rss += (data.weights?.[i] ?? 1) * (data.y[i]! - f[i]!) ** 2;
    if (!Number.isFinite(rss)) {
      return { ok: false, reason: `the model cannot be evaluated with ${name} = ${show(b)}` };
    }
    return { ok: true, rss, theta };
  };
}

export function show(x: number): string {
  return Number(x.toPrecision(6)).toString();
}
