/**
 * The weighted RMS norm both methods use for their local error estimate (Hairer's):
 *   err = sqrt(mean_i (e_i / (atol + rtol·max(|z0_i|, |z1_i|)))²)
 * over the first `controlled` components of the integrated vector: all of them by default —
 * states and, when present, sensitivities (like CVODES with errconS = true), so the
 * sensitivities are as accurate as the states — or the states only (errconS = false,
 * `sensitivityErrorControl: false`): the steps are then those of the states alone.
 * Returns NaN when the new point (any component) or the estimate is not finite, which the
 * steppers treat as a rejected step.
 */
export function errorNorm(
  e: Float64Array,
  z0: Float64Array,
  z1: Float64Array,
  rtol: number,
  atol: number,
  controlled: number = e.length,
): number {
  const N = e.length;
  let sum = 0;
  for (let i = 0; i < controlled; i++) {
    const v = z1[i]!;
    if (!Number.isFinite(v)) return Number.NaN;
    const sk = atol + rtol * Math.max(Math.abs(z0[i]!), Math.abs(v));
    const r = e[i]! / sk;
    sum += r * r;
  }
  for (let i = controlled; i < N; i++) if (!Number.isFinite(z1[i]!)) return Number.NaN;
  const err = Math.sqrt(sum / controlled);
  return Number.isFinite(err) ? err : Number.NaN;
}
