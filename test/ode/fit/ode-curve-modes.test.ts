import { describe, expect, it } from "vitest";
import { odeCurve } from "../../../src/ode/fit/ode-curve.js";
import { residualLayout } from "../../../src/ode/fit/residual-layout.js";
import { loadSetup } from "../../../src/ode/fit/setup.js";

const { model, data } = loadSetup({
  model: { file: "examples/ode/lotka-volterra.yaml" },
  overrides: {},
  data: { file: "examples/ode/lotka-volterra.csv", time: "t" },
  solve: {},
});
const layout = residualLayout(data, model.noise(model.parameters.start), model.source);
const cols = [layout.t];
const n = layout.n;
const theta = Float64Array.from(model.parameters.start);
const other = theta.map((v, k) => (k === 0 ? v * 1.01 : v));
const solve = { solver: "dopri5", rtol: 1e-9, atol: 1e-11 } as const;

describe("odeCurve: exploring and exact integrations, remembered evaluations", () => {
  it("exploring: residuals with and without the Jacobian are the same bits; a repeated point is not integrated again", () => {
    const curve = odeCurve(model, data, layout, solve);
    const f1 = new Float64Array(n);
    const f2 = new Float64Array(n);
    const jac = new Float64Array(n * 6);
    curve.evaluate(theta, cols, n, f1, null);
    curve.evaluate(theta, cols, n, f2, jac); // a plain evaluation cannot give the Jacobian
    expect(curve.integrations).toEqual({ count: 2, withSensitivities: 1 });
    expect(Array.from(f2)).toEqual(Array.from(f1));
    curve.evaluate(theta, cols, n, f1, null);
    curve.evaluate(theta, cols, n, f1, jac);
    expect(curve.integrations.count).toBe(2);
  });

  it("exact: a trial point brings its Jacobian along, and rejected trials keep the accepted point's", () => {
    const curve = odeCurve(model, data, layout, solve, { exact: true });
    const fresh = odeCurve(model, data, layout, solve, { exact: true });
    const f = new Float64Array(n);
    const jac = new Float64Array(n * 6);
    const fRef = new Float64Array(n);
    const jacRef = new Float64Array(n * 6);
    curve.evaluate(theta, cols, n, f, jac); // LM's start
    curve.evaluate(other, cols, n, f, null); // a trial point (integrated with sensitivities)
    curve.evaluate(other, cols, n, f, jac); // accepted: its refresh
    expect(curve.integrations).toEqual({ count: 2, withSensitivities: 2 });
    fresh.evaluate(other, cols, n, fRef, jacRef);
    expect(Array.from(jac)).toEqual(Array.from(jacRef));
    expect(Array.from(f)).toEqual(Array.from(fRef));
    const third = other.map((v, k) => (k === 1 ? v * 1.01 : v));
    curve.evaluate(third, cols, n, f, null); // a rejected trial …
    curve.evaluate(other, cols, n, f, jac); // … and the summary at the accepted point
    expect(curve.integrations.count).toBe(3);
    expect(Array.from(jac)).toEqual(Array.from(jacRef));
  });
});
