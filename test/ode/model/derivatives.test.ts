/**
 * The compiled derivatives of model files against central finite differences of the compiled
 * values: J = ∂f/∂y, ∂f/∂θ, the second-derivative products of the sensitivity equations,
 * ∂f/∂t, S0 = ∂y0/∂θ, observables' θ-Jacobian by the chain rule and the dose jumps of S.
 */
import { describe, expect, it } from "vitest";
import {
  compileOdeModel,
  loadOdeModel,
  type OdeModel,
  parseOdeModel,
} from "../../../src/ode/model/index.js";

const H = 1e-6;

/** Central difference of a vector function at x along direction e (scaled step). */
function fd(f: (eps: number) => Float64Array, scale: number): Float64Array {
  const h = H * Math.max(1, Math.abs(scale));
  const plus = f(h);
  const minus = f(-h);
  return plus.map((p, i) => (p - minus[i]!) / (2 * h));
}

function expectClose(actual: Float64Array, expected: Float64Array, tol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    expect(Math.abs(a - e), `entry ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(
      tol * Math.max(1, Math.abs(e)),
    );
  });
}

/** A reproducible point: state and parameter values away from zero, S dense. */
function point(m: OdeModel, seed: number) {
  let s = seed;
  const rand = (): number => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  const n = m.states.length;
  const np = m.parameters.free.length;
  const theta = m.parameters.start.map((v) => v * (0.8 + 0.4 * rand()));
  const y = Float64Array.from({ length: n }, () => 0.5 + 2 * rand());
  const S = Float64Array.from({ length: n * np }, () => rand() - 0.5);
  const v = Float64Array.from({ length: n }, () => rand() - 0.5);
  return { n, np, theta, y, S, v, t: 1.7 };
}

function checkSystem(m: OdeModel, seed = 7): void {
  const { n, np, theta, y, S, v, t } = point(m, seed);
  const sys = m.system(theta);
  const rhsAt = (tt: number, yy: Float64Array, th = theta): Float64Array => {
    const out = new Float64Array(n);
    m.system(th).rhs(tt, yy, out);
    return out;
  };
  // J: column j is ∂f/∂y_j.
  const J = new Float64Array(n * n);
  sys.jacobian(t, y, J);
  for (let j = 0; j < n; j++) {
    const col = fd(
      (e) =>
        rhsAt(
          t,
          y.map((x, k) => (k === j ? x + e : x)),
        ),
      y[j]!,
    );
    expectClose(
      Float64Array.from({ length: n }, (_, i) => J[i * n + j]!),
      col,
    );
  }
  // ∂f/∂θ: column l.
  const P = new Float64Array(n * np);
  sys.paramJacobian(t, y, P);
  for (let l = 0; l < np; l++) {
    const col = fd(
      (e) =>
        rhsAt(
          t,
          y,
          theta.map((x, k) => (k === l ? x + e : x)),
        ),
      theta[l]!,
    );
    expectClose(
      Float64Array.from({ length: n }, (_, i) => P[i * np + l]!),
      col,
    );
  }
  // (∂/∂y)(J·S + ∂f/∂θ)·v: the directional derivative along v of g(y) = J(y)·S + ∂f/∂θ(y).
  const g = (yy: Float64Array): Float64Array => {
    const Jy = new Float64Array(n * n);
    const Py = new Float64Array(n * np);
    sys.jacobian(t, yy, Jy);
    sys.paramJacobian(t, yy, Py);
    const out = new Float64Array(n * np);
    for (let i = 0; i < n; i++)
      for (let l = 0; l < np; l++) {
        let acc = Py[i * np + l]!;
        for (let k = 0; k < n; k++) acc += Jy[i * n + k]! * S[k * np + l]!;
        out[i * np + l] = acc;
      }
    return out;
  };
  const second = new Float64Array(n * np);
  sys.sensitivityJacobianTimesVector(t, y, S, v, second);
  expectClose(
    second,
    fd((e) => g(y.map((x, k) => x + e * v[k]!)), 1),
  );
  // ∂f/∂t and ∂/∂t(J·S + ∂f/∂θ), when f depends on t.
  expect(sys.timeDerivative !== undefined).toBe(m.timeDependent);
  if (sys.timeDerivative && sys.sensitivityTimeDerivative) {
    const ft = new Float64Array(n);
    sys.timeDerivative(t, y, ft);
    expectClose(
      ft,
      fd((e) => rhsAt(t + e, y), t),
    );
    const gt = new Float64Array(n * np);
    sys.sensitivityTimeDerivative(t, y, S, gt);
    const gAt = (tt: number): Float64Array => {
      const Jy = new Float64Array(n * n);
      const Py = new Float64Array(n * np);
      sys.jacobian(tt, y, Jy);
      sys.paramJacobian(tt, y, Py);
      return Py.map((p, idx) => {
        const i = Math.floor(idx / np);
        const l = idx % np;
        let acc = p;
        for (let k = 0; k < n; k++) acc += Jy[i * n + k]! * S[k * np + l]!;
        return acc;
      });
    };
    expectClose(
      gt,
      fd((e) => gAt(t + e), t),
    );
  }
}

function checkInitialAndObservables(m: OdeModel, seed = 11): void {
  const { n, np, theta, y, S, t } = point(m, seed);
  const { S0 } = m.initial(theta);
  for (let l = 0; l < np; l++) {
    const col = fd((e) => m.initial(theta.map((x, k) => (k === l ? x + e : x))).y0, theta[l]!);
    expectClose(
      Float64Array.from({ length: n }, (_, i) => S0[i * np + l]!),
      col,
    );
  }
  // h(t, y(θ), θ) with y(θ) = y + S·(θ − θ*): its θ-derivative is ∂h/∂y·S + ∂h/∂θ.
  const nObs = m.observables.length;
  const out = new Float64Array(nObs);
  const dOut = new Float64Array(nObs * np);
  m.observe(t, y, S, theta, out, dOut);
  for (let l = 0; l < np; l++) {
    const col = fd((e) => {
      const th = theta.map((x, k) => (k === l ? x + e : x));
      const yy = y.map((x, i) => x + S[i * np + l]! * e);
      const h = new Float64Array(nObs);
      m.observe(t, yy, null, th, h, null);
      return h;
    }, theta[l]!);
    expectClose(
      Float64Array.from({ length: nObs }, (_, o) => dOut[o * np + l]!),
      col,
    );
  }
}

const SIR = loadOdeModel("examples/ode/sir.yaml");
const LV = loadOdeModel("examples/ode/lotka-volterra.yaml");
const PK = loadOdeModel("examples/ode/pk-oral.yaml");
const LOGISTIC = loadOdeModel("examples/ode/logistic.yaml");

describe("compiled derivatives match finite differences", () => {
  it.each([
    ["SIR", SIR],
    ["Lotka–Volterra", LV],
    ["PK oral", PK],
    ["logistic", LOGISTIC],
  ])("%s: J, ∂f/∂θ, second-derivative products, S0, observables", (_name, m) => {
    checkSystem(m);
    checkInitialAndObservables(m);
  });

  it("a forced, nonlinear model with t in its equations (∂f/∂t and its sensitivity)", () => {
    const m = compileOdeModel(
      {
        states: ["x", "v"],
        parameters: { k: { start: 2 }, c: { start: 0.3 }, A: { start: 1.5 }, w: { start: 0.9 } },
        equations: { x: "v", v: "-k*sin(x) - c*v*abs(v) + A*cos(w*t)*exp(-t/10)" },
        initial: { x: "A/k", v: 0 },
        observables: { pos: "x^2 + log(1 + v^2)*c" },
      },
      "forced.json",
    );
    expect(m.timeDependent).toBe(true);
    checkSystem(m, 3);
    checkInitialAndObservables(m, 5);
  });
});

describe("model structure", () => {
  it("θ is the free parameters in file order; fixed ones keep their value", () => {
    const m = loadOdeModel("examples/ode/lotka-volterra.yaml", {
      fix: { beta: 0.2 },
      start: { alpha: 1.1 },
    });
    expect(m.parameters.free).toEqual(["alpha", "delta", "gamma", "x0", "y0"]);
    expect([...m.parameters.start]).toEqual([1.1, 0.075, 1.5, 10, 5]);
    const d = new Float64Array(2);
    m.system(m.parameters.start).rhs(0, Float64Array.of(10, 5), d);
    expect(d[0]).toBeCloseTo(1.1 * 10 - 0.2 * 10 * 5, 12);
  });

  it("a dose whose amount depends on θ jumps the state by A and S by ∂A/∂θ", () => {
    const m = compileOdeModel(
      {
        states: ["gut", "central"],
        parameters: { ka: { start: 1 }, ke: { start: 0.1 }, F: { start: 0.8 } },
        constants: { dose: 100 },
        equations: { gut: "-ka*gut", central: "ka*gut - ke*central" },
        initial: { gut: "F*dose", central: 0 },
        events: [
          { at: 12, state: "gut", add: "F*dose" },
          { at: 6, state: "central", add: 5 },
        ],
      },
      "pk.json",
    );
    const theta = m.parameters.start;
    const events = m.discontinuities(theta);
    expect(events.map((e) => e.time)).toEqual([6, 12]);
    const y = Float64Array.of(3, 4);
    const S = new Float64Array(6);
    events[1]!.apply(y, S);
    expect([...y]).toEqual([83, 4]);
    expect([...S]).toEqual([0, 0, 100, 0, 0, 0]);
    events[0]!.apply(y, undefined);
    expect([...y]).toEqual([83, 9]);
    expect([...m.initial(theta).S0]).toEqual([0, 0, 100, 0, 0, 0]);
  });

  it("conditions change constants; noise follows parameters and constants", () => {
    const m = compileOdeModel(
      {
        states: ["x"],
        parameters: { k: { start: 1 }, s: { start: 0.2, lower: 0 } },
        constants: { x0: 1, sd: 0.5 },
        equations: { x: "-k*x" },
        initial: { x: "x0" },
        observables: { a: "x", b: "2*x" },
        noise: { a: "s", b: "sd" },
        conditions: { column: "dose", constants: { low: { x0: 2 }, high: { x0: 8, sd: 3 } } },
      },
      "c.json",
    );
    expect(m.conditions).toEqual(["low", "high"]);
    expect(m.conditionColumn).toBe("dose");
    const theta = Float64Array.of(1, 0.2);
    expect([...m.initial(theta, "high").y0]).toEqual([8]);
    expect([...m.initial(theta).y0]).toEqual([1]);
    expect([...m.noise(theta)]).toEqual([0.2, 0.5]);
    expect([...m.noise(theta, "high")]).toEqual([0.2, 3]);
    expect(m.noiseSources[0]).toEqual({ kind: "parameter", name: "s", index: 1 });
    expect(() => m.initial(theta, "mid")).toThrow(
      'c.json: unknown condition "mid"; conditions are low, high',
    );
  });

  it("a dose time given by a constant follows the condition; one before t0 is an error there", () => {
    const m = parseOdeModel(
      [
        "states: [x]",
        "parameters: {k: {start: 1}}",
        "constants: {tdose: 5, amount: 2}",
        "equations: {x: -k*x}",
        "initial: {x: 0}",
        "events:",
        "  - {at: tdose + 1, state: x, add: amount*k}",
        "conditions: {column: arm, constants: {early: {tdose: 1}, never: {tdose: -3}}}",
      ].join("\n"),
      "d.yaml",
    );
    const theta = Float64Array.of(1.5);
    expect(m.discontinuities(theta).map((e) => e.time)).toEqual([6]);
    const [early] = m.discontinuities(theta, "early");
    expect(early!.time).toBe(2);
    const y = Float64Array.of(0);
    const S = Float64Array.of(0);
    early!.apply(y, S);
    expect([y[0], S[0]]).toEqual([3, 2]);
    expect(() => m.discontinuities(theta, "never")).toThrow(
      'd.yaml:7:10: events[0].at: the dose time -2 in condition "never" is before t0 = 0',
    );
  });

  it("unknown conditions are refused", () => {
    const m = compileOdeModel(
      {
        states: ["x"],
        parameters: { k: { start: 1 } },
        equations: { x: "-k*x" },
        initial: { x: 1 },
        conditions: { column: "dose", constants: { low: {} } },
      },
      "c.json",
    );
    const theta = Float64Array.of(1);
    expect(() => m.initial(theta, "mid")).toThrow(
      'c.json: unknown condition "mid"; conditions are low',
    );
    expect(() => m.system(theta, "mid")).toThrow(
      'c.json: unknown condition "mid"; conditions are low',
    );
  });
});
