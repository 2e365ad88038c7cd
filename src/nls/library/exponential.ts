import { defineModel } from "./define.js";
import { fitAffine, fitLine, fitScale, leastSquares } from "./regression.js";
import { minimizeLog, refinePositive } from "./search.js";
import { extent, near, sortedXY, type XY } from "./stats.js";

/**
 * Exponential decay and rise. With the rate fixed, every one of these is linear in its
 * other parameters, so the rate is found by minimising the residual sum of squares over a
 * log-spaced range of rates (from 10⁻³ to 10³ over the x-range) with the amplitudes solved
 * by linear least squares (variable projection). Unlike a log-linear regression this needs
 * no positive y, is not thrown by a plateau or by noise near the baseline, and is already
 * the least-squares rate, so the fitter only polishes it.
 */

function xWidth(x: Float64Array): number {
  const { min, max } = extent(x);
  const w = max - min;
  return w > 0 && Number.isFinite(w) ? w : Math.max(Math.abs(max), 1);
}

/** exp(−k·(x − x0)): shifted so that the shape never underflows at the first x. */
function decayShape(x: Float64Array, k: number, x0: number): Float64Array {
  return x.map((xi) => Math.exp(-k * (xi - x0)));
}

/** Rate that minimises the RSS of a fit linear in the amplitudes, over 10⁻³..10³ per x-range. */
function scanRate(xy: XY, rss: (k: number) => number): number {
  const w = xWidth(xy.x);
  return minimizeLog(rss, 1e-3 / w, 1e3 / w, 61);
}

const reference =
  "Bates DM, Watts DG (1988). Nonlinear Regression Analysis and Its Applications. Wiley. Motulsky H, Christopoulos A (2004). Fitting Models to Biological Data Using Linear and Nonlinear Regression. Oxford University Press.";

export const expDecay = defineModel(
  {
    name: "exp-decay",
    aliases: ["exponential-decay", "first-order-decay"],
    title: "Exponential decay to zero",
    formula: "y0 * exp(-k * x)",
    params: ["y0", "k"],
    variables: ["x"],
    meaning: {
      y0: "value at x = 0 (units of y)",
      k: "rate constant; the half-life is ln 2/k (per unit of x)",
    },
    positive: ["k"],
    reference,
    selfStartRule:
      "k minimises the RSS over a log-spaced scan (10⁻³ to 10³ per x-range, then golden section) with y0 solved by linear least squares at each k.",
  },
  (columns, y) => {
    const xy = sortedXY(columns[0]!, y);
    const x0 = xy.x[0] ?? 0;
    const k = scanRate(xy, (k) => fitScale(decayShape(xy.x, k, x0), xy.y).rss);
    const a = fitScale(decayShape(xy.x, k, x0), xy.y).a;
    const fallback = { y0: xy.y[0] ?? 0, k: 1 / xWidth(xy.x) };
    return { values: { y0: a * Math.exp(k * x0), k }, fallback };
  },
);

export const expPlateau = defineModel(
  {
    name: "exp-plateau",
    aliases: ["one-phase-decay", "one-phase-association", "asymptotic", "ssasymp"],
    title: "Exponential approach to a plateau (decay or rise; R's SSasymp)",
    formula: "plateau + (y0 - plateau) * exp(-k * x)",
    params: ["y0", "plateau", "k"],
    variables: ["x"],
    meaning: {
      y0: "value at x = 0 (units of y)",
      plateau: "value approached as x → ∞ (units of y)",
      k: "rate constant; the half-time is ln 2/k (per unit of x)",
    },
    positive: ["k"],
    reference: `${reference} Pinheiro JC, Bates DM (2000). Mixed-Effects Models in S and S-PLUS, Appendix C (SSasymp). Springer.`,
    selfStartRule:
      "k minimises the RSS over a log-spaced scan (10⁻³ to 10³ per x-range, then golden section) with y0 and plateau solved by linear least squares at each k.",
  },
  (columns, y) => {
    const xy = sortedXY(columns[0]!, y);
    const x0 = xy.x[0] ?? 0;
    const k = scanRate(xy, (k) => fitAffine(decayShape(xy.x, k, x0), xy.y).rss);
    const fit = fitAffine(decayShape(xy.x, k, x0), xy.y);
    const fallback = { y0: xy.y[0] ?? 0, plateau: xy.y[xy.y.length - 1] ?? 0, k: 1 / xWidth(xy.x) };
    return { values: { y0: fit.a + fit.b * Math.exp(k * x0), plateau: fit.a, k }, fallback };
  },
);

export const expRise = defineModel(
  {
    name: "exp-rise",
    aliases: ["monomolecular", "mitscherlich", "ssasymporig"],
    title: "Monomolecular rise from the origin (R's SSasympOrig)",
    formula: "Asym * (1 - exp(-k * x))",
    params: ["Asym", "k"],
    variables: ["x"],
    meaning: {
      Asym: "asymptote approached as x → ∞; y = 0 at x = 0 (units of y)",
      k: "rate constant; half the asymptote is reached at x = ln 2/k (per unit of x)",
    },
    positive: ["k"],
    reference: `Mitscherlich EA (1909). Das Gesetz des Minimums und das Gesetz des abnehmenden Bodenertrags. Landwirtschaftliche Jahrbücher 38:537–552. Pinheiro JC, Bates DM (2000). Mixed-Effects Models in S and S-PLUS, Appendix C (SSasympOrig). Springer.`,
    selfStartRule:
      "k minimises the RSS over a log-spaced scan (10⁻³ to 10³ per x-range, then golden section) with Asym solved by linear least squares at each k.",
  },
  (columns, y) => {
    const xy = sortedXY(columns[0]!, y);
    const shape = (k: number) => xy.x.map((xi) => -Math.expm1(-k * xi));
    const k = scanRate(xy, (k) => fitScale(shape(k), xy.y).rss);
    const fallback = { Asym: xy.y[xy.y.length - 1] ?? 0, k: 1 / xWidth(xy.x) };
    return { values: { Asym: fitScale(shape(k), xy.y).a, k }, fallback };
  },
);

/**
 * A1·e^(−k1·x) + A2·e^(−k2·x) by linear least squares in (A1, A2) for fixed rates; the RSS
 * is +∞ when the two exponentials are numerically dependent.
 */
export function twoExponentials(x: Float64Array, y: Float64Array, k1: number, k2: number) {
  const n = x.length;
  const X = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    X[2 * i] = Math.exp(-k1 * x[i]!);
    X[2 * i + 1] = Math.exp(-k2 * x[i]!);
  }
  const beta = leastSquares(X, 2, y, new Float64Array(n).fill(1));
  if (beta === null) return { A1: 0, A2: 0, rss: Number.POSITIVE_INFINITY };
  let rss = 0;
  for (let i = 0; i < n; i++) {
    const r = y[i]! - beta[0]! * X[2 * i]! - beta[1]! * X[2 * i + 1]!;
    rss += r * r;
  }
  return { A1: beta[0]!, A2: beta[1]!, rss };
}

/**
 * Log-linear regression (weights y², the delta-method weights of ln y) of the rows with
 * y > 0 among `rows`: ln y ≈ ln A − k·x. `null` without two usable rows.
 */
export function logLinear(x: ArrayLike<number>, y: ArrayLike<number>) {
  const t: number[] = [];
  const z: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (y[i]! > 0) {
      t.push(x[i]!);
      z.push(Math.log(y[i]!));
      w.push(y[i]! ** 2);
    }
  }
  const line = fitLine(t, z, w);
  return line === null ? null : { A: Math.exp(line.intercept), k: -line.slope };
}

export const biexp = defineModel(
  {
    name: "biexp",
    aliases: ["bi-exponential", "two-phase-decay", "ssbiexp"],
    title: "Bi-exponential decay (R's SSbiexp with rates instead of log-rates)",
    formula: "A1 * exp(-k1 * x) + A2 * exp(-k2 * x)",
    params: ["A1", "k1", "A2", "k2"],
    variables: ["x"],
    meaning: {
      A1: "amplitude of the fast phase at x = 0 (units of y)",
      k1: "rate constant of the fast phase, k1 > k2 by convention (per unit of x)",
      A2: "amplitude of the slow (terminal) phase at x = 0 (units of y)",
      k2: "rate constant of the slow (terminal) phase (per unit of x)",
    },
    positive: ["k1", "k2"],
    reference:
      "Pinheiro JC, Bates DM (2000). Mixed-Effects Models in S and S-PLUS, Appendix C (SSbiexp). Springer. Gibaldi M, Perrier D (1982). Pharmacokinetics, 2nd ed. (method of residuals). Marcel Dekker.",
    selfStartRule:
      "Curve peeling: log-linear regression of the last half of the points gives k2, of the early residuals y − A2·e^(−k2·x) gives k1; both rates are then polished by a log-scale coordinate search with A1, A2 solved by linear least squares, and ordered k1 > k2.",
  },
  (columns, y) => {
    const xy = sortedXY(columns[0]!, y);
    const n = xy.x.length;
    const width = xWidth(xy.x);
    const fallback = {
      A1: (xy.y[0] ?? 0) / 2,
      k1: 10 / width,
      A2: (xy.y[0] ?? 0) / 2,
      k2: 1 / width,
    };
    // Terminal phase: the last half of the points (at least 3).
    const nLast = Math.min(n, Math.max(3, Math.ceil(n / 2)));
    const tail = logLinear(xy.x.subarray(n - nLast), xy.y.subarray(n - nLast));
    let k2 = tail !== null && tail.k > 0 ? tail.k : 1 / width;
    const A2 = tail?.A ?? 0;
    const early = xy.x.subarray(0, n - nLast);
    const residual = xy.y.subarray(0, n - nLast).map((v, i) => v - A2 * Math.exp(-k2 * early[i]!));
    const head = logLinear(early, residual);
    let k1 = head !== null && head.k > k2 ? head.k : 10 * k2;
    const rss = (p: readonly number[]) => twoExponentials(xy.x, xy.y, p[0]!, p[1]!).rss;
    const spans = [10, 3, 1.5, 1.2, 1.1, 1.05, 1.02, 1.01, 1.005];
    [k1, k2] = refinePositive([k1, k2], [0, 1], rss, spans) as [number, number];
    if (k1 < k2) [k1, k2] = [k2, k1];
    const amps = twoExponentials(xy.x, xy.y, k1, k2);
    // Amplitudes beyond 10 y-ranges: too few points or no two phases; use the fallback.
    const yr = extent(xy.y);
    const values = {
      A1: near(amps.A1, yr.min, yr.max, 10),
      k1,
      A2: near(amps.A2, yr.min, yr.max, 10),
      k2,
    };
    return { values, fallback };
  },
);
