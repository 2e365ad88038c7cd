import { describe, expect, it } from "vitest";
import { integrate } from "../../../src/ode/integrate/index.js";
import { jacobianBound } from "../../../src/ode/integrate/stiffness.js";
import { fadingStiffness, lotkaVolterra, robertson } from "./systems.js";

// "auto" must keep non-stiff problems on Dormand–Prince (a false switch made Lotka–Volterra
// with sensitivities 10–60× slower), still switch on stiff ones, and switch back when the
// stiffness is gone.
const lvTimes = Float64Array.from({ length: 31 }, (_, k) => k * 0.5);
const lvOptions = (rtol: number) => ({
  t0: 0,
  y0: Float64Array.from([10, 5]),
  // dy0/dθ: x0 and y0 are the last two parameters
  S0: Float64Array.from([0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]),
  times: lvTimes,
  rtol,
  atol: rtol * 1e-2,
});

describe("stiffness detection: Lotka–Volterra with sensitivities stays explicit", () => {
  for (const rtol of [1e-4, 1e-6, 1e-8, 1e-11]) {
    it(`rtol ${rtol}: auto never switches nor probes, and costs what dopri5 costs`, () => {
      const auto = integrate(lotkaVolterra(), { ...lvOptions(rtol), solver: "auto" });
      const dopri = integrate(lotkaVolterra(), { ...lvOptions(rtol), solver: "dopri5" });
      expect(auto.stats.solver).toBe("dopri5");
      expect(auto.stats.switchedAt).toBeNull();
      expect(auto.stats.factorizations).toBe(0); // no trial RODAS step either
      expect(auto.stats.rhsEvaluations).toBe(dopri.stats.rhsEvaluations);
      expect(Buffer.from(auto.sensitivities!.buffer)).toEqual(
        Buffer.from(dopri.sensitivities!.buffer),
      );
    });
  }

  it("the hand-written sensitivities agree between the two methods (rodas forced)", () => {
    const rodas = integrate(lotkaVolterra(), { ...lvOptions(1e-10), solver: "rodas" });
    const dopri = integrate(lotkaVolterra(), { ...lvOptions(1e-10), solver: "dopri5" });
    let worst = 0;
    let scale = 0;
    dopri.sensitivities!.forEach((s, k) => {
      worst = Math.max(worst, Math.abs(s - rodas.sensitivities![k]!));
      scale = Math.max(scale, Math.abs(s));
    });
    expect(worst / scale).toBeLessThan(1e-6);
  });
});

describe("stiffness detection: stiff problems still switch", () => {
  for (const rtol of [1e-6, 1e-8, 1e-12]) {
    it(`Robertson with sensitivities, rtol ${rtol}: auto hands over to rodas early`, () => {
      const options = {
        t0: 0,
        y0: Float64Array.from([1, 0, 0]),
        S0: new Float64Array(9),
        times: Float64Array.from([0, 1, 10]),
        rtol,
        atol: rtol * 1e-8,
      };
      const auto = integrate(robertson(), { ...options, solver: "auto" });
      const rodas = integrate(robertson(), { ...options, solver: "rodas" });
      expect(auto.stats.solver).toBe("rodas");
      expect(auto.stats.switchedAt).toBeLessThan(rtol < 1e-10 ? 5 : 1);
      // the explicit part before the switch costs little next to the stiff method's work
      expect(auto.stats.steps).toBeLessThan(1.5 * rodas.stats.steps);
      for (let k = 6; k < 9; k++) {
        expect(Math.abs(auto.states[k]! - rodas.states[k]!)).toBeLessThan(
          100 * rtol * Math.abs(rodas.states[k]!) + options.atol,
        );
      }
    });
  }
});

describe("stiffness detection: switching back", () => {
  const options = (rtol: number) => ({
    t0: 0,
    y0: Float64Array.from([2, 1, 0, 1]),
    times: Float64Array.from([0, 5, 40]),
    rtol,
    atol: rtol * 1e-2,
  });
  for (const rtol of [1e-8, 1e-10]) {
    it(`rtol ${rtol}: stiff at first (rodas), Dormand–Prince again once it has faded`, () => {
      const auto = integrate(fadingStiffness(), { ...options(rtol), solver: "auto" });
      const ref = integrate(fadingStiffness(), { ...options(1e-12), solver: "rodas" });
      const rodas = integrate(fadingStiffness(), { ...options(rtol), solver: "rodas" });
      expect(auto.stats.switchedAt).toBeLessThan(1);
      expect(auto.stats.solver).toBe("dopri5"); // finished on the explicit method
      expect(auto.stats.factorizations).toBeLessThan(rodas.stats.factorizations / 3);
      for (let k = 4; k < 12; k++) {
        expect(Math.abs(auto.states[k]! - ref.states[k]!)).toBeLessThan(1e3 * rtol);
      }
    });
  }
});

describe("jacobianBound", () => {
  it("bounds the spectral radius, in the error weights", () => {
    // triangular: eigenvalues on the diagonal (−5, 2, −0.5), large couplings above it
    const J = Float64Array.from([-5, 1e6, 3, 0, 2, -7e3, 0, 0, -0.5]);
    const y = Float64Array.from([1e6, 1, 1e-3]);
    const bound = jacobianBound(J, 3, y, 1e-6, 1e-12);
    expect(bound).toBeGreaterThanOrEqual(5);
    // unweighted, the coupling 1e6 would dominate; the weights scale it by |y1|/|y0| = 1e-6
    expect(bound).toBeLessThan(100);
  });
});
