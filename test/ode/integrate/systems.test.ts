import { describe, expect, it } from "vitest";
import type { SensitivitySystem } from "../../../src/ode/types.js";
import { decay, logistic, robertson, twoCompartment, vanDerPol } from "./systems.js";

// The hand-written test systems are inputs to every other test here: their Jacobians and
// second derivatives are checked against central differences of their right-hand sides.
const cases: [string, SensitivitySystem, number[], (h: number) => SensitivitySystem][] = [
  ["decay", decay(0.7), [1.3], (d) => decay(0.7 + d)],
  ["logistic", logistic(1.3, 10), [2.5], (d) => logistic(1.3 + d, 10)],
  [
    "two-compartment",
    twoCompartment(0.3, 0.8, 0.15),
    [2, 0.7],
    (d) => twoCompartment(0.3 + d, 0.8, 0.15),
  ],
  ["robertson", robertson(), [0.7, 2e-5, 0.3], (d) => robertson(0.04 + d)],
  ["van der Pol", vanDerPol(1e-2), [1.5, -0.4], (d) => vanDerPol(1e-2 + d)],
];

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-8);

describe("test systems: derivatives agree with central differences", () => {
  for (const [name, sys, point] of cases) {
    it(name, () => {
      const { n, np } = sys;
      const y = Float64Array.from(point);
      const S = Float64Array.from({ length: n * np }, (_, i) => 0.3 + 0.1 * i);
      const v = Float64Array.from({ length: n }, (_, i) => 1 - 0.25 * i);
      const J = new Float64Array(n * n);
      sys.jacobian(0, y, J);
      const P = new Float64Array(n * np);
      sys.paramJacobian(0, y, P);
      const B = new Float64Array(n * np);
      sys.sensitivityJacobianTimesVector(0, y, S, v, B);
      const f = (yy: Float64Array) => {
        const out = new Float64Array(n);
        sys.rhs(0, yy, out);
        return out;
      };
      // g(y) = J(y)·S + P(y): its directional derivative along v must equal B
      const g = (yy: Float64Array) => {
        const JJ = new Float64Array(n * n);
        const PP = new Float64Array(n * np);
        sys.jacobian(0, yy, JJ);
        sys.paramJacobian(0, yy, PP);
        return PP.map((p, idx) => {
          const i = Math.floor(idx / np);
          const l = idx % np;
          let s = p;
          for (let j = 0; j < n; j++) s += JJ[i * n + j]! * S[j * np + l]!;
          return s;
        });
      };
      for (let j = 0; j < n; j++) {
        const h = 1e-6 * Math.max(Math.abs(y[j]!), 1e-3);
        const up = Float64Array.from(y);
        const down = Float64Array.from(y);
        up[j] = up[j]! + h;
        down[j] = down[j]! - h;
        const fu = f(up);
        const fd = f(down);
        for (let i = 0; i < n; i++)
          expect(rel(J[i * n + j]!, (fu[i]! - fd[i]!) / (2 * h))).toBeLessThan(1e-6);
      }
      const h = 1e-6;
      const up = y.map((yi, j) => yi + h * v[j]!);
      const down = y.map((yi, j) => yi - h * v[j]!);
      const gu = g(up);
      const gd = g(down);
      for (let m = 0; m < n * np; m++)
        expect(rel(B[m]!, (gu[m]! - gd[m]!) / (2 * h))).toBeLessThan(1e-5);
    });
  }

  it("parameter Jacobians of the rate constants (first column)", () => {
    for (const [, sys, point, shifted] of cases) {
      const y = Float64Array.from(point);
      const P = new Float64Array(sys.n * sys.np);
      sys.paramJacobian(0, y, P);
      const d = 1e-7 * (sys === cases[3]![1] ? 0.04 : 1);
      const fu = new Float64Array(sys.n);
      const fd = new Float64Array(sys.n);
      shifted(d).rhs(0, y, fu);
      shifted(-d).rhs(0, y, fd);
      for (let i = 0; i < sys.n; i++)
        expect(rel(P[i * sys.np]!, (fu[i]! - fd[i]!) / (2 * d))).toBeLessThan(1e-5);
    }
  });
});
