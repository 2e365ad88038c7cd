import { InputError } from "../../core/errors.js";
import { findModel } from "../library/registry.js";
import type { LmOptions } from "../solvers/lm-options.js";
import { bufferRows } from "./buffer-rows.js";
import { type CurveFitter, createCurveFitter, type StartKind } from "./curve-fitter.js";
import { libraryFitterModel } from "./library-model.js";

/**
 * A chunk of curves as one job for a worker thread (src/batch poolExecutor): plain data that
 * crosses the thread boundary by structured clone (typed arrays are copied once, not
 * serialised per number). Curve g is rows offsets[g] … offsets[g + 1] − 1.
 */
export interface CurveChunkRequest {
  /** A library model name. */
  model: string;
  /** The model's variables, each as long as y. */
  columns: Float64Array[];
  y: Float64Array;
  weights: Float64Array | null;
  /** Curve boundaries: length curves + 1, ascending, offsets[0] = 0 … y.length. */
  offsets: Int32Array;
  constants?: Record<string, number>;
  fixed?: Record<string, number>;
  lm?: Omit<LmOptions, "onIteration">;
  multistart?: number;
}

/** Per curve, in chunk order; theta is curves × p, row-major (NaN where no fit). */
export interface CurveChunkResult {
  params: string[];
  theta: Float64Array;
  rss: Float64Array;
  rssConstant: Float64Array;
  n: Int32Array;
  converged: Uint8Array;
  iterations: Int32Array;
  evaluations: Int32Array;
  starts: Int32Array;
  startKind: StartKind[];
  stopCode: string[];
  /** null for a converged curve, else why not. */
  reason: (string | null)[];
}

// One fitter per thread and set-up: workers handle many chunks of the same run.
const fitters = new Map<string, CurveFitter>();

export function fitCurveChunk(request: CurveChunkRequest): CurveChunkResult {
  const { offsets, y } = request;
  const curves = offsets.length - 1;
  let maxRows = 1;
  for (let g = 0; g < curves; g++) maxRows = Math.max(maxRows, offsets[g + 1]! - offsets[g]!);
  const fitter = fitterFor(request, maxRows);
  const p = fitter.params.length;
  const out: CurveChunkResult = {
    params: [...fitter.params],
    theta: new Float64Array(curves * p),
    rss: new Float64Array(curves),
    rssConstant: new Float64Array(curves),
    n: new Int32Array(curves),
    converged: new Uint8Array(curves),
    iterations: new Int32Array(curves),
    evaluations: new Int32Array(curves),
    starts: new Int32Array(curves),
    startKind: new Array(curves),
    stopCode: new Array(curves),
    reason: new Array(curves),
  };
  for (let g = 0; g < curves; g++) {
    const r = fitter.fit(request.columns, y, request.weights, offsets[g]!, offsets[g + 1]!);
    out.theta.set(r.theta, g * p);
    out.rss[g] = r.rss;
    out.rssConstant[g] = r.rssConstant;
    out.n[g] = r.n;
    out.converged[g] = r.converged ? 1 : 0;
    out.iterations[g] = r.iterations;
    out.evaluations[g] = r.evaluations;
    out.starts[g] = r.starts;
    out.startKind[g] = r.startKind;
    out.stopCode[g] = r.stopCode;
    out.reason[g] = r.reason;
  }
  return out;
}

function fitterFor(request: CurveChunkRequest, rows: number): CurveFitter {
  // Buffers grow in powers of two, so chunks of similar curves share one fitter.
  const maxRows = bufferRows(rows);
  const key = JSON.stringify([
    request.model,
    maxRows,
    request.constants ?? {},
    request.fixed ?? {},
    request.lm ?? {},
    request.multistart ?? null,
  ]);
  let fitter = fitters.get(key);
  if (fitter === undefined) {
    const model = findModel(request.model);
    if (!model) throw new InputError(`fit: unknown model "${request.model}"`);
    fitter = createCurveFitter(libraryFitterModel(model, request.constants ?? {}), {
      maxRows,
      fixed: request.fixed,
      lm: request.lm,
      multistart: request.multistart,
    });
    fitters.set(key, fitter);
  }
  return fitter;
}
