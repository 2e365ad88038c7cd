import { type BlockQr, diagonalRatio, factorBlocks, solveBlocks } from "./block-qr.js";

const SQRT_EPS = Math.sqrt(2.220446049250313e-16);
const DWARF = 2.2250738585072014e-308;

/** The trust-region step of one trial: λ, and ‖p̃‖ = ‖D·p‖ of the step left in `step`. */
export interface BlockStep {
  lambda: number;
  pnorm: number;
}

/**
 * MINPACK's lmpar (Moré 1978, §5) on the block-structured problem: the λ ≥ 0 whose damped,
 * scaled step p̃(λ) has ‖p̃‖ within 10 % of the radius Δ, or λ = 0 when the Gauss–Newton step
 * is well conditioned and no longer than 1.1·Δ. Tying λ to a radius (rather than multiplying
 * λ by fixed factors) is what lets the steps grow geometrically along a long, almost flat
 * valley — the plateau a steep 4PL self-start sits on, where one of the group's columns is
 * nearly a combination of the others — instead of being held tiny by a λ far above the small
 * singular values, with reductions lost in rounding. Newton's method on 1/‖p̃(λ)‖ − 1/Δ
 * within the safeguards [parl, paru]; each trial λ is one pass of the structured QR, whose
 * factor also gives the derivative (‖R_λ⁻ᵀp̃‖²/‖p̃‖). On return `qr` holds the factor of the
 * chosen λ and `step` its p̃ (global layout). `scaledGradientNorm` is ‖D⁻¹Jᵀr‖.
 */
export function blockStep(
  qr: BlockQr,
  blocks: readonly Float64Array[],
  r: readonly Float64Array[],
  diag: Float64Array,
  delta: number,
  previousLambda: number,
  scaledGradientNorm: number,
  step: Float64Array,
  work: Float64Array,
): BlockStep {
  factorBlocks(qr, blocks, r, diag, 0);
  solveBlocks(qr, step);
  let pnorm = norm(step);
  const gaussNewtonOk = Number.isFinite(pnorm) && diagonalRatio(qr) < 1 / SQRT_EPS;
  if (gaussNewtonOk && pnorm <= 1.1 * delta) return { lambda: 0, pnorm };
  // Lower bound: the first Newton iterate from λ = 0 (only when J̃ has full rank).
  let parl = 0;
  if (gaussNewtonOk) parl = newtonCorrection(qr, step, pnorm, delta, work);
  let paru = scaledGradientNorm / delta;
  if (paru === 0) paru = DWARF / Math.min(delta, 0.1);
  let lambda = Math.min(Math.max(previousLambda, parl), paru);
  if (lambda === 0) lambda = gaussNewtonOk ? scaledGradientNorm / pnorm : paru;
  for (let iter = 0; ; iter++) {
    if (lambda === 0) lambda = Math.max(DWARF, 1e-3 * paru);
    factorBlocks(qr, blocks, r, diag, lambda);
    solveBlocks(qr, step);
    pnorm = norm(step);
    const fp = pnorm - delta;
    if (Math.abs(fp) <= 0.1 * delta || iter === 9) break;
    const correction = newtonCorrection(qr, step, pnorm, delta, work);
    if (fp > 0) parl = Math.max(parl, lambda);
    if (fp < 0) paru = Math.min(paru, lambda);
    lambda = Math.max(parl, lambda + correction);
  }
  return { lambda, pnorm };
}

/**
 * (‖p̃‖ − Δ)/(Δ·‖R⁻ᵀq‖²), q = p̃/‖p̃‖: the Newton correction to λ for 1/‖p̃(λ)‖ = 1/Δ, R
 * the factor of [J̃; √λ·I] in `qr` (the full matrix R, never formed: see solveTransposed).
 */
function newtonCorrection(
  qr: BlockQr,
  step: Float64Array,
  pnorm: number,
  delta: number,
  work: Float64Array,
): number {
  for (let j = 0; j < step.length; j++) work[j] = step[j]! / pnorm;
  const z2 = solveTransposed(qr, work);
  return z2 > 0 ? (pnorm - delta) / (delta * z2) : 0;
}

/**
 * x ← R⁻ᵀx in place (global layout [shared | group locals …]) and returns ‖x‖². R, in the
 * elimination order (each group's locals, then the shared), is [[L_g … C_g], [0 … R_S]], so
 * Rᵀz = x is L_gᵀz_gL = x_gL for every group, then R_Sᵀz_S = x_S − Σ_g C_gᵀz_gL.
 */
export function solveTransposed(qr: BlockQr, x: Float64Array): number {
  const { G, ql, qs, top, stack } = qr;
  const cols = ql + qs + 1;
  let s2 = 0;
  for (let g = 0; g < G; g++) {
    const t = top[g]!;
    const off = qs + g * ql;
    for (let i = 0; i < ql; i++) {
      let s = x[off + i]!;
      for (let k = 0; k < i; k++) s -= t[k * cols + i]! * x[off + k]!;
      const d = t[i * cols + i]!;
      const z = d !== 0 ? s / d : 0;
      x[off + i] = z;
      s2 += z * z;
      for (let j = 0; j < qs; j++) x[j]! -= t[i * cols + ql + j]! * z;
    }
  }
  const sCols = qs + 1;
  for (let i = 0; i < qs; i++) {
    let s = x[i]!;
    for (let k = 0; k < i; k++) s -= stack[k * sCols + i]! * x[k]!;
    const d = stack[i * sCols + i]!;
    const z = d !== 0 ? s / d : 0;
    x[i] = z;
    s2 += z * z;
  }
  return s2;
}

function norm(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s);
}
