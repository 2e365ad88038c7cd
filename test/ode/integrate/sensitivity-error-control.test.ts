import { describe, expect, it } from "vitest";
import { integrate } from "../../../src/ode/integrate/index.js";
import { logistic } from "./systems.js";

// y(t) = K / (1 + A·e^(−rt)), A = K/y0 − 1, and its θ = (r, K, y0) derivatives in closed form.
const r = 0.8;
const K = 10;
const y0 = 0.5;
const times = Float64Array.from({ length: 21 }, (_, k) => k / 2);
const S0 = Float64Array.of(0, 0, 1);

function exact(t: number): [number, number, number, number] {
  const E = Math.exp(-r * t);
  const A = K / y0 - 1;
  const D = 1 + A * E;
  return [
    K / D,
    (K * A * t * E) / (D * D),
    1 / D - (K * E) / (y0 * D * D),
    (K * K * E) / (y0 * y0 * D * D),
  ];
}

describe("integrate with sensitivityErrorControl: false", () => {
  for (const solver of ["dopri5", "rodas"] as const) {
    it(`${solver}: the states are exactly those without sensitivities, the sensitivities still exact to 1e-6`, () => {
      const options = { t0: 0, y0: Float64Array.of(y0), times, solver, rtol: 1e-10, atol: 1e-12 };
      const plain = integrate(logistic(r, K), options);
      const off = integrate(logistic(r, K), { ...options, S0, sensitivityErrorControl: false });
      const on = integrate(logistic(r, K), { ...options, S0 });
      expect(Array.from(off.states)).toEqual(Array.from(plain.states));
      expect(off.stats.steps).toBe(plain.stats.steps);
      expect(off.stats.steps).toBeLessThan(on.stats.steps);
      times.forEach((t, i) => {
        const [y, ...dy] = exact(t);
        expect(Math.abs(off.states[i]! - y) / y).toBeLessThan(1e-8);
        dy.forEach((d, l) => {
          expect(Math.abs(off.sensitivities![i * 3 + l]! - d)).toBeLessThan(
            1e-6 * (Math.abs(d) + 1),
          );
        });
      });
    });
  }

  it("refuses a value that is not true or false", () => {
    expect(() =>
      integrate(logistic(r, K), {
        t0: 0,
        y0: Float64Array.of(y0),
        times,
        S0,
        sensitivityErrorControl: "no" as unknown as boolean,
      }),
    ).toThrow(/sensitivityErrorControl/);
  });
});
