import type { CurveFunction, LeastSquaresProblem } from "../../core/curve.js";
import type { Curvature, DualEvaluate } from "./kernels.js";

/**
 * One curve's rows in preallocated buffers, and the least-squares problem on them in the
 * solver's coordinates φ, exactly as fitCurve's parameterisation (src/nls/parameters.ts) for
 * unbounded and positive parameters: θ = s·φ with s = |start| (1 for a zero start) for a free
 * parameter, θ = e^φ for a positive one (its `lower = 0` transform), fixed parameters held —
 * so from the same start the fitter repeats fitCurve's Levenberg–Marquardt run operation for
 * operation.
 *
 *   r_i = sqrt(w_i)·(y_i − f(x_i; θ(φ))),   ∂r_i/∂φ_k = −sqrt(w_i)·∂f/∂θ_j·dθ_j/dφ_k
 */
export class CurveRows implements LeastSquaresProblem {
  /** Rows in use (≤ maxRows). */
  n = 0;
  readonly p: number;
  /** The model's variables, each maxRows long (first n used). */
  readonly columns: Float64Array[];
  readonly y: Float64Array;
  /** sqrt(w_i), or null when unweighted. */
  readonly sw: Float64Array;
  weighted = false;
  /** θ (all parameters) at the last evaluation; fixed entries set once. */
  readonly theta: Float64Array;
  readonly f: Float64Array;
  private readonly full: Float64Array;
  private readonly chain: Float64Array;
  /** s per free parameter, set from each start by `toInternal`. */
  private readonly scale: Float64Array;
  /**
   * The model's curvature kernel (kernels.ts), for Newton steps; used only when every
   * parameter is free and none is on a log scale (θ linear in φ). Null: none.
   */
  curvatureKernel: Curvature | null = null;
  /**
   * The curve's dual kernel (kernels.ts), for `residualsDual`; null: none (set by the owner,
   * as curvatureKernel).
   */
  dualKernel: DualEvaluate | null = null;
  private readonly plain: Float64Array;
  /** Every parameter free, in the curve's order (free[k] = k). */
  private readonly identity: boolean;
  private readonly weightedR: Float64Array;
  private readonly hessian: Float64Array;

  constructor(
    readonly curve: CurveFunction,
    readonly maxRows: number,
    /** Index in θ of each free parameter, in solver order. */
    readonly free: Int32Array,
    /** Whether each free parameter is positive (solved as ln θ). */
    readonly logScale: Uint8Array,
    fixedTheta: Float64Array,
  ) {
    this.p = free.length;
    this.columns = curve.variables.map(() => new Float64Array(maxRows));
    this.y = new Float64Array(maxRows);
    this.sw = new Float64Array(maxRows);
    this.theta = Float64Array.from(fixedTheta);
    this.f = new Float64Array(maxRows);
    this.full = new Float64Array(maxRows * curve.params.length);
    this.chain = new Float64Array(free.length);
    this.scale = new Float64Array(free.length).fill(1);
    this.identity = free.length === curve.params.length && free.every((j, k) => j === k);
    this.weightedR = new Float64Array(maxRows);
    this.plain = new Float64Array(maxRows);
    this.hessian = new Float64Array(curve.params.length ** 2);
  }

  /**
   * S = Σ r_i·∇²r_i in φ (the least-squares Hessian is JᵀJ + S) at θ(φ) for residuals r at
   * that point, into `out` (p×p); false when there is no curvature kernel or θ is not linear
   * in φ. With r_i = √w_i·(y_i − f_i): ∇²r_i = −√w_i·s_j·s_k·∂²f_i/∂θ_j∂θ_k.
   */
  curvature(phi: Float64Array, r: Float64Array, out: Float64Array): boolean {
    const kernel = this.curvatureKernel;
    const { n, p, free, logScale, sw, weightedR, hessian, scale } = this;
    const pAll = this.curve.params.length;
    if (kernel === null || p !== pAll) return false;
    for (let k = 0; k < p; k++) if (logScale[k] === 1) return false;
    this.toNatural(phi);
    for (let i = 0; i < n; i++) weightedR[i] = r[i]! * sw[i]!;
    kernel(this.theta, this.columns, n, weightedR, hessian);
    if (this.identity) {
      // Every parameter free, in order: free[j] = j (the same products, fewer lookups).
      for (let j = 0, jp = 0; j < p; j++, jp += p) {
        const sj = -scale[j]!;
        for (let k = 0; k < p; k++) out[jp + k] = sj * scale[k]! * hessian[jp + k]!;
      }
      return true;
    }
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < p; k++) {
        out[j * p + k] = -scale[j]! * scale[k]! * hessian[free[j]! * pAll + free[k]!]!;
      }
    }
    return true;
  }

  /**
   * Copies rows [from, to) with every column, y and weight finite (and w > 0) into the
   * buffers; returns the count. Rows beyond maxRows are an error of the caller.
   */
  load(
    columns: readonly Float64Array[],
    y: Float64Array,
    weights: Float64Array | null,
    from: number,
    to: number,
  ): number {
    const cols = this.columns;
    let n = 0;
    for (let i = from; i < to; i++) {
      const yi = y[i]!;
      if (!Number.isFinite(yi)) continue;
      const wi = weights === null ? 1 : weights[i]!;
      if (!(wi > 0) || !Number.isFinite(wi)) continue;
      let ok = true;
      for (let k = 0; k < cols.length; k++) {
        if (!Number.isFinite(columns[k]![i]!)) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      if (n === this.maxRows) {
        throw new RangeError(`curve fitter: more than maxRows = ${this.maxRows} usable rows`);
      }
      for (let k = 0; k < cols.length; k++) cols[k]![n] = columns[k]![i]!;
      this.y[n] = yi;
      this.sw[n] = weights === null ? 1 : Math.sqrt(wi);
      n++;
    }
    this.n = n;
    this.weighted = weights !== null;
    return n;
  }

  /** Σ w_i (y_i − ȳ_w)²: the RSS of the constant (weighted mean) model. */
  constantRss(): number {
    const { n, y, sw } = this;
    let sumW = 0;
    let sumWy = 0;
    for (let i = 0; i < n; i++) {
      const w = sw[i]! * sw[i]!;
      sumW += w;
      sumWy += w * y[i]!;
    }
    const mean = sumWy / sumW;
    let rss = 0;
    for (let i = 0; i < n; i++) {
      const d = sw[i]! * (y[i]! - mean);
      rss += d * d;
    }
    return rss;
  }

  /** θ(φ) into this.theta. */
  toNatural(phi: Float64Array): void {
    const { free, logScale, theta, chain, scale } = this;
    for (let k = 0; k < free.length; k++) {
      if (logScale[k] === 1) {
        const e = Math.exp(phi[k]!);
        theta[free[k]!] = 0 + e;
        chain[k] = e;
      } else {
        theta[free[k]!] = scale[k]! * phi[k]!;
        chain[k] = scale[k]!;
      }
    }
  }

  /** φ(θ) for the free entries of a start `theta` into `phi`; the scales s are set from it. */
  toInternal(theta: Float64Array, phi: Float64Array): void {
    const { free, logScale, scale } = this;
    for (let k = 0; k < free.length; k++) {
      const t = theta[free[k]!]!;
      if (logScale[k] === 1) {
        phi[k] = Math.log(t - 0);
      } else {
        scale[k] = Math.abs(t) > 0 ? Math.abs(t) : 1;
        phi[k] = t / scale[k]!;
      }
    }
  }

  /**
   * `residuals(phi, plain, null)` and `residuals(phi, r, jac)` at once, bit for bit, from one
   * call of the dual kernel; false (nothing written) when there is none or a parameter is
   * fixed — the caller then makes the two calls.
   */
  residualsDual(
    phi: Float64Array,
    plainR: Float64Array,
    r: Float64Array,
    jac: Float64Array,
  ): boolean {
    const dual = this.dualKernel;
    const { n, y, sw, f, plain, chain, p } = this;
    if (dual === null || p !== this.curve.params.length) return false;
    this.toNatural(phi);
    dual(this.theta, this.columns, n, plain, f, jac);
    if (p === 4) {
      // Four parameters (a 4PL): the loop below unrolled, as in `residuals` (the same
      // operations in the same order).
      const c0 = chain[0]!;
      const c1 = chain[1]!;
      const c2 = chain[2]!;
      const c3 = chain[3]!;
      for (let i = 0, row = 0; i < n; i++, row += 4) {
        const s = sw[i]!;
        const yi = y[i]!;
        plainR[i] = s * (yi - plain[i]!);
        r[i] = s * (yi - f[i]!);
        const ms = -s;
        jac[row] = ms * jac[row]! * c0;
        jac[row + 1] = ms * jac[row + 1]! * c1;
        jac[row + 2] = ms * jac[row + 2]! * c2;
        jac[row + 3] = ms * jac[row + 3]! * c3;
      }
      return true;
    }
    for (let i = 0, row = 0; i < n; i++, row += p) {
      const s = sw[i]!;
      plainR[i] = s * (y[i]! - plain[i]!);
      r[i] = s * (y[i]! - f[i]!);
      for (let k = 0; k < p; k++) jac[row + k] = -s * jac[row + k]! * chain[k]!;
    }
    return true;
  }

  residuals(phi: Float64Array, r: Float64Array, jac: Float64Array | null): void {
    this.toNatural(phi);
    const { n, y, sw, f, full, free, chain, p } = this;
    const pAll = this.curve.params.length;
    if (jac !== null && pAll === p) {
      // Every parameter free (in order): the kernel writes J in place, scaled after.
      this.curve.evaluate(this.theta, this.columns, n, f, jac);
      if (p === 4) {
        // Four parameters (a 4PL): the loop below unrolled, the chain factors in locals (the
        // same operations in the same order, so the same bits).
        const c0 = chain[0]!;
        const c1 = chain[1]!;
        const c2 = chain[2]!;
        const c3 = chain[3]!;
        for (let i = 0, row = 0; i < n; i++, row += 4) {
          const s = sw[i]!;
          r[i] = s * (y[i]! - f[i]!);
          const ms = -s;
          jac[row] = ms * jac[row]! * c0;
          jac[row + 1] = ms * jac[row + 1]! * c1;
          jac[row + 2] = ms * jac[row + 2]! * c2;
          jac[row + 3] = ms * jac[row + 3]! * c3;
        }
        return;
      }
      for (let i = 0, row = 0; i < n; i++, row += p) {
        const s = sw[i]!;
        r[i] = s * (y[i]! - f[i]!);
        for (let k = 0; k < p; k++) jac[row + k] = -s * jac[row + k]! * chain[k]!;
      }
      return;
    }
    this.curve.evaluate(this.theta, this.columns, n, f, jac ? full : null);
    for (let i = 0; i < n; i++) {
      const s = sw[i]!;
      r[i] = s * (y[i]! - f[i]!);
      if (jac === null) continue;
      for (let k = 0; k < p; k++) jac[i * p + k] = -s * full[i * pAll + free[k]!]! * chain[k]!;
    }
  }
}
