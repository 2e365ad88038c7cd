/**
 * The last evaluation of a curve: θ, f and (with sensitivities) the Jacobian. An ODE curve's
 * evaluation is an integration, and a fit asks for the same point more than once:
 * Levenberg–Marquardt's last refresh is at the estimates the summary then evaluates again.
 * Reused only for the very same θ (bit for bit) and count.
 */
export interface EvaluationMemo {
  /** Copies the remembered values into f (and jac) when θ and the count are the same. */
  recall(theta: Float64Array, count: number, f: Float64Array, jac: Float64Array | null): boolean;
  /** Remembers an evaluation in place of the last one. */
  store(theta: Float64Array, count: number, f: Float64Array, jac: Float64Array | null): void;
}

/** A memo of one evaluation of up to n values and, when np > 0, their n × np Jacobian. */
export function evaluationMemo(n: number, np: number): EvaluationMemo {
  let theta: Float64Array | null = null;
  let count = -1;
  let hasJac = false;
  const f = new Float64Array(n);
  const jac = new Float64Array(n * np);
  const same = (other: Float64Array) => {
    if (theta === null || theta.length !== other.length) return false;
    for (let k = 0; k < other.length; k++) if (theta[k] !== other[k]) return false;
    return true;
  };
  return {
    recall(at, c, fOut, jacOut) {
      if (c !== count || (jacOut !== null && !hasJac) || !same(at)) return false;
      fOut.set(f.subarray(0, c));
      if (jacOut !== null) jacOut.set(jac.subarray(0, c * np));
      return true;
    },
    store(at, c, fIn, jacIn) {
      if (c > n) return;
      theta = Float64Array.from(at);
      count = c;
      f.set(fIn.subarray(0, c));
      hasJac = jacIn !== null && np > 0;
      if (hasJac) jac.set(jacIn!.subarray(0, c * np));
    },
  };
}
