/**
 * Kernels bound to a parameter vector: nodes of parameters and constants only (a Hill term's
 * K^n) are computed once at binding, the results stay bit for bit those of the unbound kernel,
 * and the fused augmented right-hand side equals the one the integrator assembles from f, J
 * and ∂f/∂θ.
 */
import { describe, expect, it } from "vitest";
import { Graph } from "../../../src/formula/graph.js";
import { integrate } from "../../../src/ode/integrate/index.js";
import { expressionContext, lowerExpression } from "../../../src/ode/model/expressions.js";
import { compileOdeModel, loadOdeModel } from "../../../src/ode/model/index.js";
import {
  bindLater,
  interpretKernel,
  kernelSourceWith,
  makeKernel,
  makeKernelFactory,
} from "../../../src/ode/model/kernel.js";
import { Slots } from "../../../src/ode/model/slots.js";
import { noPositions } from "../../../src/ode/model/source-map.js";
import type { SensitivitySystem } from "../../../src/ode/types.js";

const hill = () => {
  const slots = new Slots(["x", "y"], ["V", "K", "h"], ["A"]);
  const g = new Graph();
  const ctx = expressionContext(g, slots, noPositions("hill.json"));
  const f = [
    lowerExpression(ctx, "V*A/K^h * y^h/(1 + y^h/K^h) - x", ["equations", "x"]),
    lowerExpression(ctx, "exp(-K*A)*x - y", ["equations", "y"]),
  ];
  return { g, slots, f };
};

describe("bound kernels", () => {
  it("hoist the parameter-only nodes (K^h, exp(−K·A)) out of the per-call function", () => {
    const { g, slots, f } = hill();
    const source = kernelSourceWith(g, slots, f, () => [], true);
    const [outer, inner] = source.split("return function kernel");
    expect(outer).toContain("pow(");
    expect(outer).toContain("exp(");
    expect(inner).not.toContain("exp(");
    expect(inner).not.toMatch(/\bp\[|\bc\[/); // every parameter and constant read is hoisted
    expect(inner).toContain("y[1]");
  });

  it("give the unbound kernel's numbers bit for bit, generated and interpreted", () => {
    const { g, slots, f } = hill();
    const outputs = f.map((node) => ({ node }));
    const p = Float64Array.of(2.5, 0.7, 3);
    const c = Float64Array.of(1.3);
    const plain = makeKernel(g, slots, outputs);
    const bound = makeKernelFactory(g, slots, outputs)(p, c);
    const interpreted = bindLater(interpretKernel(g, slots, outputs))(p, c);
    const other = new Float64Array(3); // a bound kernel ignores the p and c it is called with
    for (const y of [Float64Array.of(0.2, 1.1), Float64Array.of(3, 0.05)]) {
      const [a, b, d] = [new Float64Array(2), new Float64Array(2), new Float64Array(2)];
      plain(0, y, p, c, null, null, a);
      bound(0, y, other, other, null, null, b);
      interpreted(0, y, other, other, null, null, d);
      expect(a.every(Number.isFinite)).toBe(true);
      expect([...b]).toEqual([...a]);
      expect([...d]).toEqual([...a]);
    }
  });

  it("the fused [f; J·S + ∂f/∂θ] matches f and the separate contraction bit for bit", () => {
    const model = compileOdeModel(
      {
        states: ["x", "y"],
        parameters: { V: { start: 2.5 }, K: { start: 0.7 }, h: { start: 3 } },
        constants: { A: 1.3 },
        equations: { x: "V*A/K^h * y^h/(1 + y^h/K^h) - x", y: "exp(-K*A)*x - y" },
        initial: { x: 0, y: 1 },
      },
      "hill.json",
    );
    const sys = model.system(model.parameters.start);
    const z = Float64Array.of(0.4, 1.2, 0.1, -0.3, 0.2, 0.05, 0.6, -0.1);
    const fused = new Float64Array(8);
    sys.augmentedRhs!(0, z, fused);
    const fy = new Float64Array(2);
    sys.rhs(0, z.subarray(0, 2), fy);
    const J = new Float64Array(4);
    const P = new Float64Array(6);
    sys.jacobian(0, z, J);
    sys.paramJacobian(0, z, P);
    expect([...fused.subarray(0, 2)]).toEqual([...fy]);
    for (let i = 0; i < 2; i++)
      for (let l = 0; l < 3; l++) {
        let want = P[i * 3 + l]!;
        for (let k = 0; k < 2; k++) want += J[i * 2 + k]! * z[2 + k * 3 + l]!;
        expect(fused[2 + i * 3 + l]).toBe(want);
      }
  });

  it("integrating with the fused right-hand side gives the separate kernels' result bit for bit", () => {
    for (const [file, times] of [
      ["examples/ode/lotka-volterra.yaml", [0, 5, 15]],
      ["examples/ode/pk-oral.yaml", [0, 6, 12, 13, 24]],
    ] as const) {
      const model = loadOdeModel(file);
      const theta = model.parameters.start;
      const { y0, S0 } = model.initial(theta);
      const run = (system: SensitivitySystem) =>
        integrate(system, {
          t0: model.t0,
          y0,
          S0,
          times: Float64Array.from(times),
          rtol: 1e-9,
          discontinuities: model.discontinuities(theta),
        });
      const fused = run(model.system(theta));
      const { augmentedRhs: _, ...separate } = model.system(theta);
      const plain = run(separate);
      expect(fused.stats.steps).toBe(plain.stats.steps);
      expect(Buffer.from(fused.states.buffer)).toEqual(Buffer.from(plain.states.buffer));
      expect(Buffer.from(fused.sensitivities!.buffer)).toEqual(
        Buffer.from(plain.sensitivities!.buffer),
      );
    }
  });
});
