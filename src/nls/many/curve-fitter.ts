import type { CurveFunction } from "../../core/curve.js";
import { InputError } from "../../core/errors.js";
import { createLmSolver, type LmSolver } from "../solvers/levenberg-marquardt.js";
import { type LmOptions, type LmStopCode, resolveLmOptions } from "../solvers/lm-options.js";
import type { LmResult } from "../solvers/lm-result.js";
import { CurveRows } from "./curve-rows.js";
import { type FastStart, fastStartFor } from "./fast-starts.js";
import { curvatureFor, kernelFor, rangeFor } from "./kernels.js";
import { multistartPoint } from "./multistart.js";
import { hasPole } from "./pole.js";
import { ReplicateMeans } from "./replicate-means.js";
import {
  averageReplicates,
  createSigmoidWorkspace,
  type SigmoidWorkspace,
} from "./sigmoid-start.js";
import { SmallLm } from "./small-lm.js";

/** A model for the many-curves path: a compiled curve and where its starts come from. */
export interface FitterModel {
  /** The library name (enables its fast self-start), or null for a formula. */
  name: string | null;
  curve: CurveFunction;
  /** Parameters that must stay > 0 (solved on a log scale, as fitCurve does). */
  positive?: readonly string[];
  /** The library self-start (columns of the model's variables, y) → start by name. */
  selfStart?: (columns: readonly Float64Array[], y: Float64Array) => Record<string, number>;
  /**
   * Start values by name (a formula's, or `--start` over a library model's self-start: given
   * values replace the self-start's).
   */
  start?: Readonly<Record<string, number>>;
}

export interface CurveFitterOptions {
  /** The most usable rows one curve may have (buffers are this size). */
  maxRows: number;
  /** Parameters held at a value, by name. */
  fixed?: Readonly<Record<string, number>>;
  /** Levenberg–Marquardt options; default fitCurve's (ftol 1e-14, xtol 1e-10, gtol 1e-12). */
  lm?: LmOptions;
  /** Scaled multistart points tried after the self-starts fail (default 8, 0 for none). */
  multistart?: number;
  /**
   * "small": Levenberg–Marquardt on the p×p normal equations (small-lm.ts; the library
   * solver only where they are too ill-conditioned), on the replicate means of a curve of one
   * variable with replicates (replicate-means.ts: the same steps, one row per distinct x),
   * the default for up to 8 free parameters;
   * "library": the library solver (QR and SVD), operation for operation fitCurve's run.
   */
  solver?: "small" | "library";
}

/** Where the reported estimates started. */
export type StartKind = "self-start" | "library" | "given" | "multistart" | "none";

/**
 * One curve's fit. The fitter reuses this object and its `theta` for the next curve: copy
 * what you keep.
 */
export interface ManyCurveFit {
  /** Rows used (finite x, y and weight). */
  n: number;
  /** LM converged, the fit is no worse than the constant model and has no pole in the data range. */
  converged: boolean;
  /** Estimates of every parameter in the curve's order (fixed ones at their value). */
  theta: Float64Array;
  rss: number;
  /** RSS of the constant (weighted mean) model on the same rows. */
  rssConstant: number;
  /** LM iterations and residual evaluations of the reported run. */
  iterations: number;
  evaluations: number;
  /** Summed over every start that ran. */
  totalIterations: number;
  stopCode: LmStopCode | "not-run";
  /** How many starts ran (LM runs), and the kind of the reported one. */
  starts: number;
  startKind: StartKind;
  /** Why the fit is not converged (null when it is). */
  reason: string | null;
}

export interface CurveFitter {
  readonly params: readonly string[];
  /** Fits rows [from, to) of the columns (the model's variables, in order), y and weights. */
  fit(
    columns: readonly Float64Array[],
    y: Float64Array,
    weights: Float64Array | null,
    from?: number,
    to?: number,
  ): ManyCurveFit;
}

/**
 * A fitter for many small curves of one model, built once: every buffer (rows, residuals,
 * Jacobian, SVD workspace, starts) is allocated here or on the first curve of each row count,
 * and reused for every curve after. Per curve: the fast self-start (microseconds) or the
 * model's start, Levenberg–Marquardt (the same solver as fitCurve), and the robust-start rule —
 * a fit counts as converged only when LM converged, its RSS is no worse than the constant
 * model's and the curve has no pole within the data range; otherwise the library self-start,
 * then a small scaled multistart are tried, and `starts` says how many ran.
 */
export function createCurveFitter(model: FitterModel, options: CurveFitterOptions): CurveFitter {
  const { curve } = model;
  const params = curve.params;
  const fixed = options.fixed ?? {};
  for (const name of Object.keys(fixed)) {
    if (!params.includes(name))
      throw new InputError(`fit: "${name}" is not a parameter of the model`);
  }
  const freeIdx = params.flatMap((name, j) => (Object.hasOwn(fixed, name) ? [] : [j]));
  const q = freeIdx.length;
  if (q === 0) throw new InputError("fit: every parameter is fixed; nothing to fit");
  const positive = new Set(model.positive ?? []);
  const base = Float64Array.from(params, (name) => fixed[name] ?? 0);
  const rows = new CurveRows(
    curve,
    options.maxRows,
    Int32Array.from(freeIdx),
    Uint8Array.from(freeIdx, (j) => (positive.has(params[j]!) ? 1 : 0)),
    base,
  );
  // The small solver's problem on the replicate means of a curve of one variable
  // (replicate-means.ts): the same steps on one row per distinct x.
  const means =
    curve.variables.length === 1
      ? new CurveRows(curve, options.maxRows, rows.free, rows.logScale, base)
      : null;
  const replicates = new ReplicateMeans(options.maxRows);
  // Newton steps where the model has a curvature kernel (and its fused kernel is in use).
  if (model.name !== null && curve.evaluate === kernelFor(model.name)) {
    rows.curvatureKernel = curvatureFor(model.name);
    if (means !== null) means.curvatureKernel = rows.curvatureKernel;
  }
  const lmOptions = resolveLmOptions(options.lm);
  const multistart = options.multistart ?? 8;
  const fast: FastStart | null =
    model.name !== null && q === params.length ? fastStartFor(model.name) : null;
  const ws: SigmoidWorkspace = createSigmoidWorkspace(options.maxRows);
  const solvers = new Map<number, LmSolver>();
  const small =
    (options.solver ?? (q <= 8 ? "small" : "library")) === "small"
      ? new SmallLm(options.maxRows, q)
      : null;
  const start = Float64Array.from(base);
  const anchor = Float64Array.from(base);
  const phi = new Float64Array(q);
  const best = new Float64Array(params.length);
  const poleX = [new Float64Array(2 * options.maxRows)];
  const poleF = new Float64Array(2 * options.maxRows);
  // A library model whose values lie between known bounds (a 4PL's plateaus) has no pole.
  const range = model.name !== null ? rangeFor(model.name) : null;
  // This curve's least-squares problem for the small solver and the part of its RSS that
  // does not depend on θ: the rows, or their replicate means and the within sum of squares.
  let problem = rows;
  let within = 0;
  const result: ManyCurveFit = {
    n: 0,
    converged: false,
    theta: new Float64Array(params.length),
    rss: Number.NaN,
    rssConstant: Number.NaN,
    iterations: 0,
    evaluations: 0,
    totalIterations: 0,
    stopCode: "not-run",
    starts: 0,
    startKind: "none",
    reason: null,
  };

  /** θ from a start by name (self-start or given values); false when one is missing. */
  const fromNames = (values: Readonly<Record<string, number>>, into: Float64Array): boolean => {
    for (const j of freeIdx) {
      const v = model.start?.[params[j]!] ?? values[params[j]!];
      if (v === undefined || !Number.isFinite(v)) return false;
      into[j] = v;
    }
    return true;
  };

  /**
   * One LM run from `start`; keeps the best in `best` (acceptable before not, then the lower
   * RSS); true when no further start is needed.
   */
  const attempt = (kind: StartKind): boolean => {
    rows.toInternal(start, phi);
    for (let k = 0; k < q; k++) if (!Number.isFinite(phi[k]!)) return false;
    // The same scales s (θ = s·φ) for the means' problem: one φ, one θ for both.
    if (problem !== rows) problem.toInternal(start, phi);
    let lm: Pick<
      LmResult,
      "theta" | "rss" | "iterations" | "evaluations" | "stopCode" | "converged"
    > | null = small?.solve(problem, phi, lmOptions, within) ?? null;
    if (lm === null || !small!.result.solved) {
      let solver = solvers.get(rows.n);
      if (solver === undefined) {
        solver = createLmSolver(rows.n, q);
        solvers.set(rows.n, solver);
      }
      lm = solver.solve(rows, phi, lmOptions);
    }
    result.starts++;
    result.totalIterations += lm.iterations;
    rows.toNatural(lm.theta);
    let finite = Number.isFinite(lm.rss);
    for (let j = 0; j < params.length && finite; j++) finite = Number.isFinite(rows.theta[j]!);
    const noWorse = lm.rss <= result.rssConstant * (1 + 1e-12);
    const pole = lm.converged && finite && noWorse && hasPole(rows, ws, poleX, poleF, range);
    const acceptable = lm.converged && finite && noWorse && !pole;
    const better =
      result.startKind === "none" ||
      (acceptable && !result.converged) ||
      (acceptable === result.converged && finite && lm.rss < result.rss);
    if (better) {
      best.set(rows.theta);
      result.rss = lm.rss;
      result.iterations = lm.iterations;
      result.evaluations = lm.evaluations;
      result.stopCode = lm.stopCode;
      result.startKind = kind;
      result.converged = acceptable;
      result.reason = acceptable
        ? null
        : !lm.converged
          ? `not converged (${lm.stopCode})`
          : !noWorse
            ? "worse than the constant model"
            : pole
              ? "a pole of the formula within the data range"
              : "non-finite estimates";
    }
    // A fit that ends at the constant model (RSS not below it) is reportable, but more starts
    // are tried first: on data with a trend it is a plateau of the start, not the answer.
    const ok = acceptable && lm.rss < result.rssConstant * (1 - 1e-9);
    return ok;
  };

  const fail = (n: number, reason: string): ManyCurveFit => {
    result.n = n;
    result.reason = reason;
    result.theta.fill(Number.NaN);
    return result;
  };

  return {
    params,
    fit(columns, y, weights, from = 0, to = y.length) {
      result.converged = false;
      result.rss = Number.NaN;
      result.iterations = 0;
      result.evaluations = 0;
      result.totalIterations = 0;
      result.stopCode = "not-run";
      result.starts = 0;
      result.startKind = "none";
      result.reason = null;
      const n = rows.load(columns, y, weights, from, to);
      if (n < q) return fail(n, `${n} usable rows for ${q} free parameters`);
      for (let k = 0; k < rows.columns.length; k++) {
        const c = rows.columns[k]!;
        let varies = false;
        for (let i = 1; i < n && !varies; i++) varies = c[i] !== c[0];
        if (!varies) return fail(n, `"${curve.variables[k]}" does not vary`);
      }
      result.n = n;
      result.rssConstant = rows.constantRss();
      // One variable: the replicate means once per curve, for the fast self-start, the pole
      // check and (with replicates) the small solver's problem.
      problem = rows;
      within = 0;
      if (means !== null) {
        const m = averageReplicates(ws, rows.columns[0]!, rows.y, n);
        if (small !== null && m < n) {
          within = replicates.load(rows, ws.t, m, means);
          problem = means;
        }
      }

      // The first pass: the fast self-start, else the library's, else the given values; then
      // the library self-start when the fast one did not give an acceptable fit.
      let done = false;
      let libraryTried = false;
      if (fast?.(ws, rows, start)) {
        override(start);
        done = attempt("self-start");
      } else if (model.selfStart) {
        libraryTried = true;
        done = librarySelfStart(start) && attempt("library");
      } else {
        done = fromNames({}, start) && attempt("given");
      }
      if (!done && !libraryTried && model.selfStart) {
        done = librarySelfStart(start) && attempt("library");
      }
      if (!done && multistart > 0) {
        // Around the library start (or the given one): the best-founded point we have.
        const ok = model.selfStart ? librarySelfStart(anchor) : fromNames({}, anchor);
        if (ok || result.startKind !== "none") {
          if (!ok) anchor.set(best);
          for (let k = 0; k < multistart && !done; k++) {
            multistartPoint(anchor, freeIdx, rows.logScale, k, start);
            done = attempt("multistart");
          }
        }
      }
      if (result.startKind === "none") return fail(n, "no start value could be computed");
      result.theta.set(best);
      return result;
    },
  };

  function librarySelfStart(into: Float64Array): boolean {
    const n = rows.n;
    const cols = rows.columns.map((c) => c.subarray(0, n));
    if (!fromNames(model.selfStart!(cols, rows.y.subarray(0, n)), into)) return false;
    override(into);
    return true;
  }

  /** Given start values replace the self-start's. */
  function override(into: Float64Array): void {
    if (!model.start) return;
    for (const j of freeIdx) {
      const v = model.start[params[j]!];
      if (v !== undefined) into[j] = v;
    }
  }
}
