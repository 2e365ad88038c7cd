import { describe, expect, it } from "vitest";
import { BiogradError } from "../../../src/core/errors.js";
import { IntegrationError, integrate } from "../../../src/ode/integrate/index.js";
import type { IntegrateOptions, OdeSystem } from "../../../src/ode/types.js";
import { decay, logistic, robertson, twoCompartment } from "./systems.js";

function failure(system: OdeSystem, options: IntegrateOptions): IntegrationError {
  try {
    integrate(system, options);
  } catch (e) {
    expect(e).toBeInstanceOf(IntegrationError);
    expect(e).not.toBeInstanceOf(BiogradError); // a failed run (exit 1), not bad input
    return e as IntegrationError;
  }
  throw new Error("expected an IntegrationError");
}

/** y' = y², y(0) = 1: y = 1/(1 − t) blows up at t = 1. */
const blowUp: OdeSystem = {
  n: 1,
  rhs: (_t, y, dy) => {
    dy[0] = y[0]! * y[0]!;
  },
  jacobian: (_t, y, J) => {
    J[0] = 2 * y[0]!;
  },
};

describe("integrate: failed runs end with an IntegrationError naming the time reached", () => {
  it("step limit", () => {
    const e = failure(decay(1), {
      t0: 0,
      y0: Float64Array.from([1]),
      times: Float64Array.from([100]),
      solver: "rodas",
      maxSteps: 5,
      rtol: 1e-10,
    });
    expect(e.reason).toBe("step_limit");
    expect(e.message).toMatch(/^integrator: step limit 5 reached at t = \S+ of 100 \(rodas\); /);
  });

  for (const solver of ["dopri5", "rodas"] as const) {
    it(`a solution that blows up (${solver}) stops just before the singularity`, () => {
      const e = failure(blowUp, {
        t0: 0,
        y0: Float64Array.from([1]),
        times: Float64Array.from([2]),
        solver,
      });
      expect(["step_size_underflow", "non_finite"]).toContain(e.reason);
      expect(e.t).toBeGreaterThan(0.99);
      expect(e.t).toBeLessThan(1.001); // the numerical singularity sits near the exact one
      expect(e.message).toMatch(new RegExp(`at t = (0\\.99|1)[\\d.]* of 2 \\(${solver}\\)`));
    });
  }

  it("a right-hand side that turns NaN", () => {
    const nan: OdeSystem = {
      n: 1,
      rhs: (t, _y, dy) => {
        dy[0] = t < 0.5 ? 1 : Number.NaN;
      },
      jacobian: (_t, _y, J) => {
        J[0] = 0;
      },
    };
    const e = failure(nan, {
      t0: 0,
      y0: Float64Array.from([0]),
      times: Float64Array.from([1]),
      solver: "dopri5",
    });
    expect(e.reason).toBe("non_finite");
    expect(e.t).toBeGreaterThan(0.49);
    expect(e.t).toBeLessThan(0.5);
    expect(e.message).toMatch(
      /^integrator: the solution became non-finite \(NaN or infinite\) after t = 0\.5 \(dopri5\)$/,
    );
  });

  it("a non-finite initial state", () => {
    const e = failure(decay(1), {
      t0: 0,
      y0: Float64Array.from([Number.NaN]),
      times: Float64Array.from([1]),
    });
    expect(e.reason).toBe("non_finite");
    expect(e.t).toBe(0);
  });

  it("an abort signal stops the run between steps", () => {
    const before = new AbortController();
    before.abort();
    const e = failure(decay(1), {
      t0: 0,
      y0: Float64Array.from([1]),
      times: Float64Array.from([10]),
      signal: before.signal,
    });
    expect(e.reason).toBe("interrupted");
    expect(e.message).toBe("integrator: interrupted at t = 0 of 10");
    const during = new AbortController();
    let calls = 0;
    const system = decay(1);
    const counting: OdeSystem = {
      ...system,
      rhs: (t, y, dy) => {
        if (++calls === 100) during.abort();
        system.rhs(t, y, dy);
      },
    };
    const later = failure(counting, {
      t0: 0,
      y0: Float64Array.from([1]),
      times: Float64Array.from([10]),
      rtol: 1e-12,
      signal: during.signal,
    });
    expect(later.reason).toBe("interrupted");
    expect(later.t).toBeGreaterThan(0);
    expect(later.t).toBeLessThan(10);
  });
});

describe("integrate: statistics and determinism", () => {
  it("counts stages, Jacobians and factorizations as the methods use them", () => {
    const options = { t0: 0, y0: Float64Array.from([0.1]), times: Float64Array.from([0, 5, 12]) };
    const d = integrate(logistic(1.3, 10), { ...options, solver: "dopri5" }).stats;
    expect(d.steps).toBeGreaterThan(10);
    // FSAL: 6 new stages per trial step, plus f(t0) and the starting-step probe
    expect(d.rhsEvaluations).toBe(6 * (d.steps + d.rejected) + 2);
    expect(d.jacobianEvaluations).toBe(0);
    expect(d.factorizations).toBe(0);
    const r = integrate(logistic(1.3, 10), { ...options, solver: "rodas" }).stats;
    expect(r.factorizations).toBe(r.steps + r.rejected);
    expect(r.jacobianEvaluations).toBe(r.steps); // one per accepted step; rejections reuse it
    // 5 new stages per trial step, f at each step start, the starting-step probe
    expect(r.rhsEvaluations).toBe(5 * (r.steps + r.rejected) + r.steps + 1);
  });

  it("non-stiff problems stay with Dormand–Prince under auto", () => {
    for (const system of [decay(0.7), logistic(1.3, 10), twoCompartment(0.3, 0.8, 0.15)]) {
      const y0 = new Float64Array(system.n).fill(1);
      const r = integrate(system, { t0: 0, y0, times: Float64Array.from([0, 30]), rtol: 1e-10 });
      expect(r.stats.solver).toBe("dopri5");
      expect(r.stats.switchedAt).toBeNull();
    }
  });

  it("the same inputs give bit-identical outputs", () => {
    const run = () =>
      integrate(robertson(), {
        t0: 0,
        y0: Float64Array.from([1, 0, 0]),
        S0: new Float64Array(9),
        times: Float64Array.from([0, 1e-3, 1, 1e3, 1e6]),
        rtol: 1e-7,
        atol: 1e-12,
      });
    const a = run();
    const b = run();
    expect(Buffer.from(a.states.buffer).equals(Buffer.from(b.states.buffer))).toBe(true);
    expect(Buffer.from(a.sensitivities!.buffer).equals(Buffer.from(b.sensitivities!.buffer))).toBe(
      true,
    );
    expect(a.stats).toEqual(b.stats);
    expect(a.stats.switchedAt).not.toBeNull();
  });
});
