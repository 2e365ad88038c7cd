/**
 * Hand-written test systems with their Jacobians, parameter Jacobians and second derivatives,
 * so the integrator tests do not depend on the model-file compiler. Sensitivity parameters are
 * the rate constants followed by the initial values where noted.
 */
import type { OdeSystem, SensitivitySystem } from "../../../src/ode/types.js";

/** y' = −k·y; θ = (k, y0). */
export function decay(k: number): SensitivitySystem {
  return {
    n: 1,
    np: 2,
    rhs: (_t, y, dy) => {
      dy[0] = -k * y[0]!;
    },
    jacobian: (_t, _y, J) => {
      J[0] = -k;
    },
    paramJacobian: (_t, y, P) => {
      P[0] = -y[0]!;
      P[1] = 0;
    },
    // ∂/∂y (J·S_l + P_l) = ∂P_l/∂y (J is constant in y)
    sensitivityJacobianTimesVector: (_t, _y, _S, v, out) => {
      out[0] = -v[0]!;
      out[1] = 0;
    },
  };
}

/** y' = r·y·(1 − y/K); θ = (r, K, y0). */
export function logistic(r: number, K: number): SensitivitySystem {
  return {
    n: 1,
    np: 3,
    rhs: (_t, y, dy) => {
      dy[0] = r * y[0]! * (1 - y[0]! / K);
    },
    jacobian: (_t, y, J) => {
      J[0] = r * (1 - (2 * y[0]!) / K);
    },
    paramJacobian: (_t, y, P) => {
      const u = y[0]!;
      P[0] = u * (1 - u / K);
      P[1] = (r * u * u) / (K * K);
      P[2] = 0;
    },
    sensitivityJacobianTimesVector: (_t, y, S, v, out) => {
      const u = y[0]!;
      const dJ = (-2 * r) / K;
      out[0] = (dJ * S[0]! + (1 - (2 * u) / K)) * v[0]!;
      out[1] = (dJ * S[1]! + (2 * r * u) / (K * K)) * v[0]!;
      out[2] = dJ * S[2]! * v[0]!;
    },
  };
}

/**
 * Linear two-compartment model: y1' = −(k10 + k12)·y1 + k21·y2, y2' = k12·y1 − k21·y2;
 * θ = (k10, k12, k21).
 */
export function twoCompartment(k10: number, k12: number, k21: number): SensitivitySystem {
  return {
    n: 2,
    np: 3,
    rhs: (_t, y, dy) => {
      dy[0] = -(k10 + k12) * y[0]! + k21 * y[1]!;
      dy[1] = k12 * y[0]! - k21 * y[1]!;
    },
    jacobian: (_t, _y, J) => {
      J[0] = -(k10 + k12);
      J[1] = k21;
      J[2] = k12;
      J[3] = -k21;
    },
    paramJacobian: (_t, y, P) => {
      P[0] = -y[0]!;
      P[1] = -y[0]!;
      P[2] = y[1]!;
      P[3] = 0;
      P[4] = y[0]!;
      P[5] = -y[1]!;
    },
    sensitivityJacobianTimesVector: (_t, _y, _S, v, out) => {
      // J is constant in y; ∂P/∂y·v, row-major (state, parameter)
      out[0] = -v[0]!;
      out[1] = -v[0]!;
      out[2] = v[1]!;
      out[3] = 0;
      out[4] = v[0]!;
      out[5] = -v[1]!;
    },
  };
}

/** Robertson's chemical kinetics (k1 = 0.04, k2 = 1e4, k3 = 3e7); θ = (k1, k2, k3). */
export function robertson(k1 = 0.04, k2 = 1e4, k3 = 3e7): SensitivitySystem {
  return {
    n: 3,
    np: 3,
    rhs: (_t, y, dy) => {
      const a = k1 * y[0]!;
      const b = k2 * y[1]! * y[2]!;
      const c = k3 * y[1]! * y[1]!;
      dy[0] = -a + b;
      dy[1] = a - b - c;
      dy[2] = c;
    },
    jacobian: (_t, y, J) => {
      const [, y2, y3] = [y[0]!, y[1]!, y[2]!];
      J[0] = -k1;
      J[1] = k2 * y3;
      J[2] = k2 * y2;
      J[3] = k1;
      J[4] = -k2 * y3 - 2 * k3 * y2;
      J[5] = -k2 * y2;
      J[6] = 0;
      J[7] = 2 * k3 * y2;
      J[8] = 0;
    },
    paramJacobian: (_t, y, P) => {
      const a = y[0]!;
      const b = y[1]! * y[2]!;
      const c = y[1]! * y[1]!;
      P.set([-a, b, 0, a, -b, -c, 0, 0, c]);
    },
    sensitivityJacobianTimesVector: (_t, y, S, v, out) => {
      // Row i, parameter l: Σ_j,m ∂²f_i/∂y_j∂y_m S_ml v_j + Σ_j ∂²f_i/∂y_j∂θ_l v_j
      const [v1, v2, v3] = [v[0]!, v[1]!, v[2]!];
      const y2 = y[1]!;
      const y3 = y[2]!;
      for (let l = 0; l < 3; l++) {
        const s2 = S[3 + l]!;
        const s3 = S[6 + l]!;
        // second derivatives of f from y2·y3 (k2) and y2² (k3)
        const d23 = k2 * (v2 * s3 + v3 * s2); // ∂/∂y (k2·(y3·S2 + y2·S3))·v
        const d22 = 2 * k3 * v2 * s2; // ∂/∂y (2·k3·y2·S2)·v
        // mixed derivatives ∂/∂y (∂f/∂θ_l)·v
        const m1 = l === 0 ? -v1 : l === 1 ? y3 * v2 + y2 * v3 : 0;
        const m2 = l === 0 ? v1 : l === 1 ? -(y3 * v2 + y2 * v3) : -2 * y2 * v2;
        const m3 = l === 2 ? 2 * y2 * v2 : 0;
        out[l] = d23 + m1;
        out[3 + l] = -d23 - d22 + m2;
        out[6 + l] = d22 + m3;
      }
    },
  };
}

/** The test set's VDPOL: y1' = y2, y2' = ((1 − y1²)·y2 − y1)/ε, ε = 1e-6; θ = (ε). */
export function vanDerPol(eps = 1e-6): SensitivitySystem {
  return {
    n: 2,
    np: 1,
    rhs: (_t, y, dy) => {
      dy[0] = y[1]!;
      dy[1] = ((1 - y[0]! * y[0]!) * y[1]! - y[0]!) / eps;
    },
    jacobian: (_t, y, J) => {
      J[0] = 0;
      J[1] = 1;
      J[2] = (-2 * y[0]! * y[1]! - 1) / eps;
      J[3] = (1 - y[0]! * y[0]!) / eps;
    },
    paramJacobian: (_t, y, P) => {
      P[0] = 0;
      P[1] = -((1 - y[0]! * y[0]!) * y[1]! - y[0]!) / (eps * eps);
    },
    sensitivityJacobianTimesVector: (_t, y, S, v, out) => {
      const [y1, y2] = [y[0]!, y[1]!];
      const [s1, s2] = [S[0]!, S[1]!];
      const [v1, v2] = [v[0]!, v[1]!];
      out[0] = 0;
      // J21 = (−2 y1 y2 − 1)/ε, J22 = (1 − y1²)/ε; ∂(J21 s1 + J22 s2)/∂y · v
      const dJS = ((-2 * y2 * s1 - 2 * y1 * s2) * v1 + -2 * y1 * s1 * v2) / eps;
      // ∂P2/∂y · v with P2 = −((1 − y1²) y2 − y1)/ε²
      const dP = -((-2 * y1 * y2 - 1) * v1 + (1 - y1 * y1) * v2) / (eps * eps);
      out[1] = dJS + dP;
    },
  };
}

/**
 * Lotka–Volterra: x' = αx − βxy, y' = δxy − γy; θ = (α, β, δ, γ, x0, y0) (the last two only
 * enter the initial values, so their columns of ∂f/∂θ are zero). Not stiff: its eigenvalues
 * stay of modulus ≲ 3 along the orbit of the example model (examples/ode/lotka-volterra.yaml).
 */
export function lotkaVolterra(
  alpha = 1,
  beta = 0.1,
  delta = 0.075,
  gamma = 1.5,
): SensitivitySystem {
  return {
    n: 2,
    np: 6,
    rhs: (_t, y, dy) => {
      dy[0] = alpha * y[0]! - beta * y[0]! * y[1]!;
      dy[1] = delta * y[0]! * y[1]! - gamma * y[1]!;
    },
    jacobian: (_t, y, J) => {
      J[0] = alpha - beta * y[1]!;
      J[1] = -beta * y[0]!;
      J[2] = delta * y[1]!;
      J[3] = delta * y[0]! - gamma;
    },
    paramJacobian: (_t, y, P) => {
      const [x, w] = [y[0]!, y[1]!];
      P.fill(0);
      P[0] = x;
      P[1] = -x * w;
      P[6 + 2] = x * w;
      P[6 + 3] = -w;
    },
    sensitivityJacobianTimesVector: (_t, y, S, v, out) => {
      const [x, w] = [y[0]!, y[1]!];
      const [v1, v2] = [v[0]!, v[1]!];
      for (let l = 0; l < 6; l++) {
        const [s1, s2] = [S[l]!, S[6 + l]!];
        // ∂/∂y (J·S_l)·v: J depends on y through −βy, −βx, δy, δx
        let a = -beta * s2 * v1 - beta * s1 * v2;
        let b = delta * s2 * v1 + delta * s1 * v2;
        // ∂/∂y (∂f/∂θ_l)·v
        if (l === 0) a += v1;
        if (l === 1) a -= w * v1 + x * v2;
        if (l === 2) b += w * v1 + x * v2;
        if (l === 3) b -= v2;
        out[l] = a;
        out[6 + l] = b;
      }
    },
  };
}

/**
 * Stiffness that fades: u' = −1000·v·(u − w), v' = −v, w' = x, x' = −w (u follows sin t
 * through a stiff relaxation with eigenvalue −1000·e^−t). Stiff until t ≈ 7, then not.
 */
export function fadingStiffness(): OdeSystem {
  return {
    n: 4,
    rhs: (_t, y, d) => {
      d[0] = -1000 * y[1]! * (y[0]! - y[2]!);
      d[1] = -y[1]!;
      d[2] = y[3]!;
      d[3] = -y[2]!;
    },
    jacobian: (_t, y, J) => {
      J.fill(0);
      J[0] = -1000 * y[1]!;
      J[1] = -1000 * (y[0]! - y[2]!);
      J[2] = 1000 * y[1]!;
      J[5] = -1;
      J[11] = 1;
      J[14] = -1;
    },
  };
}
