import { describe, expect, it } from "vitest";
import { integrate } from "../../../src/ode/integrate/index.js";
import type { Discontinuity } from "../../../src/ode/types.js";
import { decay } from "./systems.js";

// Decay with bolus doses D at times τ: y(t) = y0·e^{−kt} + Σ_{τ ≤ t} D·e^{−k(t−τ)}, and
// ∂y/∂k = −t·y0·e^{−kt} − Σ (t−τ)·D·e^{−k(t−τ)}, ∂y/∂y0 = e^{−kt} (a dose adds a constant).
const k = 0.4;
const y0 = 2;
const dose = (time: number, amount: number, log: number[] = []): Discontinuity => ({
  time,
  apply: (y) => {
    log.push(time);
    y[0] = y[0]! + amount;
  },
});
const exact = (t: number, doses: [number, number][]) => {
  let y = y0 * Math.exp(-k * t);
  let dk = -t * y0 * Math.exp(-k * t);
  for (const [tau, D] of doses) {
    if (tau > t) continue;
    y += D * Math.exp(-k * (t - tau));
    dk -= (t - tau) * D * Math.exp(-k * (t - tau));
  }
  return { y, dk, dy0: Math.exp(-k * t) };
};

describe("integrate: discontinuities stop, apply and restart", () => {
  for (const solver of ["dopri5", "rodas", "auto"] as const) {
    it(`bolus doses with ${solver}: states and sensitivities match the closed form`, () => {
      const doses: [number, number][] = [
        [0, 1],
        [2, 5],
        [5, 3],
        [5, 1],
        [30, 100],
      ];
      const log: number[] = [];
      const times = Float64Array.from([0, 1, 2, 2, 3.5, 5, 7.25, 10]);
      const r = integrate(decay(k), {
        t0: 0,
        y0: Float64Array.from([y0]),
        S0: Float64Array.from([0, 1]),
        times,
        solver,
        rtol: 1e-11,
        atol: 1e-13,
        discontinuities: doses.map(([t, D]) => dose(t, D, log)),
      });
      // an output at a dose time shows the state just after the dose
      times.forEach((t, i) => {
        const e = exact(t, doses);
        expect(Math.abs(r.states[i]! / e.y - 1)).toBeLessThan(1e-8);
        expect(Math.abs(r.sensitivities![2 * i]! - e.dk)).toBeLessThan(
          1e-7 * Math.abs(e.dk) + 1e-9,
        );
        expect(Math.abs(r.sensitivities![2 * i + 1]! - e.dy0)).toBeLessThan(1e-8);
      });
      // both doses at t = 5 applied, the one after the last output time never
      expect(log).toEqual([0, 2, 5, 5]);
    });
  }

  it("unsorted discontinuities are applied in time order", () => {
    const log: number[] = [];
    integrate(decay(k), {
      t0: 0,
      y0: Float64Array.from([1]),
      times: Float64Array.from([0, 4]),
      discontinuities: [dose(3, 1, log), dose(1, 1, log), dose(2, 1, log)],
    });
    expect(log).toEqual([1, 2, 3]);
  });
});
