import { describe, expect, it } from "vitest";
import { integrate } from "../../../src/ode/integrate/index.js";
import type { SensitivitySystem } from "../../../src/ode/types.js";
import { decay, logistic, twoCompartment } from "./systems.js";

// Closed forms, each a function of all its parameters (rates, then initial values).
const decayExact = ([k, y0]: number[], t: number) => [y0! * Math.exp(-k! * t)];
const logisticExact = ([r, K, y0]: number[], t: number) => {
  const e = Math.exp(r! * t);
  return [(K! * y0! * e) / (K! + y0! * (e - 1))];
};
/** exp(A·t)·y0 for the 2×2 compartment matrix by Sylvester's formula (distinct eigenvalues). */
const twoCompartmentExact = ([k10, k12, k21, a0, b0]: number[], t: number) => {
  const A = [-(k10! + k12!), k21!, k12!, -k21!];
  const tr = A[0]! + A[3]!;
  const det = A[0]! * A[3]! - A[1]! * A[2]!;
  const disc = Math.sqrt(tr * tr - 4 * det);
  const l1 = (tr + disc) / 2;
  const l2 = (tr - disc) / 2;
  const e1 = Math.exp(l1 * t) / (l1 - l2);
  const e2 = Math.exp(l2 * t) / (l2 - l1);
  // exp(At) = e^{λ1 t}(A − λ2 I)/(λ1 − λ2) + e^{λ2 t}(A − λ1 I)/(λ2 − λ1)
  const M = [
    e1 * (A[0]! - l2) + e2 * (A[0]! - l1),
    (e1 + e2) * A[1]!,
    (e1 + e2) * A[2]!,
    e1 * (A[3]! - l2) + e2 * (A[3]! - l1),
  ];
  return [M[0]! * a0! + M[1]! * b0!, M[2]! * a0! + M[3]! * b0!];
};

/** Central differences of a closed form in its parameters: d[state][parameter]. */
function centralDifferences(
  exact: (p: number[], t: number) => number[],
  p: number[],
  t: number,
): number[][] {
  const base = exact(p, t);
  return base.map((_, i) =>
    p.map((v, l) => {
      const step = 1e-5 * Math.max(Math.abs(v), 1);
      const up = [...p];
      const down = [...p];
      up[l] = v + step;
      down[l] = v - step;
      return (exact(up, t)[i]! - exact(down, t)[i]!) / (2 * step);
    }),
  );
}

interface Case {
  name: string;
  system: SensitivitySystem;
  exact: (p: number[], t: number) => number[];
  params: number[];
  y0: number[];
  /** Initial sensitivities (n × np). */
  S0: number[];
  /** Which closed-form parameter each sensitivity column is. */
  columns: number[];
  tEnd: number;
}

const cases: Case[] = [
  {
    name: "exponential decay",
    system: decay(0.7),
    exact: decayExact,
    params: [0.7, 2],
    y0: [2],
    S0: [0, 1],
    columns: [0, 1],
    tEnd: 8,
  },
  {
    name: "logistic growth",
    system: logistic(1.3, 10),
    exact: logisticExact,
    params: [1.3, 10, 0.1],
    y0: [0.1],
    S0: [0, 0, 1],
    columns: [0, 1, 2],
    tEnd: 12,
  },
  {
    name: "two-compartment",
    system: twoCompartment(0.3, 0.8, 0.15),
    exact: twoCompartmentExact,
    params: [0.3, 0.8, 0.15, 5, 1],
    y0: [5, 1],
    S0: [0, 0, 0, 0, 0, 0],
    columns: [0, 1, 2],
    tEnd: 20,
  },
];

const times = (tEnd: number) => Float64Array.from({ length: 41 }, (_, k) => (k * tEnd) / 40);

describe("integrate: closed forms, states to 1e-8 relative and sensitivities to 1e-6", () => {
  for (const c of cases) {
    for (const solver of ["dopri5", "rodas"] as const) {
      it(`${c.name} with ${solver}`, () => {
        const ts = times(c.tEnd);
        const r = integrate(c.system, {
          t0: 0,
          y0: Float64Array.from(c.y0),
          S0: Float64Array.from(c.S0),
          times: ts,
          solver,
          rtol: 1e-11,
          atol: 1e-13,
        });
        const n = c.y0.length;
        const np = c.system.np;
        let worstState = 0;
        let worstSens = 0;
        ts.forEach((t, k) => {
          const y = c.exact(c.params, t);
          const d = centralDifferences(c.exact, c.params, t);
          for (let i = 0; i < n; i++) {
            worstState = Math.max(worstState, Math.abs(r.states[k * n + i]! / y[i]! - 1));
            c.columns.forEach((p, l) => {
              const expected = d[i]![p]!;
              const got = r.sensitivities![(k * n + i) * np + l]!;
              worstSens = Math.max(
                worstSens,
                Math.abs(got - expected) / Math.max(Math.abs(expected), 1e-3),
              );
            });
          }
        });
        expect(worstState).toBeLessThan(1e-8);
        expect(worstSens).toBeLessThan(1e-6);
        expect(r.stats.solver).toBe(solver);
      });
    }
  }
});
