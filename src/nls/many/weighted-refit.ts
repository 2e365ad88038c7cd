import type { CurveFunction } from "../../core/curve.js";
import type { CurveData } from "../curve-problem.js";
import type { ParameterSpec } from "../parameters.js";
import { createLmSolver, type LmSolver } from "../solvers/levenberg-marquardt.js";
import { type ResolvedLmOptions, resolveLmOptions } from "../solvers/lm-options.js";
import { bufferRows } from "./buffer-rows.js";
import { CurveRows } from "./curve-rows.js";
import { curvatureOfKernel, dualOfKernel } from "./kernels.js";
import { createIrlsWorkspace, type IrlsWorkspace, robustIrls } from "./robust-irls.js";

/**
 * A weighted least-squares refit (the outlier test's robust IRLS steps) on reused buffers:
 * the same Levenberg–Marquardt run as `levenbergMarquardt(curveProblem(curve, data,
 * parameterise(specs)), …)` with default options — CurveRows repeats fitCurve's
 * parameterisation for unbounded and positive (lower 0) parameters operation for operation —
 * without a problem, a parameterisation and solver buffers allocated per call. With the
 * compiled formula as `curve` the estimates are bit-identical to that run; with a fused kernel
 * (kernels.ts) they differ by what an ulp in f moves a converged fit.
 *
 * Returns null when it cannot repeat that run exactly (specs with other bounds, another set of
 * fixed or positive parameters than the first call's, a row it would drop): the caller then
 * runs the library path. Throws, as the library path does, for a non-finite start.
 */
export interface WeightedRefit {
  (
    data: CurveData,
    specs: readonly ParameterSpec[],
  ): { theta: Float64Array; converged: boolean } | null;
  /**
   * The whole robust fit (robust-irls.ts: one Gauss–Newton step per reweighting, the same
   * fixed point) from `start` (natural θ, all parameters) with scale c: the robust θ (a buffer
   * reused by the next call), or null where the caller must run its full-refit IRLS.
   */
  robust(
    data: CurveData,
    specs: readonly ParameterSpec[],
    start: Float64Array,
    c: number,
  ): Float64Array | null;
}

export function createWeightedRefit(curve: CurveFunction): WeightedRefit {
  const options: ResolvedLmOptions = resolveLmOptions({});
  const p = curve.params.length;
  // The structure (which parameters are fixed or positive) of the first call; rows per size.
  let shape: string | null = null;
  let free = new Int32Array(0);
  let logScale = new Uint8Array(0);
  const byRows = new Map<number, CurveRows>();
  const solvers = new Map<number, LmSolver>();
  let start = new Float64Array(0);
  let phi = new Float64Array(0);

  /** The rows loaded and fixed values set, or null when this structure cannot be repeated. */
  const prepare = (data: CurveData, specs: readonly ParameterSpec[]): CurveRows | null => {
    if (specs.length !== p) return null;
    let key = "";
    for (const s of specs) {
      const lower = s.lower ?? Number.NEGATIVE_INFINITY;
      const upper = s.upper ?? Number.POSITIVE_INFINITY;
      if (upper !== Number.POSITIVE_INFINITY) return null;
      if (s.fixed) key += "f";
      else if (lower === 0) key += "+";
      else if (lower === Number.NEGATIVE_INFINITY) key += "s";
      else return null;
    }
    if (shape === null) {
      shape = key;
      const idx = [...key].flatMap((c, j) => (c === "f" ? [] : [j]));
      free = Int32Array.from(idx);
      logScale = Uint8Array.from(idx, (j) => (key[j] === "+" ? 1 : 0));
      start = new Float64Array(p);
      phi = new Float64Array(idx.length);
    } else if (shape !== key) return null;
    const n = data.y.length;
    const maxRows = bufferRows(n);
    let rows = byRows.get(maxRows);
    if (rows === undefined) {
      rows = new CurveRows(curve, maxRows, free, logScale, new Float64Array(p));
      // The robust fit's Newton steps (robust-irls.ts) use the residuals' curvature too.
      rows.curvatureKernel = curvatureOfKernel(curve.evaluate);
      // Its trials with their Jacobian in the same pass (robust-irls.ts).
      rows.dualKernel = dualOfKernel(curve.evaluate);
      byRows.set(maxRows, rows);
    }
    for (let j = 0; j < p; j++) {
      start[j] = specs[j]!.start;
      // Fixed parameters are held at their spec value, as parameterise's base holds them.
      if (shape[j] === "f") rows.theta[j] = specs[j]!.start;
    }
    if (rows.load(data.columns, data.y, data.weights, 0, n) !== n) return null;
    return rows;
  };

  const refit = (data: CurveData, specs: readonly ParameterSpec[]) => {
    const rows = prepare(data, specs);
    if (rows === null) return null;
    const n = rows.n;
    for (let j = 0; j < p; j++) {
      if (!Number.isFinite(start[j]!)) throw new RangeError("weighted refit: non-finite start");
    }
    rows.toInternal(start, phi);
    for (let k = 0; k < phi.length; k++) {
      if (!Number.isFinite(phi[k]!)) throw new RangeError("weighted refit: non-finite start");
    }
    let solver = solvers.get(n);
    if (solver === undefined) {
      solver = createLmSolver(n, phi.length);
      solvers.set(n, solver);
    }
    const lm = solver.solve(rows, phi, options);
    rows.toNatural(lm.theta);
    return { theta: Float64Array.from(rows.theta), converged: lm.converged };
  };

  const workspaces = new Map<number, IrlsWorkspace>();
  const robustTheta = new Float64Array(p);
  const robust: WeightedRefit["robust"] = (data, specs, from, c) => {
    const rows = prepare(data, specs);
    if (rows === null) return null;
    let ws = workspaces.get(rows.maxRows);
    if (ws === undefined) {
      ws = createIrlsWorkspace(rows.maxRows, rows.p, p);
      workspaces.set(rows.maxRows, ws);
    }
    robustTheta.set(from);
    return robustIrls(rows, ws, robustTheta, c) ? robustTheta : null;
  };
  return Object.assign(refit, { robust });
}
