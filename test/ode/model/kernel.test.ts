/**
 * Generated kernels: the interpreter (for environments without `new Function`) gives the same
 * numbers bit for bit, and no name from the model file ever reaches the generated source.
 */
import { describe, expect, it } from "vitest";
import { derivative } from "../../../src/formula/derive.js";
import { Graph } from "../../../src/formula/graph.js";
import { expressionContext, lowerExpression } from "../../../src/ode/model/expressions.js";
import { compileOdeModel } from "../../../src/ode/model/index.js";
import { interpretKernel, kernelSource, makeKernel } from "../../../src/ode/model/kernel.js";
import { Slots } from "../../../src/ode/model/slots.js";
import { noPositions } from "../../../src/ode/model/source-map.js";

describe("ode model kernels", () => {
  it("generated code and the interpreter agree bit for bit (values and derivatives)", () => {
    const slots = new Slots(["x", "v"], ["k", "c"], ["A"]);
    const g = new Graph();
    const ctx = expressionContext(g, slots, noPositions("k.json"));
    const f = lowerExpression(
      ctx,
      "k*sin(x) - c*v*abs(v) + A*cos(t)*exp(-t/3) + min(x, v)^2 + log(1 + x^2)/sqrt(c) + tanh(v)^k",
      ["equations", "v"],
    );
    const outputs = [f, ...[0, 1, 2, 3, 5].map((s) => derivative(g, f, s))].map((node) => ({
      node,
    }));
    const generated = makeKernel(g, slots, outputs);
    const interpreted = interpretKernel(g, slots, outputs);
    const a = new Float64Array(outputs.length);
    const b = new Float64Array(outputs.length);
    for (const [x, v, t] of [
      [0.3, 1.2, 0.5],
      [2.5, 0.7, 3],
      [-1, 0.01, 10],
    ] as const) {
      const y = Float64Array.of(x, v);
      const p = Float64Array.of(1.7, 0.4);
      const c = Float64Array.of(2.2);
      generated(t, y, p, c, null, null, a);
      interpreted(t, y, p, c, null, null, b);
      expect(a.every(Number.isFinite)).toBe(true);
      expect([...b]).toEqual([...a]);
    }
  });

  it("names of the model file never reach the generated source", () => {
    const doc = {
      states: ["process", "require"],
      parameters: { globalThis: { start: 2 }, Function: { start: 0.5 } },
      constants: { eval: 3 },
      equations: { process: "-globalThis*process + eval", require: "Function*process - require" },
      initial: { process: "eval", require: 0 },
      observables: { "console.log": "require" },
    };
    const m = compileOdeModel(doc, "evil.json");
    const d = new Float64Array(2);
    m.system(m.parameters.start).rhs(0, Float64Array.of(1, 4), d);
    expect([...d]).toEqual([-2 * 1 + 3, 0.5 * 1 - 4]);
    const g = new Graph();
    const slots = new Slots(doc.states, Object.keys(doc.parameters), ["eval"]);
    const ctx = expressionContext(g, slots, noPositions("evil.json"));
    const node = lowerExpression(ctx, doc.equations.require, ["equations", "require"]);
    const source = kernelSource(g, slots, [{ node }]);
    for (const name of ["process", "require", "globalThis", "Function", "eval", "console"]) {
      expect(source).not.toContain(name);
    }
  });
});
