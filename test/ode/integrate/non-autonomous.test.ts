import { describe, expect, it } from "vitest";
import { integrate } from "../../../src/ode/integrate/index.js";
import type { SensitivitySystem } from "../../../src/ode/types.js";

// y' = −k·y + A·sin(ωt), θ = (k, A): RODAS needs ∂f/∂t (and ∂/∂t of the sensitivity
// right-hand side) in its stages to keep its order on a forced problem.
const w = 3;
function forced(k: number, A: number): SensitivitySystem {
  return {
    n: 1,
    np: 2,
    rhs: (t, y, dy) => {
      dy[0] = -k * y[0]! + A * Math.sin(w * t);
    },
    jacobian: (_t, _y, J) => {
      J[0] = -k;
    },
    timeDerivative: (t, _y, out) => {
      out[0] = A * w * Math.cos(w * t);
    },
    paramJacobian: (t, y, P) => {
      P[0] = -y[0]!;
      P[1] = Math.sin(w * t);
    },
    sensitivityJacobianTimesVector: (_t, _y, _S, v, out) => {
      out[0] = -v[0]!;
      out[1] = 0;
    },
    // ∂/∂t (J·S + ∂f/∂θ): J is constant; ∂f/∂A = sin(ωt)
    sensitivityTimeDerivative: (t, _y, _S, out) => {
      out[0] = 0;
      out[1] = w * Math.cos(w * t);
    },
  };
}

/** y = y_p(t) + (y0 − y_p(0))·e^{−kt}, y_p = A·(k·sin ωt − ω·cos ωt)/(k² + ω²). */
const exact = (k: number, A: number, y0: number, t: number) => {
  const yp = (s: number) => (A * (k * Math.sin(w * s) - w * Math.cos(w * s))) / (k * k + w * w);
  return yp(t) + (y0 - yp(0)) * Math.exp(-k * t);
};

describe("integrate: a forced (non-autonomous) system", () => {
  for (const solver of ["dopri5", "rodas"] as const) {
    it(`${solver}: states to 1e-9 and sensitivities to 1e-7 against the closed form`, () => {
      const [k, A, y0] = [40, 2, 1];
      const times = Float64Array.from({ length: 31 }, (_, i) => i * 0.2);
      const r = integrate(forced(k, A), {
        t0: 0,
        y0: Float64Array.from([y0]),
        S0: Float64Array.from([0, 0]),
        times,
        solver,
        rtol: 1e-11,
        atol: 1e-13,
      });
      const h = 1e-5;
      times.forEach((t, i) => {
        expect(Math.abs(r.states[i]! - exact(k, A, y0, t))).toBeLessThan(1e-9);
        const dk = (exact(k + h, A, y0, t) - exact(k - h, A, y0, t)) / (2 * h);
        const dA = (exact(k, A + h, y0, t) - exact(k, A - h, y0, t)) / (2 * h);
        expect(Math.abs(r.sensitivities![2 * i]! - dk)).toBeLessThan(1e-7);
        expect(Math.abs(r.sensitivities![2 * i + 1]! - dA)).toBeLessThan(1e-7);
      });
    });
  }

  it("rodas uses ∂f/∂t: without it the error control needs more steps on a forced problem", () => {
    const [k, A, y0] = [40, 2, 1];
    const system = forced(k, A);
    const { timeDerivative: _, sensitivityTimeDerivative: __, ...withoutT } = system;
    const err = (s: SensitivitySystem, rtol: number) => {
      const r = integrate(s, {
        t0: 0,
        y0: Float64Array.from([y0]),
        times: Float64Array.from([2]),
        solver: "rodas",
        rtol,
        atol: rtol,
      });
      return { e: Math.abs(r.states[0]! - exact(k, A, y0, 2)), steps: r.stats.steps };
    };
    const withT = err(system, 1e-8);
    const noT = err(withoutT as SensitivitySystem, 1e-8);
    // (measured: 303 steps with it, 28 266 without: the stages lose their order in t)
    expect(noT.steps).toBeGreaterThan(10 * withT.steps);
    expect(withT.e).toBeLessThan(1e-8);
  });
});
