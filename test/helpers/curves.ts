import type { CurveFunction } from "../../src/core/curve.js";

/** y = A·exp(−k·x), written by hand with its partials: a test curve independent of src/formula. */
export const expDecay: CurveFunction = {
  params: ["A", "k"],
  variables: ["x"],
  evaluate(theta, columns, n, f, jac) {
    const A = theta[0]!;
    const k = theta[1]!;
    const x = columns[0]!;
    for (let i = 0; i < n; i++) {
      const e = Math.exp(-k * x[i]!);
      f[i] = A * e;
      if (jac) {
        jac[2 * i] = e;
        jac[2 * i + 1] = -A * x[i]! * e;
      }
    }
  },
};

/** y = Vm·x/(K + x) (Michaelis–Menten), by hand. */
export const michaelisMenten: CurveFunction = {
  params: ["Vm", "K"],
  variables: ["x"],
  evaluate(theta, columns, n, f, jac) {
    const Vm = theta[0]!;
    const K = theta[1]!;
    const x = columns[0]!;
    for (let i = 0; i < n; i++) {
      const d = K + x[i]!;
      f[i] = (Vm * x[i]!) / d;
      if (jac) {
        jac[2 * i] = x[i]! / d;
        jac[2 * i + 1] = (-Vm * x[i]!) / (d * d);
      }
    }
  },
};
