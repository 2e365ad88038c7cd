import { CONVERGED_CODES, resolveLmOptions } from "../solvers/lm-options.js";
import { type StepMeasures, stopTest } from "../solvers/lm-stopping.js";
import { updateRadius } from "../solvers/trust-region.js";
import { blockStep } from "./block-lmpar.js";
import type { BlockProblem } from "./block-problem.js";
import { columnNormsAndGradient, jacobianTimes, reduction, ss } from "./block-products.js";
import { createBlockQr } from "./block-qr.js";

const STOP_DEFAULTS = resolveLmOptions(undefined);

export interface BlockLmOptions {
  maxIterations: number;
  ftol: number;
  xtol: number;
  gtol: number;
}

export interface BlockLmResult {
  phi: Float64Array;
  rss: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  stopReason: string;
}

/**
 * Levenberg–Marquardt on the block-structured problem, as MINPACK's lmder and the single fits'
 * solver (solvers/levenberg-marquardt.ts): D = the Jacobian's column norms, each the largest
 * seen so far (mode 1); a trust radius Δ on ‖D·δ‖ with λ chosen for it (block-lmpar.ts) and
 * updated from the gain ratio as lmder (`updateRadius`); lmder's stopping tests
 * (`stopTest`: ftol on the actual and predicted relative RSS reduction, xtol on Δ/‖D·φ‖,
 * gtol on max |cos(r, J_j)|). Each trial λ solves the damped, scaled subproblem by the
 * structured QR, one pass over the blocks: no dense matrix over all groups is ever formed.
 * A trial with non-finite residuals, or whose Jacobian is not finite, is a failed step.
 */
export function blockLevenbergMarquardt(
  bp: BlockProblem,
  start: Float64Array,
  opts: BlockLmOptions,
): BlockLmResult {
  const G = bp.groups.length;
  const { qs, ql, size } = bp;
  const q = qs + ql;
  const nMax = Math.max(...bp.groups.map((g) => g.y.length));
  const alloc = () => bp.groups.map((g) => new Float64Array(g.y.length));
  const r = alloc();
  const rTrial = alloc();
  const blocks = bp.groups.map((g) => new Float64Array(g.y.length * q));
  const qr = createBlockQr(G, ql, qs, nMax);
  const phi = Float64Array.from(start);
  const trial = new Float64Array(size);
  const step = new Float64Array(size);
  const work = new Float64Array(size);
  const diag = new Float64Array(size);
  const colNorm = new Float64Array(size);
  const grad = new Float64Array(size);
  const limits = {
    ...STOP_DEFAULTS,
    ftol: opts.ftol,
    xtol: opts.xtol,
    gtol: opts.gtol,
    maxIterations: opts.maxIterations,
    maxEvaluations: Number.POSITIVE_INFINITY,
  };
  const m: StepMeasures = {
    actred: 0,
    prered: 0,
    ratio: 0,
    delta: 0,
    xnorm: 0,
    gnorm: 0,
    evaluations: 0,
  };
  const done = (converged: boolean, stopReason: string): BlockLmResult => ({
    phi,
    rss: ss(r),
    iterations,
    evaluations,
    converged,
    stopReason,
  });
  let iterations = 0;
  let evaluations = 1;
  if (!bp.evaluate(phi, r, blocks)) {
    return done(false, "the residuals or the Jacobian at the start are not all finite");
  }
  let rss = ss(r);
  let lambda = 0;
  let delta = 0;
  let first = true;
  for (;;) {
    columnNormsAndGradient(bp, blocks, r, colNorm, grad);
    scaling(bp, colNorm, diag, first);
    if (rss === 0) return done(true, "the residuals are zero");
    let gmax = 0;
    let gScaled = 0;
    const fnorm = Math.sqrt(rss);
    for (let j = 0; j < size; j++) {
      if (colNorm[j]! > 0) gmax = Math.max(gmax, Math.abs(grad[j]!) / colNorm[j]! / fnorm);
      gScaled += (grad[j]! / diag[j]!) ** 2;
    }
    gScaled = Math.sqrt(gScaled);
    if (gmax <= opts.gtol) return done(true, `max |cos(r, J_j)| = ${gmax} <= gtol`);
    let xnorm = 0;
    for (let j = 0; j < size; j++) xnorm += (diag[j]! * phi[j]!) ** 2;
    xnorm = Math.sqrt(xnorm);
    if (first) delta = xnorm > 0 ? xnorm : 1;
    // Inner loop: shrink Δ until a trial reduces the RSS (ρ ≥ 1e-4).
    for (;;) {
      const trialStep = blockStep(qr, blocks, r, diag, delta, lambda, gScaled, step, work);
      lambda = trialStep.lambda;
      const pnorm = trialStep.pnorm;
      for (let j = 0; j < size; j++) {
        step[j] = step[j]! / diag[j]!;
        trial[j] = phi[j]! + step[j]!;
      }
      if (first) delta = Math.min(delta, pnorm);
      const jp2 = jacobianTimes(bp, blocks, step);
      // The damped step satisfies −rᵀJp = ‖Jp‖² + λ‖Dp‖², so the model's reduction is exact:
      const prered = (jp2 + 2 * lambda * pnorm * pnorm) / rss;
      const dirder = -(jp2 + lambda * pnorm * pnorm) / rss;
      evaluations++;
      const finite = bp.evaluate(trial, rTrial, null);
      const trialRss = finite ? ss(rTrial) : Number.POSITIVE_INFINITY;
      const wild = !(0.01 * trialRss < rss);
      const actred = wild ? -1 : reduction(r, rTrial) / rss;
      const ratio = prered !== 0 ? actred / prered : 0;
      const deltaBefore = delta;
      delta = updateRadius(delta, ratio, actred, dirder, pnorm, lambda, wild);
      let accepted = ratio >= 1e-4;
      // A steep curve can overflow in its derivatives (10^(hill·…)) where its values are still
      // finite: such a point is not taken (no step from it could be computed); Δ shrinks.
      if (accepted && !bp.evaluate(trial, rTrial, blocks)) {
        evaluations++;
        if (!bp.evaluate(phi, r, blocks)) {
          return done(false, `the Jacobian at iteration ${iterations} is not all finite`);
        }
        accepted = false;
        delta = updateRadius(deltaBefore, 0, -1, dirder, pnorm, lambda, true);
      }
      if (accepted) {
        phi.set(trial);
        iterations++;
        first = false;
        for (let g = 0; g < G; g++) r[g]!.set(rTrial[g]!);
        rss = ss(r);
        xnorm = 0;
        for (let j = 0; j < size; j++) xnorm += (diag[j]! * phi[j]!) ** 2;
        xnorm = Math.sqrt(xnorm);
      }
      m.actred = actred;
      m.prered = prered;
      m.ratio = ratio;
      m.delta = delta;
      m.xnorm = xnorm;
      m.gnorm = gmax;
      m.evaluations = evaluations;
      const stop = stopTest(m, limits);
      if (stop !== null) {
        const why = typeof stop[1] === "string" ? stop[1] : stop[1]();
        if (stop[0] === "xtol" && !accepted && !(Math.abs(actred) <= 1e-10)) {
          // Steps shrunk below xtol and still rejected, with the RSS changing measurably:
          // the model is not smooth here (a pole, an overflow), not an optimum.
          return done(false, `no step reduces the RSS (steps below xtol change it by ${actred})`);
        }
        return done(CONVERGED_CODES.includes(stop[0]), why);
      }
      if (accepted) break;
    }
    if (iterations >= opts.maxIterations) {
      return done(false, `${opts.maxIterations} iterations done`);
    }
  }
}

/**
 * D as MINPACK's mode 1 (each entry the largest column norm seen), floored at 1e-6 of the
 * largest column norm in the same group (its local and the shared columns): a parameter the
 * data hardly see at the start (a logEC50 far outside the doses) would otherwise get an almost
 * undamped, enormous step in its own units.
 */
function scaling(bp: BlockProblem, norms: Float64Array, diag: Float64Array, first: boolean): void {
  const { qs, ql } = bp;
  let sharedMax = 0;
  for (let j = 0; j < qs; j++) sharedMax = Math.max(sharedMax, norms[j]!);
  const set = (j: number, floor: number) => {
    const c = Math.max(norms[j]!, floor);
    const d = c > 0 ? c : 1;
    diag[j] = first ? d : Math.max(diag[j]!, d);
  };
  let allMax = sharedMax;
  for (let g = 0; g < bp.groups.length; g++) {
    let m = sharedMax;
    for (let c = 0; c < ql; c++) m = Math.max(m, norms[qs + g * ql + c]!);
    allMax = Math.max(allMax, m);
    for (let c = 0; c < ql; c++) set(qs + g * ql + c, 1e-6 * m);
  }
  for (let j = 0; j < qs; j++) set(j, 1e-6 * allMax);
}
