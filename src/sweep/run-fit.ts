import type { CurveFunction } from "../core/curve.js";
import { BiogradError } from "../core/errors.js";
import { createRng } from "../core/rng.js";
import { compileFormula } from "../formula/compile.js";
import { curveProblem } from "../nls/curve-problem.js";
import { fitCurve } from "../nls/fit-curve.js";
import { type ParameterSpec, parameterise, toInternal, toNatural } from "../nls/parameters.js";
import type { Transform } from "../transforms/types.js";
import { datasetOf } from "./data-cache.js";
import { finiteOrNull, type RunRecord } from "./record.js";
import type { FitRunSpec } from "./spec.js";
import { runTransform } from "./transforms.js";

/**
 * Runs a curve fit's first-order phase alone — `fitCurve(…, { firstOrder: { transform:
 * chain(clip, optimizer), maxSteps }, lm: false })` — so the estimates are the clipped
 * phase's own. An observer at the end of the chain measures the loss at every point a
 * gradient is taken (one residual evaluation without the Jacobian per step), which gives
 * the trajectory the phase itself does not report: last loss, steps to the threshold and
 * the clip fraction.
 */
export function runFit(spec: FitRunSpec): RunRecord {
  const data = datasetOf(spec);
  const t0 = performance.now();
  const width = spec.x.length;
  const columns = spec.x.map((_, k) =>
    Float64Array.from({ length: data.rows }, (_, i) => data.x[i * width + k]!),
  );
  const curve = compiled(spec);
  const specs = jitteredStarts(spec);
  const curveData = { columns, y: data.y, weights: null };
  const param = parameterise(specs);
  const problem = curveProblem(curve, curveData, param);
  const n = data.rows;
  const r = new Float64Array(n);
  const lossAt = (phi: Float64Array): number => {
    problem.residuals(phi, r, null);
    let ss = 0;
    for (let i = 0; i < n; i++) ss += r[i]! * r[i]!;
    return ss / n;
  };
  const initialLoss = lossAt(toInternal(param));
  const seen = { steps: 0, clipped: 0, last: initialLoss, reached: null as number | null };
  const threshold = spec.lossThreshold;
  const observer: Transform<null> = {
    name: "observe",
    init: () => null,
    update(_grad, _state, ctx) {
      const loss = lossAt(ctx.params);
      seen.steps++;
      if (ctx.clipped) seen.clipped++;
      seen.last = loss;
      if (threshold !== null && seen.reached === null && loss <= threshold) {
        seen.reached = ctx.step + 1;
      }
    },
  };
  const transform = runTransform(spec.clip, spec.optimizer, spec.onNonFinite, observer);
  let fit: ReturnType<typeof fitCurve>;
  try {
    fit = fitCurve(curve, curveData, specs, {
      firstOrder: { transform, maxSteps: spec.steps },
      lm: false,
    });
  } catch (error) {
    if (!(error instanceof BiogradError && error.code === "non_finite_gradient")) throw error;
    return {
      initialLoss: finiteOrNull(initialLoss),
      finalLoss: null,
      bestLoss: null,
      lastLoss: null,
      epochs: seen.steps,
      stopReason: "non-finite-gradient",
      epochsToThreshold: seen.reached,
      clipFraction: seen.steps > 0 ? seen.clipped / seen.steps : 0,
      nonFiniteGradient: true,
      timeMs: performance.now() - t0,
    };
  }
  const phase = fit.phases[0]!;
  const finalLoss = fit.rss / n;
  return {
    initialLoss: finiteOrNull(initialLoss),
    finalLoss: finiteOrNull(finalLoss),
    bestLoss: finiteOrNull(finalLoss), // the phase returns the best point it saw
    lastLoss: finiteOrNull(seen.last),
    epochs: phase.iterations,
    stopReason: phase.stopReason,
    epochsToThreshold: seen.reached,
    clipFraction: seen.steps > 0 ? seen.clipped / seen.steps : 0,
    nonFiniteGradient: false,
    timeMs: performance.now() - t0,
  };
}

/** Compiled curves of this thread, by formula and names: compiling costs more than a short fit. */
const curves = new Map<string, CurveFunction>();

function compiled(spec: FitRunSpec): CurveFunction {
  const params = spec.parameters.map((p) => p.name);
  const key = JSON.stringify([spec.formula, params, spec.variables, spec.constants]);
  let curve = curves.get(key);
  if (!curve) {
    if (curves.size >= 16) curves.clear();
    curve = compileFormula(spec.formula, {
      params,
      variables: spec.variables,
      constants: spec.constants,
    });
    curves.set(key, curve);
  }
  return curve;
}

/**
 * The parameter specs with start values for the run's seed: seed 0 keeps the given starts;
 * seed s > 0 adds startJitter·N(0, 1) to each free parameter's internal coordinate (scaled
 * by the start, or log/logit under bounds — so a jittered start stays inside its bounds).
 */
function jitteredStarts(spec: FitRunSpec): ParameterSpec[] {
  const specs: ParameterSpec[] = spec.parameters.map((p) => ({
    name: p.name,
    start: p.start,
    lower: p.lower ?? Number.NEGATIVE_INFINITY,
    upper: p.upper ?? Number.POSITIVE_INFINITY,
    fixed: p.fixed,
  }));
  if (spec.seed === 0 || spec.startJitter === 0) return specs;
  const param = parameterise(specs);
  const phi = toInternal(param);
  const rng = createRng(spec.seed);
  for (let k = 0; k < phi.length; k++) phi[k]! += spec.startJitter * rng.normal();
  const theta = new Float64Array(specs.length);
  toNatural(param, phi, theta, new Float64Array(phi.length));
  return specs.map((s, i) => (s.fixed ? s : { ...s, start: theta[i]! }));
}
