import type { BlockProblem } from "./block-problem.js";
import { createBlockQr, factorBlocks, solveBlocks } from "./block-qr.js";

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
 * Levenberg–Marquardt on the block-structured problem. Each trial solves the damped, scaled
 * subproblem min ‖J̃p̃ + r‖² + λ‖p̃‖² (D = the Jacobian's column norms, each the largest seen so
 * far, as MINPACK's mode 1) by the structured QR, so a trial costs one pass over the blocks and
 * no dense matrix over all groups is ever formed. λ follows the gain ratio ρ (Nielsen 1999):
 * on success λ·max(1/3, 1 − (2ρ − 1)³), on failure λ·ν with ν doubling. The stopping tests
 * are MINPACK's in relative terms: ftol on the actual and predicted RSS reduction, xtol on
 * ‖D·δ‖/‖D·φ‖, gtol on max |cos(r, J_j)|. A trial with non-finite residuals is a failed step.
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
  const diag = new Float64Array(size);
  const colNorm = new Float64Array(size);
  const grad = new Float64Array(size);
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
  let lambda = 1e-3;
  let nu = 2;
  let first = true;
  for (;;) {
    columnNormsAndGradient(bp, blocks, r, colNorm, grad);
    scaling(bp, colNorm, diag, first);
    first = false;
    if (rss === 0) return done(true, "the residuals are zero");
    let gmax = 0;
    const fnorm = Math.sqrt(rss);
    for (let j = 0; j < size; j++) {
      if (colNorm[j]! > 0) gmax = Math.max(gmax, Math.abs(grad[j]!) / colNorm[j]! / fnorm);
    }
    if (gmax <= opts.gtol) return done(true, `max |cos(r, J_j)| = ${gmax} <= gtol`);
    let xnorm = 0;
    for (let j = 0; j < size; j++) xnorm += (diag[j]! * phi[j]!) ** 2;
    xnorm = Math.sqrt(xnorm);
    // Inner loop: raise λ until a trial reduces the RSS.
    for (;;) {
      factorBlocks(qr, blocks, r, diag, lambda);
      solveBlocks(qr, step);
      let pnorm2 = 0;
      for (let j = 0; j < size; j++) {
        pnorm2 += step[j]! ** 2;
        step[j] = step[j]! / diag[j]!;
        trial[j] = phi[j]! + step[j]!;
      }
      const jp2 = jacobianTimes(bp, blocks, step);
      // The damped step satisfies −rᵀJp = ‖Jp‖² + λ‖Dp‖², so the model's reduction is exact:
      const prered = (jp2 + 2 * lambda * pnorm2) / rss;
      evaluations++;
      const finite = bp.evaluate(trial, rTrial, null);
      const actred = finite ? reduction(r, rTrial) / rss : -1;
      const ratio = prered > 0 ? actred / prered : 0;
      const accepted = finite && ratio > 1e-4;
      const ftolOk = Math.abs(actred) <= opts.ftol && prered <= opts.ftol && ratio <= 2;
      const xtolOk = Math.sqrt(pnorm2) <= opts.xtol * xnorm;
      if (accepted) {
        phi.set(trial);
        iterations++;
        if (!bp.evaluate(phi, r, blocks)) {
          return done(false, `the Jacobian at iteration ${iterations} is not all finite`);
        }
        rss = ss(r);
        lambda *= Math.max(1 / 3, 1 - (2 * ratio - 1) ** 3);
        nu = 2;
      } else {
        lambda *= nu;
        nu *= 2;
      }
      if (ftolOk) return done(true, `relative RSS reduction ${Math.abs(actred)} <= ftol`);
      if (xtolOk && accepted) return done(true, `relative step <= xtol`);
      if (accepted) break;
      if (!(lambda < 1e300)) return done(false, "no step reduces the RSS (λ overflowed)");
      // Steps shrunk below xtol and still rejected: an optimum if the RSS no longer changes
      // measurably, otherwise the model is not smooth here (a pole, an overflow): no progress.
      if (xtolOk) {
        return Math.abs(actred) <= 1e-10
          ? done(true, "relative step <= xtol (no step reduces the RSS further)")
          : done(false, `no step reduces the RSS (steps below xtol change it by ${actred})`);
      }
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

function ss(r: readonly Float64Array[]): number {
  let s = 0;
  for (const rg of r) for (let i = 0; i < rg.length; i++) s += rg[i]! * rg[i]!;
  return s;
}

/** Σ (r − t)(r + t) over all rows: ‖r‖² − ‖t‖² without cancellation where they agree. */
function reduction(r: readonly Float64Array[], t: readonly Float64Array[]): number {
  let s = 0;
  for (let g = 0; g < r.length; g++) {
    const a = r[g]!;
    const b = t[g]!;
    for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) * (a[i]! + b[i]!);
  }
  return s;
}

/** ‖J_j‖ and (Jᵀr)_j for every column of the global layout, from the blocks. */
export function columnNormsAndGradient(
  bp: BlockProblem,
  blocks: readonly Float64Array[],
  r: readonly Float64Array[],
  norms: Float64Array,
  grad: Float64Array,
): void {
  const { qs, ql } = bp;
  const q = qs + ql;
  norms.fill(0);
  grad.fill(0);
  for (let g = 0; g < blocks.length; g++) {
    const b = blocks[g]!;
    const rg = r[g]!;
    for (let i = 0; i < rg.length; i++) {
      for (let c = 0; c < q; c++) {
        const k = c < ql ? qs + g * ql + c : c - ql;
        const v = b[i * q + c]!;
        norms[k]! += v * v;
        grad[k]! += v * rg[i]!;
      }
    }
  }
  for (let k = 0; k < norms.length; k++) norms[k] = Math.sqrt(norms[k]!);
}

/** ‖J·p‖² from the blocks. */
function jacobianTimes(bp: BlockProblem, blocks: readonly Float64Array[], p: Float64Array): number {
  const { qs, ql } = bp;
  const q = qs + ql;
  let s = 0;
  for (let g = 0; g < blocks.length; g++) {
    const b = blocks[g]!;
    const n = bp.groups[g]!.y.length;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let c = 0; c < q; c++) v += b[i * q + c]! * p[c < ql ? qs + g * ql + c : c - ql]!;
      s += v * v;
    }
  }
  return s;
}
