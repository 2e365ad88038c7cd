import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { LeastSquaresProblem } from "../../src/core/curve.js";

/**
 * NIST StRD nonlinear regression problems (test/fixtures/nist/*.dat): a parser for the
 * files and each model written by hand with its analytic Jacobian — independent of the
 * formula engine, so the solver and the statistics are checked against NIST alone.
 */

export interface NistParameter {
  readonly name: string;
  readonly start1: number;
  readonly start2: number;
  readonly certified: number;
  readonly certifiedSd: number;
}

export interface NistDataset {
  readonly name: string;
  readonly params: readonly NistParameter[];
  readonly rss: number;
  readonly residualSd: number;
  /** As printed in the file (Rat43's file says 9 although n − p = 11; NIST's typo). */
  readonly degreesOfFreedom: number;
  readonly observations: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
}

const FIXTURES = fileURLToPath(new URL("../fixtures/nist/", import.meta.url));

function lineSpan(text: string, label: string): [number, number] {
  const m = new RegExp(`${label}\\s+\\(lines\\s+(\\d+)\\s+to\\s+(\\d+)\\)`).exec(text);
  if (m === null) throw new Error(`NIST file: no "${label} (lines a to b)" in the header`);
  return [Number(m[1]), Number(m[2])];
}

function certifiedNumber(text: string, label: string): number {
  const m = new RegExp(`${label}:\\s+(\\S+)`).exec(text);
  if (m === null) throw new Error(`NIST file: no "${label}:" line`);
  return Number(m[1]);
}

/** Parses a NIST StRD .dat file, using the line spans its header declares. */
export function parseNist(name: string, text: string): NistDataset {
  const lines = text.split(/\r?\n/);
  const [s0, s1] = lineSpan(text, "Starting Values");
  const [d0, d1] = lineSpan(text, "Data");
  const params: NistParameter[] = [];
  for (let k = s0; k <= s1; k++) {
    const m = /^\s*(b\d+)\s*=\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$/.exec(lines[k - 1] ?? "");
    if (m === null) throw new Error(`${name}.dat:${k}: expected "bK = start1 start2 value sd"`);
    params.push({
      name: m[1]!,
      start1: Number(m[2]),
      start2: Number(m[3]),
      certified: Number(m[4]),
      certifiedSd: Number(m[5]),
    });
  }
  const x: number[] = [];
  const y: number[] = [];
  for (let k = d0; k <= d1; k++) {
    const fields = (lines[k - 1] ?? "").trim().split(/\s+/).map(Number);
    if (fields.length !== 2 || fields.some((v) => !Number.isFinite(v))) {
      throw new Error(`${name}.dat:${k}: expected "y x"`);
    }
    y.push(fields[0]!);
    x.push(fields[1]!);
  }
  return {
    name,
    params,
    rss: certifiedNumber(text, "Residual Sum of Squares"),
    residualSd: certifiedNumber(text, "Residual Standard Deviation"),
    degreesOfFreedom: certifiedNumber(text, "Degrees of Freedom"),
    observations: certifiedNumber(text, "Number of Observations"),
    x: Float64Array.from(x),
    y: Float64Array.from(y),
  };
}

export function loadNist(name: NistName): NistDataset {
  return parseNist(name, readFileSync(`${FIXTURES}${name}.dat`, "utf8"));
}

/** y = f(x; b) with ∂f/∂b_j written into `grad` (length p). Returns f. */
export type PointModel = (x: number, b: Float64Array, grad: Float64Array) => number;

/** The six problems' models, as printed in the files (b1 is b[0]). */
export const NIST_MODELS = {
  // y = b1*(1-exp[-b2*x])
  Misra1a: exponentialRise,
  // y = (b1 + b2*x + b3*x**2 + b4*x**3) / (1 + b5*x + b6*x**2 + b7*x**3)
  Thurber(x, b, g) {
    const x2 = x * x;
    const x3 = x2 * x;
    const num = b[0]! + b[1]! * x + b[2]! * x2 + b[3]! * x3;
    const den = 1 + b[4]! * x + b[5]! * x2 + b[6]! * x3;
    const f = num / den;
    g[0] = 1 / den;
    g[1] = x / den;
    g[2] = x2 / den;
    g[3] = x3 / den;
    g[4] = (-f * x) / den;
    g[5] = (-f * x2) / den;
    g[6] = (-f * x3) / den;
    return f;
  },
  // y = b1*(x**2+x*b2) / (x**2+x*b3+b4)
  MGH09(x, b, g) {
    const num = x * x + x * b[1]!;
    const den = x * x + x * b[2]! + b[3]!;
    const f = (b[0]! * num) / den;
    g[0] = num / den;
    g[1] = (b[0]! * x) / den;
    g[2] = (-f * x) / den;
    g[3] = -f / den;
    return f;
  },
  // y = b1 / ((1+exp[b2-b3*x])**(1/b4))
  Rat43(x, b, g) {
    const e = Math.exp(b[1]! - b[2]! * x);
    const u = 1 + e;
    const base = u ** (-1 / b[3]!);
    const f = b[0]! * base;
    g[0] = base;
    g[1] = (-f * e) / (b[3]! * u);
    g[2] = (f * e * x) / (b[3]! * u);
    g[3] = (f * Math.log(u)) / (b[3]! * b[3]!);
    return f;
  },
  // y = b1*(1-exp[-b2*x])
  BoxBOD: exponentialRise,
  // y = (b1/b2) * exp[-0.5*((x-b3)/b2)**2]
  Eckerle4(x, b, g) {
    const t = (x - b[2]!) / b[1]!;
    const e = Math.exp(-0.5 * t * t);
    const f = (b[0]! / b[1]!) * e;
    g[0] = e / b[1]!;
    g[1] = (f * (t * t - 1)) / b[1]!;
    g[2] = (f * t) / b[1]!;
    return f;
  },
} satisfies Record<string, PointModel>;

export type NistName = keyof typeof NIST_MODELS;
export const NIST_NAMES = Object.keys(NIST_MODELS) as NistName[];

function exponentialRise(x: number, b: Float64Array, g: Float64Array): number {
  const e = Math.exp(-b[1]! * x);
  g[0] = 1 - e;
  g[1] = b[0]! * x * e;
  return b[0]! * (1 - e);
}

/**
 * The problem in the solver's form: r_i = y_i − f(x_i; b), ∂r_i/∂b_j = −∂f/∂b_j.
 * `evaluations` counts calls (for tests).
 */
export function nistProblem(
  data: NistDataset,
  model: PointModel,
): LeastSquaresProblem & { evaluations: number } {
  const p = data.params.length;
  const grad = new Float64Array(p);
  const problem = {
    n: data.x.length,
    p,
    evaluations: 0,
    residuals(b: Float64Array, r: Float64Array, jac: Float64Array | null): void {
      problem.evaluations++;
      for (let i = 0; i < data.x.length; i++) {
        r[i] = data.y[i]! - model(data.x[i]!, b, grad);
        if (jac !== null) for (let j = 0; j < p; j++) jac[i * p + j] = -grad[j]!;
      }
    },
  };
  return problem;
}

/**
 * Log relative error, the number of matching significant digits:
 * LRE = −log10(|x − c| / |c|), capped at 15 so that exact agreement stays finite
 * (NIST certifies 11 digits). NaN when x is not finite.
 */
export function lre(x: number, c: number): number {
  if (!Number.isFinite(x)) return Number.NaN;
  if (x === c) return 15;
  const rel = c === 0 ? Math.abs(x) : Math.abs(x - c) / Math.abs(c);
  return Math.min(15, -Math.log10(rel));
}
