/**
 * The k-th point of the small scaled multistart around `anchor` (all parameters, the model's
 * order), written into `out`: each free parameter j moves by u ∈ (−1, 1) from a Halton
 * sequence (base: the j-th prime), so k = 0, 1, 2, … spread over the box without a random
 * generator and the same curve always gets the same starts:
 *
 *   log-scale (positive) parameters:  θ = anchor·10^u          (a decade either way)
 *   others:                           θ = anchor + 2u·s,  s = |anchor| or 1 when it is 0
 *
 * so an unbounded parameter ranges over (−1, 3)·anchor, which includes its sign flip (a Hill
 * slope started on the wrong side). Fixed parameters keep the anchor's value.
 */
const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53];

export function multistartPoint(
  anchor: Float64Array,
  free: Int32Array | readonly number[],
  logScale: Uint8Array,
  k: number,
  out: Float64Array,
): void {
  out.set(anchor);
  for (let j = 0; j < free.length; j++) {
    const u = 2 * halton(k + 1, PRIMES[j % PRIMES.length]!) - 1;
    const i = free[j]!;
    const a = anchor[i]!;
    if (logScale[j] === 1) out[i] = a * 10 ** u;
    else out[i] = a + 2 * u * (a !== 0 ? Math.abs(a) : 1);
  }
}

/** The index-th element of the van der Corput sequence in `base`, in (0, 1). */
export function halton(index: number, base: number): number {
  let f = 1;
  let r = 0;
  let i = index;
  while (i > 0) {
    f /= base;
    r += f * (i % base);
    i = Math.floor(i / base);
  }
  return r;
}
