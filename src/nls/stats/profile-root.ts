/**
 * Brent's root finder (Brent 1973, "Algorithms for Minimization without Derivatives", ch. 4;
 * the `zeroin` that R's uniroot uses): inverse quadratic interpolation and secant steps,
 * falling back to bisection whenever they would not shrink the bracket fast enough, so it
 * converges superlinearly on smooth functions and never slower than bisection.
 *
 * `g(a)` and `g(b)` must have opposite signs (or one is 0). Stops when the bracket is below
 * `tol` (plus 4ε·|b|) or after `maxIterations`; returns the last best point and whether the
 * tolerance was met. `g` may return NaN: the search then reports failure at that point.
 */
export interface RootResult {
  root: number;
  converged: boolean;
  evaluations: number;
}

const EPS = 2.220446049250313e-16;

export function brentRoot(
  g: (x: number) => number,
  a0: number,
  b0: number,
  ga0: number,
  gb0: number,
  tol: number,
  maxIterations = 60,
): RootResult {
  let a = a0;
  let b = b0;
  let fa = ga0;
  let fb = gb0;
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  let evaluations = 0;
  for (let it = 0; it < maxIterations; it++) {
    if (Math.abs(fc) < Math.abs(fb)) {
      // Keep b the best estimate: swap b and c.
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol1 = 4 * EPS * Math.abs(b) + tol / 2;
    const m = (c - b) / 2;
    if (Math.abs(m) <= tol1 || fb === 0) return { root: b, converged: true, evaluations };
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      // Interpolation: secant when a = c, else inverse quadratic.
      let p: number;
      let q: number;
      const s = fb / fa;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol1 * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol1 ? d : m > 0 ? tol1 : -tol1;
    fb = g(b);
    evaluations++;
    if (Number.isNaN(fb)) return { root: b, converged: false, evaluations };
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
  }
  return { root: b, converged: false, evaluations };
}
