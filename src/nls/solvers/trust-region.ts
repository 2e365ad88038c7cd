/**
 * The Levenberg–Marquardt trust-region subproblem in the SVD basis.
 *
 * With the scaled Jacobian J̃ = J·D⁻¹ = U·Σ·Vᵀ and g = Uᵀr, the damped step
 *
 *   p̃(λ) = argmin ‖r + J̃ p̃‖² + λ‖p̃‖²   solves   (J̃ᵀJ̃ + λI) p̃ = −J̃ᵀr,
 *   p̃(λ) = V·z(λ),   z_k = −σ_k g_k / (σ_k² + λ),   ‖p̃(λ)‖ = ‖z(λ)‖,
 *
 * and the step in the parameters is p = D⁻¹p̃, so ‖D·p‖ = ‖z‖. This is the same subproblem as
 * MINPACK's lmpar (Moré 1978) solves with QR of [J; √λ·D], but every trial λ costs O(p) here
 * instead of a new factorisation, and there is no normal-equations matrix to lose digits in.
 */

/** Singular values at or below σ_max·this are treated as zero (pseudo-inverse Gauss–Newton step). */
export function rankTolerance(n: number, p: number): number {
  return Math.max(n, p) * 2.220446049250313e-16;
}

/**
 * λ ≥ 0 such that the step length ψ(λ) = ‖z(λ)‖ is within 10 % of the radius Δ, or λ = 0 when
 * the (pseudo-inverse) Gauss–Newton step is already no longer than 1.1·Δ — Moré's criterion.
 * Newton's method on 1/ψ(λ) − 1/Δ (Hebden; Moré 1978 §5): 1/ψ is concave in λ, so from λ = 0
 * the iterates increase monotonically to the root; a handful of iterations suffice.
 */
export function solveLambda(
  sigma: Float64Array,
  g: Float64Array,
  rank: number,
  delta: number,
): number {
  let psi0 = 0;
  for (let k = 0; k < rank; k++) {
    const zk = g[k]! / sigma[k]!;
    psi0 += zk * zk;
  }
  psi0 = Math.sqrt(psi0);
  if (psi0 <= 1.1 * delta) return 0;
  let lambda = 0;
  for (let it = 0; it < 50; it++) {
    // ψ(λ)² = Σ a_k²/(σ_k²+λ)²,  −ψψ' = S(λ) = Σ a_k²/(σ_k²+λ)³,  a_k = σ_k g_k.
    let psi2 = 0;
    let s = 0;
    for (let k = 0; k < rank; k++) {
      const sk = sigma[k]!;
      const d = sk * sk + lambda;
      const t = (sk * g[k]!) / d;
      psi2 += t * t;
      s += (t * t) / d;
    }
    const psi = Math.sqrt(psi2);
    if (Math.abs(psi - delta) <= 0.1 * delta || s === 0) break;
    const next = lambda + ((psi - delta) / delta) * (psi2 / s);
    if (!(next >= 0) || next === lambda) break;
    lambda = next;
  }
  return lambda;
}

/**
 * Writes z(λ) into `z` and returns the predicted reduction of ‖r‖² by the step, which with
 * c_k = σ_k²/(σ_k²+λ) is Σ g_k²·c_k·(2 − c_k) — a sum of non-negative terms, computed without
 * the cancellation of ‖r‖² − ‖r + J̃p̃‖². Also returns ‖J̃p̃‖² in `out[0]` (for the
 * directional derivative used by the radius update).
 */
export function dampedStep(
  sigma: Float64Array,
  g: Float64Array,
  rank: number,
  lambda: number,
  z: Float64Array,
  out: Float64Array,
): number {
  let pred = 0;
  let jp2 = 0;
  for (let k = 0; k < z.length; k++) {
    if (k >= rank) {
      z[k] = 0;
      continue;
    }
    const sk = sigma[k]!;
    const gk = g[k]!;
    const d = sk * sk + lambda;
    z[k] = (-sk * gk) / d;
    const c = (sk * sk) / d;
    pred += gk * gk * c * (2 - c);
    jp2 += gk * gk * c * c;
  }
  out[0] = jp2;
  return pred;
}

/**
 * lmder's radius update from the gain ratio ρ: for ρ ≤ ¼ shrink to between 0.1 and 0.5 of
 * min(Δ, 10·‖D·p‖) (the factor from a quadratic fit along the step, using the directional
 * derivative `dirder`; 0.1 for a failed, non-finite or wild step); for ρ ≥ ¾ or a Gauss–Newton
 * step (λ = 0) Δ = 2‖D·p‖; otherwise unchanged.
 */
export function updateRadius(
  delta: number,
  ratio: number,
  actred: number,
  dirder: number,
  pnorm: number,
  lambda: number,
  wild: boolean,
): number {
  if (ratio <= 0.25) {
    let temp = actred >= 0 ? 0.5 : (0.5 * dirder) / (dirder + 0.5 * actred);
    if (wild || !(temp >= 0.1)) temp = 0.1;
    return temp * Math.min(delta, pnorm / 0.1);
  }
  if (lambda === 0 || ratio >= 0.75) return pnorm / 0.5;
  return delta;
}
