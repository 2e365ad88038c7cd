import { describe, expect, it } from "vitest";
import type { LeastSquaresProblem } from "../../src/core/curve.js";
import { createLayout } from "../../src/core/layout.js";
import { compileFormula } from "../../src/formula/index.js";
import { curveProblem } from "../../src/nls/curve-problem.js";
import { firstOrder } from "../../src/nls/first-order.js";
import { findModel } from "../../src/nls/library/index.js";
import { parameterise, toInternal } from "../../src/nls/parameters.js";
import { chain } from "../../src/transforms/chain.js";
import { clipByGlobalNorm } from "../../src/transforms/clip-by-global-norm.js";
import { adam } from "../../src/transforms/optimizers.js";
import { cosineDecay } from "../../src/transforms/schedules.js";
import { type AnyTransform, createContext, resetStep } from "../../src/transforms/types.js";
import { CASES, simulate } from "./library/cases.js";

/**
 * The first-order phase's loop before it became a trainer call, kept verbatim as the reference:
 * the trainer (keepBest, stepBack, stopOnSkippedStep, relativeImprovement) must reproduce it
 * bit for bit, so every curve fit keeps its numbers.
 */
function referenceLoop(problem: LeastSquaresProblem, start: Float64Array, maxSteps = 3000) {
  const { n, p } = problem;
  const patience = 200;
  const relTol = 1e-6;
  const transform: AnyTransform = chain(
    clipByGlobalNorm({ maxNorm: 1, onNonFinite: "skip" }),
    adam({ lr: cosineDecay({ lr: 0.05, steps: maxSteps, minLr: 0.05 / 100 }) }),
  );
  const layout = createLayout([{ name: "phi", shape: [p] }]);
  const state = transform.init(layout);
  const phi = Float64Array.from(start);
  const prev = new Float64Array(p);
  const best = Float64Array.from(start);
  const r = new Float64Array(n);
  const jac = new Float64Array(n * p);
  const grad = new Float64Array(p);
  const ctx = createContext(layout, phi);
  const evaluate = (): number => {
    problem.residuals(phi, r, jac);
    let ss = 0;
    for (let i = 0; i < n; i++) ss += r[i]! * r[i]!;
    grad.fill(0);
    for (let i = 0; i < n; i++) {
      const ri = r[i]!;
      for (let k = 0; k < p; k++) grad[k]! += jac[i * p + k]! * ri;
    }
    for (let k = 0; k < p; k++) grad[k]! *= 2 / n;
    return ss / n;
  };
  let loss = evaluate();
  if (!Number.isFinite(loss))
    return { phi, loss, steps: 0, rejected: 0, stopReason: "non-finite-start" };
  let bestLoss = loss;
  let lastImprovement = 0;
  let referenceLoss = loss;
  let stepScale = 1;
  let rejected = 0;
  let step = 0;
  for (; step < maxSteps; step++) {
    resetStep(ctx, step);
    transform.update(grad, state, ctx);
    if (ctx.skip) break;
    prev.set(phi);
    for (let k = 0; k < p; k++) phi[k]! += stepScale * grad[k]!;
    loss = evaluate();
    if (!Number.isFinite(loss)) {
      phi.set(prev);
      stepScale /= 2;
      rejected++;
      loss = evaluate();
      continue;
    }
    if (loss < bestLoss) {
      bestLoss = loss;
      best.set(phi);
    }
    if (referenceLoss - bestLoss > relTol * referenceLoss) {
      referenceLoss = bestLoss;
      lastImprovement = step;
    } else if (step - lastImprovement >= patience) {
      return { phi: best, loss: bestLoss, steps: step + 1, rejected, stopReason: "converged" };
    }
  }
  return { phi: best, loss: bestLoss, steps: step, rejected, stopReason: "max-steps" };
}

function problemFor(c: (typeof CASES)[number], factor: number) {
  const model = findModel(c.model)!;
  const curve = compileFormula(model.formula, {
    params: model.params,
    variables: model.variables,
    constants: c.constants ?? {},
  });
  const data = simulate(c, true, 7);
  const positive = new Set(model.positive ?? []);
  const specs = model.params.map((p) => {
    const v = c.truth[p]!;
    return {
      name: p,
      start: p === "logEC50" ? v + Math.log10(factor) : v * factor,
      lower: positive.has(p) ? 0 : undefined,
    };
  });
  const param = parameterise(specs);
  return {
    problem: curveProblem(curve, { columns: data.columns, y: data.y, weights: null }, param),
    start: toInternal(param),
  };
}

const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer.slice(0)));

describe("firstOrder runs through the trainer and reproduces the reference loop bit for bit", () => {
  const seen = new Set<string>();
  const examples = CASES.filter((c) => !seen.has(c.model) && seen.add(c.model));
  const stops = new Set<string>();
  for (const factor of [1, 10, 0.1, 100]) {
    it(`every library example, start = truth × ${factor}`, () => {
      for (const c of examples) {
        const { problem, start } = problemFor(c, factor);
        const ref = referenceLoop(problem, start);
        const got = firstOrder(problem, start);
        const label = `${c.model} ×${factor}`;
        expect(got.stopReason, label).toBe(ref.stopReason);
        expect(got.steps, label).toBe(ref.steps);
        expect(got.rejected, label).toBe(ref.rejected);
        expect(Object.is(got.loss, ref.loss) || got.loss === ref.loss, label).toBe(true);
        expect(bits(got.phi), label).toEqual(bits(ref.phi));
        if (got.steps > 0) expect(got.history.at(-1)!.epoch, label).toBe(got.steps - 1);
        else expect(got.history, label).toEqual([]);
        stops.add(ref.stopReason);
      }
    });
  }
  it("covered every stop reason", () => {
    expect([...stops].sort()).toEqual(["converged", "max-steps", "non-finite-start"]);
  });

  it("steps back from a non-finite loss exactly as the reference loop does", () => {
    // r_i = log(φ) − y_i is NaN for φ < 0: Adam's first steps of ≈0.05 from φ = 0.06 towards
    // the optimum near 1e-3 overshoot below zero and must be taken back.
    const y = [Math.log(1e-3), Math.log(2e-3), Math.log(5e-4)];
    const problem: LeastSquaresProblem = {
      n: 3,
      p: 1,
      residuals(phi, r, jac) {
        for (let i = 0; i < 3; i++) {
          r[i] = Math.log(phi[0]!) - y[i]!;
          if (jac) jac[i] = 1 / phi[0]!;
        }
      },
    } as LeastSquaresProblem;
    const start = Float64Array.of(0.06);
    const ref = referenceLoop(problem, start);
    const got = firstOrder(problem, start);
    expect(ref.rejected).toBeGreaterThan(0);
    expect(got.rejected).toBe(ref.rejected);
    expect(got.steps).toBe(ref.steps);
    expect(got.stopReason).toBe(ref.stopReason);
    expect(bits(got.phi)).toEqual(bits(ref.phi));
    expect(got.loss).toBe(ref.loss);
  });

  it("a non-finite start stops at once, as before", () => {
    const problem = {
      n: 1,
      p: 1,
      residuals(_phi: Float64Array, r: Float64Array) {
        r[0] = Number.NaN;
      },
    } as unknown as LeastSquaresProblem;
    const got = firstOrder(problem, Float64Array.of(1));
    expect(got.stopReason).toBe("non-finite-start");
    expect(got.steps).toBe(0);
    expect(Array.from(got.phi)).toEqual([1]);
  });
});
