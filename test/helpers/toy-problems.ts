import { createLayout, type Layout } from "../../src/core/layout.js";
import type { Model } from "../../src/core/model.js";

/**
 * Small deterministic objectives wrapped as `Model`s for optimizer and clipping tests.
 * Each has one "row" and ignores the row range; `lossAndGrad` overwrites `grad`.
 * Layouts are split into several entries on purpose, so per-tensor clipping (clipByNorm)
 * behaves differently from global clipping.
 */
export interface ToyProblem {
  readonly name: string;
  readonly model: Model;
  /** The minimiser. */
  readonly solution: Float64Array;
  /** Minimum loss (0 for every problem here). */
  readonly minLoss: number;
  /** A start some distance from the minimiser, used by the convergence matrix. */
  readonly start: Float64Array;
}

function toyModel(
  kind: string,
  layout: Layout,
  lossAndGrad: (p: Float64Array, g: Float64Array) => number,
): Model {
  return {
    kind,
    layout,
    rows: 1,
    init(params) {
      params.fill(0);
    },
    lossAndGrad(params, grad) {
      return lossAndGrad(params, grad);
    },
  };
}

/**
 * Quadratic bowl f(θ) = Σ_i (θ_i − c_i)²,  ∂f/∂θ_i = 2(θ_i − c_i).
 * Layout: `a` (shape [2]) then `b` (scalar); c = (1, −2, 0.5). Hessian 2·I.
 */
export function quadraticBowl(): ToyProblem {
  const c = Float64Array.of(1, -2, 0.5);
  const layout = createLayout([
    { name: "a", shape: [2] },
    { name: "b", shape: [] },
  ]);
  const model = toyModel("quadratic-bowl", layout, (p, g) => {
    let f = 0;
    for (let i = 0; i < c.length; i++) {
      const d = p[i]! - c[i]!;
      f += d * d;
      g[i] = 2 * d;
    }
    return f;
  });
  return {
    name: "quadratic bowl",
    model,
    solution: c,
    minLoss: 0,
    start: Float64Array.of(4, 3, -3),
  };
}

/**
 * Ill-conditioned quadratic f(x, y) = ½·(h_x·(x − 1)² + h_y·(y + 1)²) with curvatures
 * h = (1, 100) (condition number 100);  ∂f/∂x = h_x(x − 1),  ∂f/∂y = h_y(y + 1).
 * Layout: scalars `x`, `y`.
 */
export function illConditionedQuadratic(hx = 1, hy = 100): ToyProblem {
  const layout = createLayout([
    { name: "x", shape: [] },
    { name: "y", shape: [] },
  ]);
  const model = toyModel("ill-conditioned-quadratic", layout, (p, g) => {
    const dx = p[0]! - 1;
    const dy = p[1]! + 1;
    g[0] = hx * dx;
    g[1] = hy * dy;
    return 0.5 * (hx * dx * dx + hy * dy * dy);
  });
  return {
    name: `ill-conditioned quadratic (${hx}, ${hy})`,
    model,
    solution: Float64Array.of(1, -1),
    minLoss: 0,
    start: Float64Array.of(-4, 2),
  };
}

/**
 * Rosenbrock f(x, y) = (a − x)² + b·(y − x²)² with a = 1, b = 100; minimum 0 at (a, a²).
 *   ∂f/∂x = −2(a − x) − 4b·x·(y − x²),   ∂f/∂y = 2b·(y − x²).
 * Layout: scalars `x`, `y`. The classic start is (−1.2, 1).
 */
export function rosenbrock(a = 1, b = 100): ToyProblem {
  const layout = createLayout([
    { name: "x", shape: [] },
    { name: "y", shape: [] },
  ]);
  const model = toyModel("rosenbrock", layout, (p, g) => {
    const x = p[0]!;
    const y = p[1]!;
    const r = y - x * x;
    g[0] = -2 * (a - x) - 4 * b * x * r;
    g[1] = 2 * b * r;
    return (a - x) * (a - x) + b * r * r;
  });
  return {
    name: "rosenbrock",
    model,
    solution: Float64Array.of(a, a * a),
    minLoss: 0,
    start: Float64Array.of(-1.2, 1),
  };
}

/** Every toy problem, freshly built (models are stateless, but keep callers independent). */
export function toyProblems(): ToyProblem[] {
  return [quadraticBowl(), illConditionedQuadratic(), rosenbrock()];
}

/** The whole-data row range of a one-row toy model. */
export const ALL_ROWS = { order: null, start: 0, end: 1 };

/** Loss and a fresh gradient buffer at `params`. */
export function evaluate(model: Model, params: Float64Array): { loss: number; grad: Float64Array } {
  const grad = new Float64Array(model.layout.size);
  const loss = model.lossAndGrad(params, grad, ALL_ROWS);
  return { loss, grad };
}

/** max_i |a_i − b_i|. */
export function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return a.length === b.length ? m : Number.POSITIVE_INFINITY;
}
