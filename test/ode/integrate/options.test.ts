import { describe, expect, it } from "vitest";
import { BiogradError, OptionError } from "../../../src/core/errors.js";
import { integrate } from "../../../src/ode/integrate/index.js";
import type { IntegrateOptions, OdeSystem } from "../../../src/ode/types.js";
import { decay } from "./systems.js";

const base: IntegrateOptions = {
  t0: 0,
  y0: Float64Array.from([1]),
  times: Float64Array.from([0, 1, 2]),
};

function messageOf(options: Partial<IntegrateOptions>, system: OdeSystem = decay(1)): string {
  try {
    integrate(system, { ...base, ...options });
  } catch (e) {
    expect(e).toBeInstanceOf(OptionError);
    expect(e).toBeInstanceOf(BiogradError); // exit 2
    return (e as Error).message;
  }
  throw new Error("expected an OptionError");
}

describe("integrate: bad options give one line naming the option (OptionError, exit 2)", () => {
  it("negative or non-finite tolerances", () => {
    expect(messageOf({ rtol: -1e-6 })).toMatchInlineSnapshot(
      `"integrator: rtol must be a finite number > 0, got -0.000001"`,
    );
    expect(messageOf({ atol: Number.NaN })).toMatchInlineSnapshot(
      `"integrator: atol must be a finite number > 0, got NaN"`,
    );
    expect(messageOf({ atol: Number.POSITIVE_INFINITY })).toContain("atol must be");
  });

  it("output times that decrease or start before t0", () => {
    expect(messageOf({ times: Float64Array.from([0, 2, 1]) })).toMatchInlineSnapshot(
      `"integrator: times[2] must be ≥ times[1] = 2 (output times must be non-decreasing), got 1"`,
    );
    expect(messageOf({ t0: 1, times: Float64Array.from([0.5, 2]) })).toMatchInlineSnapshot(
      `"integrator: times[0] must be ≥ t0 = 1 (output times start at t0), got 0.5"`,
    );
    expect(messageOf({ times: Float64Array.from([0, Number.NaN]) })).toMatchInlineSnapshot(
      `"integrator: times[1] must be a finite number, got NaN"`,
    );
  });

  it("shapes, step limit, solver and discontinuity times", () => {
    expect(messageOf({ y0: Float64Array.from([1, 2]) })).toMatchInlineSnapshot(
      `"integrator: y0 length must be 1 (one value per state), got 2"`,
    );
    expect(messageOf({ S0: Float64Array.from([0]) })).toMatchInlineSnapshot(
      `"integrator: S0 length must be 2 (n × np = 1 × 2), got 1"`,
    );
    const plain: OdeSystem = { n: 1, rhs: () => {}, jacobian: () => {} };
    expect(messageOf({ S0: Float64Array.from([0]) }, plain)).toContain("S0 must be given only");
    expect(messageOf({ maxSteps: 0 })).toMatchInlineSnapshot(
      `"integrator: maxSteps must be a whole number > 0, got 0"`,
    );
    expect(messageOf({ solver: "lsoda" as never })).toMatchInlineSnapshot(
      `"integrator: solver must be one of "auto", "dopri5", "rodas", got "lsoda""`,
    );
    expect(messageOf({ discontinuities: [{ time: -1, apply: () => {} }] })).toMatchInlineSnapshot(
      `"integrator: discontinuities[0].time must be a finite number ≥ t0 = 0, got -1"`,
    );
  });

  it("empty output times and times at t0 only need no step", () => {
    const empty = integrate(decay(1), { ...base, times: new Float64Array(0) });
    expect(empty.states.length).toBe(0);
    const atStart = integrate(decay(1), { ...base, times: Float64Array.from([0, 0]) });
    expect([...atStart.states]).toEqual([1, 1]);
    expect(atStart.stats.steps).toBe(0);
    expect(atStart.stats.rhsEvaluations).toBe(0);
  });
});
