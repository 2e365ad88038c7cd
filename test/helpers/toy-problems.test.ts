import { describe, expect, it } from "vitest";
import { createRng } from "../../src/core/rng.js";
import {
  ALL_ROWS,
  evaluate,
  illConditionedQuadratic,
  quadraticBowl,
  rosenbrock,
  toyProblems,
} from "./toy-problems.js";

/** Central differences (f(θ + h·e_i) − f(θ − h·e_i)) / 2h for every coordinate. */
function numericGradient(f: (p: Float64Array) => number, at: Float64Array, h = 1e-5): number[] {
  return Array.from(at, (_, i) => {
    const plus = at.slice();
    const minus = at.slice();
    plus[i]! += h;
    minus[i]! -= h;
    return (f(plus) - f(minus)) / (2 * h);
  });
}

describe("toy problems", () => {
  const points = [
    Float64Array.of(0.3, -1.7, 2.2),
    Float64Array.of(-1.2, 1),
    Float64Array.of(-3, 4),
    Float64Array.of(0.5, 0.5),
  ];

  it.each(toyProblems().map((p) => [p.name, p] as const))(
    "%s: analytic gradient matches central differences",
    (_name, problem) => {
      const { model } = problem;
      const f = (p: Float64Array) => evaluate(model, p).loss;
      const rng = createRng(1);
      const at = [problem.start, ...points.filter((p) => p.length === model.layout.size)];
      for (let k = 0; k < 5; k++) {
        at.push(Float64Array.from({ length: model.layout.size }, () => 2 * rng.normal()));
      }
      for (const p of at) {
        const { grad } = evaluate(model, p);
        const numeric = numericGradient(f, p);
        for (let i = 0; i < grad.length; i++) {
          // Central differences are O(h²) accurate: 1e-6 relative to the gradient's scale.
          const scale = Math.max(1, Math.abs(grad[i]!));
          expect(Math.abs(grad[i]! - numeric[i]!)).toBeLessThanOrEqual(1e-6 * scale);
        }
      }
    },
  );

  it.each(toyProblems().map((p) => [p.name, p] as const))(
    "%s: zero loss and zero gradient at the stated minimiser",
    (_name, problem) => {
      const { loss, grad } = evaluate(problem.model, problem.solution);
      expect(loss).toBe(problem.minLoss);
      expect(Array.from(grad).every((g) => g === 0)).toBe(true);
      expect(problem.solution).toHaveLength(problem.model.layout.size);
      expect(problem.start).toHaveLength(problem.model.layout.size);
    },
  );

  it("hand-checked values", () => {
    // Bowl at (0, 0, 0), c = (1, −2, 0.5): f = 1 + 4 + 0.25 = 5.25, ∇f = 2(θ − c) = (−2, 4, −1).
    const bowl = evaluate(quadraticBowl().model, Float64Array.of(0, 0, 0));
    expect(bowl.loss).toBe(5.25);
    expect(Array.from(bowl.grad)).toEqual([-2, 4, -1]);
    // Ill-conditioned at (0, 0): f = ½(1·1 + 100·1) = 50.5, ∇f = (−1, 100).
    const ill = evaluate(illConditionedQuadratic().model, Float64Array.of(0, 0));
    expect(ill.loss).toBe(50.5);
    expect(Array.from(ill.grad)).toEqual([-1, 100]);
    // Rosenbrock at (−3, 4): f = 16 + 100·(4 − 9)² = 2516;
    // ∂f/∂x = −2·4 − 400·(−3)·(−5) = −6008, ∂f/∂y = 200·(−5) = −1000.
    const rb = evaluate(rosenbrock().model, Float64Array.of(-3, 4));
    expect(rb.loss).toBe(2516);
    expect(Array.from(rb.grad)).toEqual([-6008, -1000]);
  });

  it("models ignore the row range, overwrite the gradient and split the layout", () => {
    const { model } = quadraticBowl();
    const grad = Float64Array.of(99, 99, 99);
    const loss = model.lossAndGrad(Float64Array.of(1, -2, 0.5), grad, {
      order: Uint32Array.of(0),
      start: 0,
      end: 0,
    });
    expect(loss).toBe(0);
    expect(Array.from(grad)).toEqual([0, 0, 0]);
    expect(model.rows).toBe(1);
    expect(model.layout.entries.map((e) => e.name)).toEqual(["a", "b"]);
    expect(ALL_ROWS).toEqual({ order: null, start: 0, end: 1 });
  });
});
