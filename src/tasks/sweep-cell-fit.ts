import { BiogradError } from "../core/errors.js";
import { createRng } from "../core/rng.js";
import { curveProblem } from "../nls/curve-problem.js";
import { fitCurve } from "../nls/fit-curve.js";
import { type ParameterSpec, parameterise, toInternal, toNatural } from "../nls/parameters.js";
import { buildTransform } from "../transforms/build.js";
import { chain } from "../transforms/chain.js";
import type { Transform } from "../transforms/types.js";
import type { FitCurveRequest } from "./fit-curve-request.js";
import { prepareCurveFit } from "./prepare-curve-fit.js";
import type { FirstOrderCell } from "./sweep-cell-request.js";
import { finiteOrNull, type SweepCellResult } from "./sweep-cell-result.js";

/**
 * A curve-fit cell: the request prepared as `biograd fit` prepares it (prepareCurveFit), then
 * its first-order phase alone — `fitCurve(…, { firstOrder: { transform, maxSteps }, lm: false })`
 * — so the estimates are the clipped phase's own. An observer at the end of the chain measures
 * the loss at every point a gradient is taken (one residual evaluation without the Jacobian
 * per step): last loss, steps to the threshold and the clip fraction.
 */
export function runFitCell(run: FitCurveRequest, phase: FirstOrderCell): SweepCellResult {
  const t0 = performance.now();
  const prepared = prepareCurveFit(run);
  const specs = jitteredStarts(prepared.specs, phase.seed, phase.startJitter);
  const curveData = { columns: prepared.columns, y: prepared.y, weights: prepared.weights };
  const param = parameterise(specs);
  const problem = curveProblem(prepared.curve, curveData, param);
  const n = prepared.y.length;
  const r = new Float64Array(n);
  const lossAt = (phi: Float64Array): number => {
    problem.residuals(phi, r, null);
    let ss = 0;
    for (let i = 0; i < n; i++) ss += r[i]! * r[i]!;
    return ss / n;
  };
  const initialLoss = lossAt(toInternal(param));
  const seen = { steps: 0, clipped: 0, last: initialLoss, reached: null as number | null };
  const threshold = phase.lossThreshold;
  const observer: Transform<null> = {
    name: "observe",
    init: () => null,
    update(_grad, _state, ctx) {
      const loss = lossAt(ctx.params);
      seen.steps++;
      if (ctx.clipped) seen.clipped++;
      seen.last = loss;
      if (threshold !== undefined && seen.reached === null && loss <= threshold) {
        seen.reached = ctx.step + 1;
      }
    },
  };
  const transform = chain(buildTransform(phase.transform, { totalSteps: phase.steps }), observer);
  const clipFraction = () => (seen.steps > 0 ? seen.clipped / seen.steps : 0);
  let fit: ReturnType<typeof fitCurve>;
  try {
    fit = fitCurve(prepared.curve, curveData, specs, {
      firstOrder: { transform, maxSteps: phase.steps },
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
      clipFraction: clipFraction(),
      nonFiniteGradient: true,
      timeMs: performance.now() - t0,
    };
  }
  const result = fit.phases[0]!;
  const finalLoss = fit.rss / n;
  return {
    initialLoss: finiteOrNull(initialLoss),
    finalLoss: finiteOrNull(finalLoss),
    bestLoss: finiteOrNull(finalLoss), // the phase returns the best point it saw
    lastLoss: finiteOrNull(seen.last),
    epochs: result.iterations,
    stopReason: result.stopReason,
    epochsToThreshold: seen.reached,
    clipFraction: clipFraction(),
    nonFiniteGradient: false,
    timeMs: performance.now() - t0,
  };
}

/**
 * The parameter specs with start values for the seed: seed 0 keeps the given starts; seed
 * s > 0 adds startJitter·N(0, 1) to each free parameter's internal coordinate (scaled by the
 * start, or log/logit under bounds — so a jittered start stays inside its bounds).
 */
function jitteredStarts(specs: ParameterSpec[], seed: number, jitter: number): ParameterSpec[] {
  if (seed === 0 || jitter === 0) return specs;
  const param = parameterise(specs);
  const phi = toInternal(param);
  const rng = createRng(seed);
  for (let k = 0; k < phi.length; k++) phi[k]! += jitter * rng.normal();
  const theta = new Float64Array(specs.length);
  toNatural(param, phi, theta, new Float64Array(phi.length));
  return specs.map((s, i) => (s.fixed ? s : { ...s, start: theta[i]! }));
}
