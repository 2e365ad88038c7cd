import { fitAffine, fitLine, fitScale } from "./regression.js";
import { minimizeLog, refine } from "./search.js";
import { extent } from "./stats.js";

/**
 * The shared self-start of every sigmoid in the library (4PL, 5PL, Hill, logistic,
 * Gompertz, Richards): each is, in suitable coordinates,
 *
 *     y = bottom + (top − bottom) · G(c0 + c1·t)
 *
 * with a fixed increasing link G from the real line onto (0, 1). Given trial plateaus the
 * fraction p = (y − bottom)/(top − bottom) is linearised, G⁻¹(p) = c0 + c1·t, and the line
 * is fitted by weighted least squares with weights 1/(dG⁻¹/dp)² (the delta method: the
 * transform stretches noise near the plateaus, these weights undo it to first order, so
 * the line approximates the least-squares curve rather than the linearised one). The
 * plateaus are not known, so a grid of paddings beyond the observed range is tried; for
 * each the plateaus are re-solved by linear least squares with the shape fixed, and the
 * candidate with the smallest residual sum of squares on the original scale wins.
 *
 * The linearisation alone is only a start: its weights use the observed, noisy p, and rows
 * at or beyond a trial plateau must be dropped (with noise near a plateau, that keeps the
 * high readings and drops the low ones — a bias). So `polishSigmoid` then searches the
 * midpoint and the slope there on the original scale, and `shapedSigmoidStart` profiles a
 * link's shape parameter (5PL, Richards) on the polished RSS.
 */
export interface Link {
  /** G(η) in (0, 1). */
  shape(eta: number): number;
  /** G⁻¹(p) for p in (0, 1). */
  inverse(p: number): number;
  /** 1/(dG⁻¹/dp)², up to a constant factor. */
  weight(p: number): number;
}

/** Logistic G(η) = 1/(1 + e^−η): the 4PL, Hill and SSlogis link. */
export const logisticLink: Link = {
  shape: (eta) => 1 / (1 + Math.exp(-eta)),
  inverse: (p) => Math.log(p / (1 - p)),
  weight: (p) => (p * (1 - p)) ** 2,
};

/** Gompertz G(η) = exp(−e^−η), the ν → 0 limit of Richards. */
export const gompertzLink: Link = {
  shape: (eta) => Math.exp(-Math.exp(-eta)),
  inverse: (p) => -Math.log(-Math.log(p)),
  weight: (p) => (p * Math.log(p)) ** 2,
};

/** Richards G(η) = (1 + ν·e^−η)^(−1/ν), ν > 0 (ν = 1 is logistic). */
export function richardsLink(nu: number): Link {
  return {
    shape: (eta) => (1 + nu * Math.exp(-eta)) ** (-1 / nu),
    inverse: (p) => -Math.log((p ** -nu - 1) / nu),
    weight: (p) => ((p * (1 - p ** nu)) / nu) ** 2,
  };
}

export interface SigmoidStart {
  bottom: number;
  top: number;
  c0: number;
  c1: number;
  rss: number;
}

/**
 * Paddings of the plateaus beyond the data, as fractions of the observed range. A coarse set
 * suffices: the plateaus are re-solved linearly and the shape is polished afterwards.
 */
const PADS = [0.005, 0.03, 0.12, 0.5, 2];

/**
 * Plateaus and line c0 + c1·t of y ≈ bottom + (top − bottom)·G(c0 + c1·t), by the padded
 * linearisation above (t sorted or not; replicates allowed). With `fixedBottom` the bottom
 * is held there and only the top is padded. `null` when no trial gives a usable line (fewer
 * than two distinct t strictly between the plateaus, or a constant y).
 */
export function sigmoidStart(
  t: Float64Array,
  y: Float64Array,
  link: Link,
  fixedBottom?: number,
  pads: readonly number[] = PADS,
): SigmoidStart | null {
  const n = y.length;
  const { min, max } = extent(y);
  const lo = fixedBottom ?? min;
  const range = max - lo;
  if (!(range > 0) || !Number.isFinite(range)) return null;
  const tt = new Float64Array(n);
  const z = new Float64Array(n);
  const w = new Float64Array(n);
  const g = new Float64Array(n);
  const shifted = new Float64Array(n);
  let best: SigmoidStart | null = null;
  const bottomPads = fixedBottom === undefined ? pads : [0];
  for (const padBottom of bottomPads) {
    for (const padTop of pads) {
      const bottom = lo - padBottom * range;
      const top = max + padTop * range;
      let m = 0;
      for (let i = 0; i < n; i++) {
        const p = (y[i]! - bottom) / (top - bottom);
        if (!(p > 0 && p < 1)) continue;
        tt[m] = t[i]!;
        z[m] = link.inverse(p);
        w[m] = link.weight(p);
        m++;
      }
      const line = fitLine(tt.subarray(0, m), z.subarray(0, m), w.subarray(0, m));
      if (line === null || line.slope === 0) continue;
      for (let i = 0; i < n; i++) g[i] = link.shape(line.intercept + line.slope * t[i]!);
      const fit = plateaus(g, y, fixedBottom, shifted);
      const candidate = { ...fit, c0: line.intercept, c1: line.slope };
      if (Number.isFinite(candidate.rss) && (best === null || candidate.rss < best.rss)) {
        best = candidate;
      }
    }
  }
  return best;
}

/** bottom + (top − bottom)·g by linear least squares (bottom held when fixed). */
function plateaus(
  g: Float64Array,
  y: Float64Array,
  fixedBottom: number | undefined,
  work: Float64Array,
) {
  if (fixedBottom === undefined) {
    const fit = fitAffine(g, y);
    return { bottom: fit.a, top: fit.a + fit.b, rss: fit.rss };
  }
  for (let i = 0; i < y.length; i++) work[i] = y[i]! - fixedBottom;
  const fit = fitScale(g, work);
  return { bottom: fixedBottom, top: fixedBottom + fit.a, rss: fit.rss };
}

/** A fitted sigmoid in midpoint coordinates: m where G = 1/2, b the slope of G there. */
interface Midpoint {
  fit: SigmoidStart;
  m: number;
  b: number;
}

/**
 * Coordinate search over the midpoint m (where G = 1/2) and the slope b of G at m (log
 * scale, sign kept) from (m, b), plateaus re-solved linearly at each trial. m and b are
 * nearly orthogonal in their effect on the curve, and nearly independent of the link's
 * shape, so a few rounds converge.
 */
function polishMidpoint(
  t: Float64Array,
  y: Float64Array,
  link: Link,
  m: number,
  b: number,
  fixedBottom: number | undefined,
  shrink: readonly number[],
): Midpoint {
  const n = y.length;
  const g = new Float64Array(n);
  const work = new Float64Array(n);
  const eta50 = link.inverse(0.5);
  const h = 1e-4;
  const slope50 = (link.shape(eta50 + h) - link.shape(eta50 - h)) / (2 * h);
  const evaluate = ([mm, bb]: readonly number[]): SigmoidStart => {
    const c1 = bb! / slope50;
    const c0 = eta50 - c1 * mm!;
    for (let i = 0; i < n; i++) g[i] = link.shape(c0 + c1 * t[i]!);
    return { ...plateaus(g, y, fixedBottom, work), c0, c1 };
  };
  const { min, max } = extent(t);
  const width = max - min > 0 ? max - min : 1;
  const coordinates = [
    { index: 0, width: width / 4 },
    { index: 1, width: 1, log: true },
  ];
  const [mBest, bBest] = refine([m, b], coordinates, (v) => evaluate(v).rss, shrink);
  return { fit: evaluate([mBest!, bBest!]), m: mBest!, b: bBest! };
}

/** m and b of a line c0 + c1·t under a link. */
function midpointOf(link: Link, c0: number, c1: number) {
  const eta50 = link.inverse(0.5);
  const h = 1e-4;
  const slope50 = (link.shape(eta50 + h) - link.shape(eta50 - h)) / (2 * h);
  return { m: (eta50 - c0) / c1, b: c1 * slope50 };
}

/**
 * Polishes a start on the original scale, where the linearisation is biased by noise near
 * the plateaus (and by the rows it must drop outside them): a coordinate search over the
 * midpoint and the slope there, with the link's shape fixed. Never returns a worse RSS
 * than the start.
 */
export function polishSigmoid(
  t: Float64Array,
  y: Float64Array,
  start: SigmoidStart,
  family: (shape: number) => Link,
  shape: number,
  fixedBottom?: number,
): SigmoidStart & { shape: number } {
  const link = family(shape);
  const { m, b } = midpointOf(link, start.c0, start.c1);
  const { fit } = polishMidpoint(t, y, link, m, b, fixedBottom, [1, 0.2, 0.04]);
  return fit.rss <= start.rss ? { ...fit, shape } : { ...start, shape };
}

/**
 * Start for a sigmoid whose link has a shape parameter (5PL asymmetry, Richards ν): the
 * linearised and polished start at shape 1 gives the midpoint and its slope, which hardly
 * depend on the shape; then a profile over the shape on a log scale within [lo, hi] (grid,
 * then golden section), each trial polishing midpoint and slope from there, picks the shape
 * with the least RSS, which is polished fully. Choosing the shape by the linearised RSS
 * instead is biased (the linearisation favours some shapes), and a joint coordinate search
 * creeps along the shape ridge too slowly; the profile avoids both.
 */
export function shapedSigmoidStart(
  t: Float64Array,
  y: Float64Array,
  family: (shape: number) => Link,
  lo: number,
  hi: number,
  fixedBottom?: number,
): (SigmoidStart & { shape: number }) | null {
  const linear = sigmoidStart(t, y, family(1), fixedBottom);
  if (linear === null) return null;
  const base = polishSigmoid(t, y, linear, family, 1, fixedBottom);
  const { m, b } = midpointOf(family(1), base.c0, base.c1);
  const trial = (shape: number) =>
    polishMidpoint(t, y, family(shape), m, b, fixedBottom, [0.5, 0.1]).fit.rss;
  const shape = minimizeLog(trial, lo, hi, 9, true, 0.05);
  const best = polishMidpoint(t, y, family(shape), m, b, fixedBottom, [0.5, 0.2, 0.04]).fit;
  return best.rss <= base.rss ? { ...best, shape } : base;
}
