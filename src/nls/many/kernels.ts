import type { CurveFunction } from "../../core/curve.js";

/**
 * Hand-fused curve kernels for the hottest library models, used by the many-curves path in
 * place of the compiled formula (test/nls/many/kernels.test.ts holds them to the compiled
 * formula's values and partials). Same contract as CurveFunction.evaluate. The compiled 4PL
 * calls pow(10, ·), which costs four to five exps in V8; 10^u = e^(u·ln 10) here, a difference
 * of an ulp or two in f, far below the precision of any fit.
 */
type Evaluate = CurveFunction["evaluate"];

const LN10 = Math.LN10;

/**
 * Whether x_i has the bits of x_{i−1} as far as a kernel can tell (=== with 0 and −0 apart:
 * mid − x can differ in the sign of a zero). A row with the previous row's x gets that row's
 * values copied — f and its partials depend on θ and x_i only, so they are the same bits —
 * instead of another exponential: replicates sit next to each other in most assay layouts
 * (three rows per concentration: a third of the exponentials of the robust fit's rows).
 */
function sameX(a: number, b: number): boolean {
  return a === b && (a !== 0 || 1 / a === 1 / b);
}

/**
 * The logistic factors inv_i = 1/(1 + 10^((logEC50 − x_i)·hill)) of the 4PL kernel's last call
 * with a Jacobian, with the logEC50, hill and x they belong to. The small solver asks for the
 * curvature at the point whose Jacobian it has just evaluated; the curvature kernel then reads
 * them (the same expression, the same bits) instead of computing n exponentials again. Module
 * state is per thread (each worker loads its own copy); a call at any other point or on other
 * x simply misses.
 */
const memo = {
  n: 0,
  mid: Number.NaN,
  hill: Number.NaN,
  x: new Float64Array(0),
  inv: new Float64Array(0),
};

/** bottom + (top − bottom)/(1 + 10^((logEC50 − x)·hill)) and its partials. */
const fourPL: Evaluate = (theta, columns, n, f, jac) => {
  const bottom = theta[0]!;
  const span = theta[1]! - bottom;
  const mid = theta[2]!;
  const hill = theta[3]!;
  const x = columns[0]!;
  if (jac === null) {
    for (let i = 0; i < n; i++) {
      if (i > 0 && sameX(x[i]!, x[i - 1]!)) {
        f[i] = f[i - 1]!;
        continue;
      }
      f[i] = bottom + span / (1 + Math.exp(LN10 * (mid - x[i]!) * hill));
    }
    return;
  }
  if (memo.x.length < n) {
    memo.x = new Float64Array(n);
    memo.inv = new Float64Array(n);
  }
  const mx = memo.x;
  const minv = memo.inv;
  memo.n = n;
  memo.mid = mid;
  memo.hill = hill;
  for (let i = 0, r = 0; i < n; i++, r += 4) {
    mx[i] = x[i]!;
    if (i > 0 && sameX(x[i]!, x[i - 1]!)) {
      minv[i] = minv[i - 1]!;
      f[i] = f[i - 1]!;
      jac[r] = jac[r - 4]!;
      jac[r + 1] = jac[r - 3]!;
      jac[r + 2] = jac[r - 2]!;
      jac[r + 3] = jac[r - 1]!;
      continue;
    }
    const d = mid - x[i]!;
    const e = Math.exp(LN10 * d * hill);
    const inv = 1 / (1 + e);
    minv[i] = inv;
    const g = span * inv * inv * LN10 * e; // −∂f/∂(d·hill)
    f[i] = bottom + span * inv;
    jac[r] = 1 - inv;
    jac[r + 1] = inv;
    jac[r + 2] = -g * hill;
    jac[r + 3] = -g * d;
  }
};

/**
 * f, its partials and the values a call without partials gives, in one pass: `fourPL`'s two
 * branches compute f differently (span/(1 + e) without partials, span·inv with them, an ulp
 * apart), so a caller that needs both at one point — the robust fit's trial, whose loss is
 * judged on the first and whose next step starts from the second — gets each branch's exact
 * bits from one exponential per row. Updates `memo` as `fourPL` with partials does.
 */
export type DualEvaluate = (
  theta: Float64Array,
  columns: readonly Float64Array[],
  n: number,
  plain: Float64Array,
  f: Float64Array,
  jac: Float64Array,
) => void;

const fourPLDual: DualEvaluate = (theta, columns, n, plain, f, jac) => {
  const bottom = theta[0]!;
  const span = theta[1]! - bottom;
  const mid = theta[2]!;
  const hill = theta[3]!;
  const x = columns[0]!;
  if (memo.x.length < n) {
    memo.x = new Float64Array(n);
    memo.inv = new Float64Array(n);
  }
  const mx = memo.x;
  const minv = memo.inv;
  memo.n = n;
  memo.mid = mid;
  memo.hill = hill;
  for (let i = 0, r = 0; i < n; i++, r += 4) {
    mx[i] = x[i]!;
    if (i > 0 && sameX(x[i]!, x[i - 1]!)) {
      plain[i] = plain[i - 1]!;
      minv[i] = minv[i - 1]!;
      f[i] = f[i - 1]!;
      jac[r] = jac[r - 4]!;
      jac[r + 1] = jac[r - 3]!;
      jac[r + 2] = jac[r - 2]!;
      jac[r + 3] = jac[r - 1]!;
      continue;
    }
    const d = mid - x[i]!;
    // LN10·(mid − x)·hill: the same product as both branches of fourPL.
    const e = Math.exp(LN10 * d * hill);
    plain[i] = bottom + span / (1 + e);
    const inv = 1 / (1 + e);
    minv[i] = inv;
    const g = span * inv * inv * LN10 * e;
    f[i] = bottom + span * inv;
    jac[r] = 1 - inv;
    jac[r + 1] = inv;
    jac[r + 2] = -g * hill;
    jac[r + 3] = -g * d;
  }
};

/** The dual kernel (`DualEvaluate`) of a fused kernel (`evaluate` is one of KERNELS), if any. */
export function dualOfKernel(evaluate: Evaluate): DualEvaluate | null {
  return evaluate === fourPL ? fourPLDual : null;
}

const KERNELS: Readonly<Record<string, Evaluate>> = { "4pl": fourPL };

/** The fused kernel of a library model, if it has one. */
export function kernelFor(modelName: string): Evaluate | null {
  return KERNELS[modelName] ?? null;
}

/**
 * Σ_i c_i·∇²f(x_i; θ) into `out` (p×p, row-major, symmetric): the curvature term of a
 * least-squares Hessian, with c_i = r_i·√w_i for r_i = √w_i·(y_i − f_i) up to sign. Lets the
 * small solver take Newton steps (quadratic convergence) near the optimum instead of
 * Gauss–Newton's linear convergence on curves with noise (test/nls/many/kernels.test.ts
 * checks it against finite differences of the kernel's Jacobian).
 */
export type Curvature = (
  theta: Float64Array,
  columns: readonly Float64Array[],
  n: number,
  c: Float64Array,
  out: Float64Array,
) => void;

/**
 * The 4PL's second partials, with d = logEC50 − x, inv = 1/(1 + 10^(d·hill)),
 * q = inv(1 − inv), u = (1 − 2·inv) and k = ln 10: f_bb = f_bt = f_tt = 0,
 * f_bm = k·h·q, f_bh = k·d·q, f_tm = −k·h·q, f_th = −k·d·q, f_mm = span·k²·h²·q·u,
 * f_hh = span·k²·d²·q·u, f_mh = −span·k·q·(1 − k·h·d·u).
 */
const fourPLCurvature: Curvature = (theta, columns, n, c, out) => {
  const span = theta[1]! - theta[0]!;
  const mid = theta[2]!;
  const hill = theta[3]!;
  const x = columns[0]!;
  let sq = 0; // Σ c·q
  let sqd = 0; // Σ c·q·d
  let squ = 0; // Σ c·q·u
  let squd = 0; // Σ c·q·u·d
  let squdd = 0; // Σ c·q·u·d²
  const cached = memoHolds(mid, hill, x, n);
  const minv = memo.inv;
  for (let i = 0; i < n; i++) {
    const d = mid - x[i]!;
    const inv = cached ? minv[i]! : 1 / (1 + Math.exp(LN10 * d * hill));
    const cq = c[i]! * inv * (1 - inv);
    const u = 1 - 2 * inv;
    sq += cq;
    sqd += cq * d;
    squ += cq * u;
    squd += cq * u * d;
    squdd += cq * u * d * d;
  }
  const k = LN10;
  // f_bb = f_bt = f_tt = 0 (the other entries are all written below).
  out[0] = out[1] = out[4] = out[5] = 0;
  out[2] = out[8] = k * hill * sq;
  out[3] = out[12] = k * sqd;
  out[6] = out[9] = -k * hill * sq;
  out[7] = out[13] = -k * sqd;
  out[10] = span * k * k * hill * hill * squ;
  out[15] = span * k * k * squdd;
  out[11] = out[14] = -span * k * (sq - k * hill * squd);
};

/** Whether `memo` holds the factors at (mid, hill) for these n x. */
function memoHolds(mid: number, hill: number, x: Float64Array, n: number): boolean {
  if (memo.n !== n || memo.mid !== mid || memo.hill !== hill) return false;
  const mx = memo.x;
  for (let i = 0; i < n; i++) if (mx[i] !== x[i]) return false;
  return true;
}

/**
 * Writes into out[0], out[1] an interval holding every value of a model's curve at θ (all
 * parameters), whatever x: the pole check (pole.ts) then need not evaluate it.
 */
export type CurveRange = (theta: Float64Array, out: Float64Array) => void;

/** A 4PL lies between its plateaus: bottom + (top − bottom)·s with s ∈ [0, 1]. */
const fourPLRange: CurveRange = (theta, out) => {
  out[0] = Math.min(theta[0]!, theta[1]!);
  out[1] = Math.max(theta[0]!, theta[1]!);
};

const RANGES: Readonly<Record<string, CurveRange>> = { "4pl": fourPLRange };

/** The value range of a library model's curve (any x), if it has a known one. */
export function rangeFor(modelName: string): CurveRange | null {
  return RANGES[modelName] ?? null;
}

const CURVATURES: Readonly<Record<string, Curvature>> = { "4pl": fourPLCurvature };

/** The curvature kernel of a library model, if it has one. */
export function curvatureFor(modelName: string): Curvature | null {
  return CURVATURES[modelName] ?? null;
}

/** The curvature kernel that goes with a fused kernel (`evaluate` is one of KERNELS), if any. */
export function curvatureOfKernel(evaluate: Evaluate): Curvature | null {
  for (const [name, kernel] of Object.entries(KERNELS)) {
    if (kernel === evaluate) return curvatureFor(name);
  }
  return null;
}
