import { InputError } from "../core/errors.js";

/** What the user says about one parameter (lmfit-style): start value, bounds, fixed. */
export interface ParameterSpec {
  name: string;
  start: number;
  /** Lower bound (default −∞). */
  lower?: number;
  /** Upper bound (default +∞). */
  upper?: number;
  /** Held at `start` during the fit. */
  fixed?: boolean;
}

/**
 * How a free parameter θ maps to the solver's internal coordinate φ. Bounds are a
 * reparameterisation, never a clamp (a clamp stalls gradients and hides a bound):
 * - `scaled`   (no bounds):   θ = s·φ, s = |start| or 1 — all φ start at ±1 or 0, so one
 *                             learning rate and one clip threshold suit every parameter;
 * - `lower`    (a, ∞):        θ = a + exp(φ);
 * - `upper`    (−∞, b):       θ = b − exp(φ);
 * - `interval` (a, b):        θ = a + (b − a)·σ(φ), σ the logistic function.
 */
export type Transform = "scaled" | "lower" | "upper" | "interval";

export interface FreeParameter {
  name: string;
  /** Index in the model's parameter vector θ. */
  index: number;
  kind: Transform;
  lower: number;
  upper: number;
  scale: number;
}

/** The free parameters' transforms plus the fixed parameters' values. */
export interface Parameterisation {
  names: readonly string[];
  free: readonly FreeParameter[];
  /** θ with fixed parameters set; free entries are overwritten by `toNatural`. */
  base: Float64Array;
}

export function parameterise(specs: readonly ParameterSpec[]): Parameterisation {
  const base = Float64Array.from(specs, (s) => s.start);
  const free: FreeParameter[] = [];
  specs.forEach((s, index) => {
    const lower = s.lower ?? Number.NEGATIVE_INFINITY;
    const upper = s.upper ?? Number.POSITIVE_INFINITY;
    if (!Number.isFinite(s.start)) {
      throw new InputError(
        `parameter ${s.name}: start value must be a finite number, got ${s.start}`,
      );
    }
    if (!(lower < upper)) {
      throw new InputError(
        `parameter ${s.name}: lower bound ${lower} must be below upper bound ${upper}`,
      );
    }
    if (s.fixed) return;
    if (!(s.start > lower && s.start < upper)) {
      throw new InputError(
        `parameter ${s.name}: start ${s.start} is outside its bounds (${lower}, ${upper}); ` +
          "give a start strictly inside them",
      );
    }
    const hasLower = Number.isFinite(lower);
    const hasUpper = Number.isFinite(upper);
    const kind: Transform =
      hasLower && hasUpper ? "interval" : hasLower ? "lower" : hasUpper ? "upper" : "scaled";
    const scale = Math.abs(s.start) > 0 ? Math.abs(s.start) : 1;
    free.push({ name: s.name, index, kind, lower, upper, scale });
  });
  return { names: specs.map((s) => s.name), free, base };
}

/** φ for the free parameters at θ = the specs' start values (or at `theta`). */
export function toInternal(p: Parameterisation, theta: Float64Array = p.base): Float64Array {
  return Float64Array.from(p.free, (f) => {
    const t = theta[f.index]!;
    switch (f.kind) {
      case "scaled":
        return t / f.scale;
      case "lower":
        return Math.log(t - f.lower);
      case "upper":
        return Math.log(f.upper - t);
      case "interval": {
        const u = (t - f.lower) / (f.upper - f.lower);
        return Math.log(u / (1 - u));
      }
    }
  });
}

/**
 * Writes θ(φ) into `theta` (fixed entries from `base`) and dθ/dφ for each free parameter
 * into `dtheta` (the chain-rule factor of the Jacobian).
 */
export function toNatural(
  p: Parameterisation,
  phi: Float64Array,
  theta: Float64Array,
  dtheta: Float64Array,
): void {
  theta.set(p.base);
  for (let k = 0; k < p.free.length; k++) {
    const f = p.free[k]!;
    const v = phi[k]!;
    switch (f.kind) {
      case "scaled":
        theta[f.index] = f.scale * v;
        dtheta[k] = f.scale;
        break;
      case "lower": {
        const e = Math.exp(v);
        theta[f.index] = f.lower + e;
        dtheta[k] = e;
        break;
      }
      case "upper": {
        const e = Math.exp(v);
        theta[f.index] = f.upper - e;
        dtheta[k] = -e;
        break;
      }
      case "interval": {
        const s = 1 / (1 + Math.exp(-v));
        const w = f.upper - f.lower;
        theta[f.index] = f.lower + w * s;
        dtheta[k] = w * s * (1 - s);
        break;
      }
    }
  }
}

/**
 * Free parameters whose estimate sits at a bound: within a relative `tol` of the bounded
 * range, or for a one-sided bound, of the start's distance from the bound. Both measures
 * scale with the parameter, so a Km of 3.4e-7 M started near its value is as interior as
 * a Km of 0.34 µM (an absolute test called any positive value below 1e-6 "at 0").
 * Their standard errors are not meaningful (the covariance assumes an interior optimum).
 */
export function atBounds(p: Parameterisation, theta: Float64Array, tol = 1e-6): string[] {
  const out: string[] = [];
  for (const f of p.free) {
    const t = theta[f.index]!;
    const start = p.base[f.index]!;
    const interval = Number.isFinite(f.upper - f.lower);
    const nearLower =
      Number.isFinite(f.lower) &&
      t - f.lower <= tol * (interval ? f.upper - f.lower : start - f.lower);
    const nearUpper =
      Number.isFinite(f.upper) &&
      f.upper - t <= tol * (interval ? f.upper - f.lower : f.upper - start);
    if (nearLower || nearUpper) out.push(f.name);
  }
  return out;
}
