import { it } from "vitest";
import { Graph } from "../../../src/formula/graph.js";
import { kernelSource } from "../../../src/ode/model/kernel.js";
import * as K from "../../../src/ode/model/kernel.js";
import { compileOdeModel } from "../../../src/ode/model/index.js";
it("big", () => {
  const n = 20;
  const states = Array.from({ length: n }, (_, i) => `x${i}`);
  const parameters: Record<string, { start: number }> = {};
  const equations: Record<string, string> = {};
  const initial: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    parameters[`k${i}`] = { start: 1 + i };
    parameters[`K${i}`] = { start: 0.5 };
    const prev = i === 0 ? `x${n - 1}` : `x${i - 1}`;
    equations[`x${i}`] = `k${i}*${prev}^2/(K${i} + ${prev}) - k${(i + 1) % n}*x${i}*x${(i + 3) % n}/(K${(i + 1) % n} + x${i})`;
    initial[`x${i}`] = 1;
  }
  const orig = Graph.prototype.intern;
  let calls = 0;
  Graph.prototype.intern = function (...a) { calls++; return orig.apply(this, a as never); };
  const t0 = performance.now();
  const m = compileOdeModel({ states, parameters, equations, initial }, "big.json");
  console.log("compile ms", performance.now() - t0, "intern calls", calls);
  Graph.prototype.intern = orig;
});
