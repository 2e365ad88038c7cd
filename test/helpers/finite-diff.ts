/**
 * Central finite differences of a scalar function of a parameter vector:
 *   ∂f/∂θ_i ≈ (f(θ + h e_i) − f(θ − h e_i)) / 2h,  h = step·max(1, |θ_i|).
 * Error O(h²) from truncation plus O(ε·|f|/h) from rounding; step 1e-5 balances them
 * for smooth float64 functions of order 1.
 */
export function centralDifferences(
  f: (theta: Float64Array) => number,
  theta: Float64Array,
  step = 1e-5,
): Float64Array {
  const out = new Float64Array(theta.length);
  const probe = Float64Array.from(theta);
  for (let i = 0; i < theta.length; i++) {
    const h = step * Math.max(1, Math.abs(theta[i]!));
    probe[i] = theta[i]! + h;
    const up = f(probe);
    probe[i] = theta[i]! - h;
    const down = f(probe);
    probe[i] = theta[i]!;
    out[i] = (up - down) / (2 * h);
  }
  return out;
}

/** max_i |a_i − b_i| / max(|b|_∞, tiny): one relative error for the whole vector. */
export function maxRelativeError(a: Float64Array, b: Float64Array): number {
  let num = 0;
  let den = 1e-300;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / den;
}
