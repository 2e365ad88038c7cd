import { createRng } from "../../../src/core/rng.js";

/**
 * Test cases for the model library: for each model, parameter values, a design, and the
 * curve written out by hand in plain JavaScript (independent of the formula text), so the
 * compiled formula and the self-start are both checked against it.
 */
export type Tolerance = { rel: number } | { abs: number } | { factor: number };

export interface Case {
  /** Model name in the registry. */
  model: string;
  /** A label for the case (the model may have several). */
  label: string;
  truth: Record<string, number>;
  constants?: Record<string, number>;
  /** Data columns (in the model's variable order), before shuffling. */
  columns: number[][];
  /** The curve at row i. */
  curve(p: Record<string, number>, row: readonly number[]): number;
  /**
   * Self-start tolerance per parameter on the noisy data: relative |est − true| ≤ rel·|true|,
   * or `abs` (location parameters and baselines near 0: an absolute bound in their units), or
   * `factor` (shape parameters: est/true within [1/factor, factor]).
   */
  tolerance: Record<string, Tolerance>;
  /** Noise sd as a fraction of max |f| in the noisy variant. */
  noise: number;
}

const range = (from: number, to: number, step: number) => {
  const out: number[] = [];
  for (let v = from; v <= to + 1e-9; v += step) out.push(Number(v.toFixed(10)));
  return out;
};
const geometric = (from: number, ratio: number, count: number) =>
  Array.from({ length: count }, (_, i) => from * ratio ** i);
const replicate = (xs: number[], times: number) =>
  xs.flatMap((x) => Array(times).fill(x) as number[]);
/** Every (S, I) pair. */
const grid = (S: number[], I: number[]) => [I.flatMap(() => S), I.flatMap((i) => S.map(() => i))];

const rel = (r: number) => ({ rel: r });
const factor = (f: number) => ({ factor: f });

const mm = (p: Record<string, number>, [x]: readonly number[]) => (p.Vmax! * x!) / (p.Km! + x!);
const hill = (p: Record<string, number>, [x]: readonly number[]) =>
  (p.Vmax! * x! ** p.n!) / (p.K! ** p.n! + x! ** p.n!);
const hill4 = (p: Record<string, number>, [x]: readonly number[]) =>
  p.y0! + ((p.yinf! - p.y0!) * x! ** p.n!) / (p.K! ** p.n! + x! ** p.n!);
const fourPL = (p: Record<string, number>, [x]: readonly number[]) =>
  p.bottom! + (p.top! - p.bottom!) / (1 + 10 ** ((p.logEC50! - x!) * p.hill!));
const fivePL = (p: Record<string, number>, [x]: readonly number[]) =>
  p.bottom! +
  (p.top! - p.bottom!) / (1 + (2 ** (1 / p.s!) - 1) * 10 ** ((p.logEC50! - x!) * p.hill!)) ** p.s!;
const gompertz = (p: Record<string, number>, [x]: readonly number[]) =>
  p.A! * Math.exp(-Math.exp(((p.mu! * Math.E) / p.A!) * (p.lambda! - x!) + 1));
const richards = (p: Record<string, number>, [x]: readonly number[]) => {
  const nu = p.nu!;
  const inner = (p.mu! / p.A!) * (1 + nu) ** (1 + 1 / nu) * (p.lambda! - x!);
  return p.A! * (1 + nu * Math.exp(1 + nu) * Math.exp(inner)) ** (-1 / nu);
};
const expPlateau = (p: Record<string, number>, [x]: readonly number[]) =>
  p.plateau! + (p.y0! - p.plateau!) * Math.exp(-p.k! * x!);

const pkTimes = [0.25, 0.5, 1, 2, 3.5, 5, 7, 9, 12, 24];

export const CASES: Case[] = [
  {
    model: "michaelis-menten",
    label: "MM, triplicates",
    truth: { Vmax: 2.5, Km: 0.8 },
    columns: [replicate(geometric(0.05, 2, 8), 3)],
    curve: mm,
    tolerance: { Vmax: rel(0.1), Km: rel(0.2) },
    noise: 0.02,
  },
  {
    model: "michaelis-menten",
    label: "MM, five points, no replicates",
    truth: { Vmax: 120, Km: 15 },
    columns: [[2, 5, 10, 30, 80]],
    curve: mm,
    tolerance: { Vmax: rel(0.15), Km: rel(0.3) },
    noise: 0.02,
  },
  {
    model: "inhibition-competitive",
    label: "competitive, 7 S × 4 I",
    truth: { Vmax: 10, Km: 2, Ki: 0.5 },
    columns: grid(geometric(0.25, 2, 7), [0, 0.5, 1, 2]),
    curve: (p, [S, I]) => (p.Vmax! * S!) / (p.Km! * (1 + I! / p.Ki!) + S!),
    tolerance: { Vmax: rel(0.1), Km: rel(0.2), Ki: rel(0.2) },
    noise: 0.02,
  },
  {
    model: "inhibition-uncompetitive",
    label: "uncompetitive, 7 S × 4 I",
    truth: { Vmax: 10, Km: 2, Ki: 1 },
    columns: grid(geometric(0.25, 2, 7), [0, 0.5, 1, 2]),
    curve: (p, [S, I]) => (p.Vmax! * S!) / (p.Km! + S! * (1 + I! / p.Ki!)),
    tolerance: { Vmax: rel(0.1), Km: rel(0.2), Ki: rel(0.2) },
    noise: 0.02,
  },
  {
    model: "hill",
    label: "Hill, zero dose + duplicates",
    truth: { Vmax: 1.8, K: 3, n: 2.2 },
    columns: [replicate([0, ...geometric(0.3, 1.6, 11)], 2)],
    curve: hill,
    tolerance: { Vmax: rel(0.1), K: rel(0.15), n: rel(0.2) },
    noise: 0.02,
  },
  {
    model: "hill4",
    label: "Hill with baseline, rising",
    truth: { y0: 0.2, yinf: 1.5, K: 3, n: 1.5 },
    columns: [replicate([0, ...geometric(0.1, 2, 10)], 2)],
    curve: hill4,
    tolerance: { y0: { abs: 0.1 }, yinf: rel(0.1), K: rel(0.2), n: rel(0.2) },
    noise: 0.02,
  },
  {
    model: "hill4",
    label: "Hill with baseline, falling",
    truth: { y0: 100, yinf: 10, K: 0.5, n: 0.8 },
    columns: [replicate([0, ...geometric(0.005, 3, 10)], 2)],
    curve: hill4,
    tolerance: { y0: rel(0.1), yinf: rel(0.3), K: rel(0.3), n: rel(0.2) },
    noise: 0.02,
  },
  {
    model: "4pl",
    label: "4PL rising, triplicates",
    truth: { bottom: 5, top: 95, logEC50: -6.5, hill: 1.2 },
    columns: [replicate(range(-9, -4, 0.5), 3)],
    curve: fourPL,
    tolerance: { bottom: { abs: 5 }, top: rel(0.05), logEC50: { abs: 0.1 }, hill: rel(0.15) },
    noise: 0.02,
  },
  {
    model: "4pl",
    label: "4PL falling (IC50)",
    truth: { bottom: 10, top: 100, logEC50: -7, hill: -0.9 },
    columns: [range(-10, -4, 0.5)],
    curve: fourPL,
    tolerance: { bottom: rel(0.3), top: rel(0.05), logEC50: { abs: 0.15 }, hill: rel(0.15) },
    noise: 0.02,
  },
  {
    model: "5pl",
    label: "5PL, s = 0.5",
    truth: { bottom: 2, top: 100, logEC50: -6, hill: 1, s: 0.5 },
    columns: [replicate(range(-9, -3, 0.5), 2)],
    curve: fivePL,
    tolerance: {
      bottom: { abs: 5 },
      top: rel(0.05),
      logEC50: { abs: 0.15 },
      hill: rel(0.3),
      s: factor(2),
    },
    noise: 0.01,
  },
  {
    model: "5pl",
    label: "5PL falling, s = 2",
    truth: { bottom: 0, top: 50, logEC50: -5, hill: -1.5, s: 2 },
    columns: [replicate(range(-8, -2, 0.5), 2)],
    curve: fivePL,
    tolerance: {
      bottom: { abs: 3 },
      top: rel(0.05),
      logEC50: { abs: 0.15 },
      hill: rel(0.3),
      s: factor(2.5),
    },
    noise: 0.01,
  },
  {
    model: "logistic",
    label: "logistic growth",
    truth: { Asym: 200, xmid: 8, scal: 2 },
    columns: [range(0, 20, 1)],
    curve: (p, [x]) => p.Asym! / (1 + Math.exp((p.xmid! - x!) / p.scal!)),
    tolerance: { Asym: rel(0.05), xmid: { abs: 0.3 }, scal: rel(0.1) },
    noise: 0.02,
  },
  {
    model: "logistic",
    label: "logistic, falling (scal < 0)",
    truth: { Asym: 50, xmid: 10, scal: -3 },
    columns: [replicate(range(0, 30, 2), 2)],
    curve: (p, [x]) => p.Asym! / (1 + Math.exp((p.xmid! - x!) / p.scal!)),
    tolerance: { Asym: rel(0.05), xmid: { abs: 0.5 }, scal: rel(0.15) },
    noise: 0.02,
  },
  {
    model: "gompertz",
    label: "Gompertz growth with lag",
    truth: { A: 8, mu: 1.2, lambda: 3 },
    columns: [range(0, 24, 1)],
    curve: gompertz,
    tolerance: { A: rel(0.05), mu: rel(0.15), lambda: { abs: 0.5 } },
    noise: 0.02,
  },
  {
    model: "richards",
    label: "Richards, nu = 0.5",
    truth: { A: 8, mu: 1.2, lambda: 3, nu: 0.5 },
    columns: [range(0, 24, 0.5)],
    curve: richards,
    tolerance: { A: rel(0.05), mu: rel(0.15), lambda: { abs: 0.5 }, nu: factor(2) },
    noise: 0.01,
  },
  {
    model: "richards",
    label: "Richards, nu = 2",
    truth: { A: 2, mu: 0.3, lambda: 5, nu: 2 },
    columns: [range(0, 30, 0.5)],
    curve: richards,
    tolerance: { A: rel(0.05), mu: rel(0.15), lambda: { abs: 0.5 }, nu: factor(2) },
    noise: 0.01,
  },
  {
    model: "exp-decay",
    label: "exponential decay",
    truth: { y0: 50, k: 0.3 },
    columns: [range(0, 15, 1)],
    curve: (p, [x]) => p.y0! * Math.exp(-p.k! * x!),
    tolerance: { y0: rel(0.05), k: rel(0.1) },
    noise: 0.02,
  },
  {
    model: "exp-decay",
    label: "exponential decay, x from 5",
    truth: { y0: 400, k: 0.2 },
    columns: [range(5, 25, 2)],
    curve: (p, [x]) => p.y0! * Math.exp(-p.k! * x!),
    tolerance: { y0: rel(0.15), k: rel(0.1) },
    noise: 0.02,
  },
  {
    model: "exp-plateau",
    label: "one-phase association (rise)",
    truth: { y0: 10, plateau: 80, k: 0.25 },
    columns: [replicate(range(0, 20, 2), 2)],
    curve: expPlateau,
    tolerance: { y0: { abs: 4 }, plateau: rel(0.05), k: rel(0.15) },
    noise: 0.02,
  },
  {
    model: "exp-plateau",
    label: "one-phase decay to a plateau",
    truth: { y0: 100, plateau: 20, k: 0.5 },
    columns: [range(0, 12, 0.5)],
    curve: expPlateau,
    tolerance: { y0: rel(0.05), plateau: rel(0.15), k: rel(0.15) },
    noise: 0.02,
  },
  {
    model: "exp-rise",
    label: "monomolecular rise",
    truth: { Asym: 12, k: 0.4 },
    columns: [range(0, 15, 1)],
    curve: (p, [x]) => p.Asym! * (1 - Math.exp(-p.k! * x!)),
    tolerance: { Asym: rel(0.05), k: rel(0.1) },
    noise: 0.02,
  },
  {
    model: "biexp",
    label: "bi-exponential (Indometh-like)",
    truth: { A1: 2, k1: 1.8, A2: 0.4, k2: 0.3 },
    columns: [[0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 12]],
    curve: (p, [x]) => p.A1! * Math.exp(-p.k1! * x!) + p.A2! * Math.exp(-p.k2! * x!),
    tolerance: { A1: rel(0.3), k1: rel(0.3), A2: rel(0.3), k2: rel(0.3) },
    noise: 0.01,
  },
  {
    model: "pk1-oral",
    label: "one-compartment oral (Theoph-like)",
    truth: { ka: 1.5, ke: 0.08, V: 32 },
    constants: { Dose: 320 },
    columns: [[0, ...pkTimes]],
    curve: (p, [t]) =>
      ((320 * p.ka!) / (p.V! * (p.ka! - p.ke!))) * (Math.exp(-p.ke! * t!) - Math.exp(-p.ka! * t!)),
    tolerance: { ka: rel(0.3), ke: rel(0.15), V: rel(0.1) },
    noise: 0.02,
  },
];

/** The case's data: rows shuffled (seeded), noise sd = noise · max|f| when `noisy`. */
export function simulate(c: Case, noisy: boolean, seed = 1) {
  const rng = createRng(seed);
  const n = c.columns[0]!.length;
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const rows = order.map((i) => c.columns.map((col) => col[i]!));
  const f = rows.map((row) => c.curve(c.truth, row));
  const sd = noisy ? c.noise * Math.max(...f.map(Math.abs)) : 0;
  const y = Float64Array.from(f, (v) => v + sd * rng.normal());
  const columns = c.columns.map((_, k) => Float64Array.from(rows, (row) => row[k]!));
  return { columns, y };
}

/**
 * The estimate's error in the units of its tolerance: |est − true|/|true| for `rel`,
 * |est − true| for `abs`, |ln(est/true)| for `factor` (compare with ln factor).
 */
export function errorOf(c: Case, name: string, estimate: number): number {
  const t = c.truth[name]!;
  const tol = c.tolerance[name]!;
  if ("abs" in tol) return Math.abs(estimate - t);
  if ("factor" in tol)
    return estimate / t > 0 ? Math.abs(Math.log(estimate / t)) : Number.POSITIVE_INFINITY;
  return Math.abs(estimate - t) / Math.abs(t);
}

/** The bound `errorOf` must stay within. */
export function boundOf(c: Case, name: string): number {
  const tol = c.tolerance[name]!;
  return "abs" in tol ? tol.abs : "factor" in tol ? Math.log(tol.factor) : tol.rel;
}

/** Residual sum of squares of the case's curve at `p` on the data. */
export function rssOf(
  c: Case,
  p: Record<string, number>,
  data: { columns: Float64Array[]; y: Float64Array },
) {
  let rss = 0;
  for (let i = 0; i < data.y.length; i++) {
    const row = data.columns.map((col) => col[i]!);
    rss += (data.y[i]! - c.curve(p, row)) ** 2;
  }
  return rss;
}
