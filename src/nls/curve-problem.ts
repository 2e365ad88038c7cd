import type { CurveFunction, LeastSquaresProblem } from "../core/curve.js";
import { type Parameterisation, toNatural } from "./parameters.js";

/** Data for a curve fit: the model's variables as columns, the response, optional weights. */
export interface CurveData {
  columns: readonly Float64Array[];
  y: Float64Array;
  /** w_i > 0 (the residual is sqrt(w_i)·(y_i − f_i)); null for unweighted. */
  weights: Float64Array | null;
}

/** A curve fit as a least-squares problem in the internal coordinates φ of `param`. */
export interface CurveProblem extends LeastSquaresProblem {
  /** θ at the last evaluation (natural coordinates, fixed parameters included). */
  readonly theta: Float64Array;
  /** Residuals and the Jacobian ∂r/∂θ (n × free, natural coordinates) at θ, for the summary. */
  naturalJacobian(theta: Float64Array, r: Float64Array, jac: Float64Array): void;
}

/**
 * r_i(φ) = sqrt(w_i)·(y_i − f(x_i; θ(φ))),  ∂r_i/∂φ_k = −sqrt(w_i)·∂f/∂θ_j · dθ_j/dφ_k
 * for free parameter k at index j. Buffers are allocated once here.
 */
export function curveProblem(
  curve: CurveFunction,
  data: CurveData,
  param: Parameterisation,
): CurveProblem {
  const n = data.y.length;
  const pAll = curve.params.length;
  const q = param.free.length;
  const theta = Float64Array.from(param.base);
  const dtheta = new Float64Array(q);
  const f = new Float64Array(n);
  const full = new Float64Array(n * pAll);
  const sw = data.weights ? Float64Array.from(data.weights, Math.sqrt) : null;

  const fill = (r: Float64Array, jac: Float64Array | null, chain: Float64Array | null): void => {
    curve.evaluate(theta, data.columns, n, f, jac ? full : null);
    for (let i = 0; i < n; i++) {
      const s = sw ? sw[i]! : 1;
      r[i] = s * (data.y[i]! - f[i]!);
      if (!jac) continue;
      for (let k = 0; k < q; k++) {
        const d = full[i * pAll + param.free[k]!.index]!;
        jac[i * q + k] = -s * d * (chain ? chain[k]! : 1);
      }
    }
  };

  return {
    n,
    p: q,
    theta,
    residuals(phi, r, jac) {
      toNatural(param, phi, theta, dtheta);
      fill(r, jac, dtheta);
    },
    naturalJacobian(at, r, jac) {
      theta.set(at);
      fill(r, jac, null);
    },
  };
}
