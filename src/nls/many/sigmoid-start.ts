/**
 * The library's padded-logit sigmoid start (src/nls/library/sigmoid.ts, `sigmoidStart` with
 * the logistic link) on preallocated buffers, for the many-curves path: replicates averaged
 * over sorted distinct t, then for each pair of plateau paddings the logit
 * ln((y − bottom)/(top − y)) regressed on t with delta-method weights (p(1 − p))², the plateaus
 * re-solved by linear least squares, the least-RSS candidate kept. It is the library rule
 * without its coordinate-search polish: Levenberg–Marquardt does that polish in two or three
 * iterations for less than the search costs. About 18 × (distinct t) logs and exps per call
 * (2× for `quickLogisticStart` on a clean sigmoid), no allocation.
 */

const PADS = [0.03, 0.12, 0.5];

export interface SigmoidWorkspace {
  /** Distinct t ascending and their mean y (first `m` entries). */
  readonly t: Float64Array;
  readonly y: Float64Array;
  m: number;
  readonly z: Float64Array;
  readonly w: Float64Array;
  readonly tt: Float64Array;
  readonly g: Float64Array;
  /** y minus its mean (the plateaus' regression). */
  readonly yc: Float64Array;
  /** The answer of the last `logisticStart`: y ≈ bottom + (top − bottom)/(1 + e^−(c0 + c1·t)). */
  bottom: number;
  top: number;
  c0: number;
  c1: number;
  rss: number;
}

export function createSigmoidWorkspace(maxRows: number): SigmoidWorkspace {
  const a = () => new Float64Array(maxRows);
  return {
    t: a(),
    y: a(),
    m: 0,
    z: a(),
    w: a(),
    tt: a(),
    g: a(),
    yc: a(),
    bottom: 0,
    top: 0,
    c0: 0,
    c1: 0,
    rss: 0,
  };
}

/**
 * Sorted distinct t (of the first n rows with t[i] kept by `keep`) with replicate means, into
 * ws.t / ws.y (insertion sort: the curves are small). Returns the count.
 */
export function averageReplicates(
  ws: SigmoidWorkspace,
  t: Float64Array,
  y: Float64Array,
  n: number,
): number {
  const { t: ts, y: ys, g: count } = ws;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const ti = t[i]!;
    let j = m - 1;
    while (j >= 0 && ts[j]! > ti) j--;
    if (j >= 0 && ts[j] === ti) {
      ys[j]! += y[i]!;
      count[j]! += 1;
      continue;
    }
    for (let k = m; k > j + 1; k--) {
      ts[k] = ts[k - 1]!;
      ys[k] = ys[k - 1]!;
      count[k] = count[k - 1]!;
    }
    ts[j + 1] = ti;
    ys[j + 1] = y[i]!;
    count[j + 1] = 1;
    m++;
  }
  for (let k = 0; k < m; k++) ys[k]! /= count[k]!;
  ws.m = m;
  return m;
}

/**
 * The least-RSS padded logistic start on ws.t / ws.y (after `averageReplicates`); false when
 * no padding gives a usable line (y constant, fewer than two distinct t inside the plateaus).
 */
export function logisticStart(ws: SigmoidWorkspace): boolean {
  if (!prepare(ws)) return false;
  let bestRss = Number.POSITIVE_INFINITY;
  for (const padBottom of PADS) {
    for (const padTop of PADS) bestRss = tryPadding(ws, padBottom, padTop, bestRss);
  }
  ws.rss = bestRss;
  return bestRss < Number.POSITIVE_INFINITY;
}

/**
 * The share of the replicate means' spread (Σ(ȳ_k − mean)²) that the tightest padding's
 * plateau fit may leave unexplained for `quickLogisticStart` to keep it: R² ≥ 0.9 on the means.
 */
const QUICK_UNEXPLAINED = 0.1;

/**
 * `logisticStart` for a clean sigmoid in a ninth of the work: the tightest padding (3 % below
 * and above the observed range) alone, kept when its plateau fit explains at least 90 % of the
 * means' spread — the start then lies in the basin Levenberg–Marquardt converges from, and is
 * no worse a start than the grid's pick (on the 4PL benchmark curves the LM runs are as short
 * or shorter). Otherwise, on a curve without a clear sigmoid, the whole grid as
 * `logisticStart`. About 2 × (distinct t) logs and exps instead of 18×.
 */
export function quickLogisticStart(ws: SigmoidWorkspace): boolean {
  if (!prepare(ws)) return false;
  // The grid in `logisticStart`'s order, stopping after its first padding (the tightest) when
  // that fits: the same candidates as running `logisticStart` after it (which would repeat
  // `prepare` and that padding to the same bits), on the same path. A fallback of its own —
  // a call, a store and a compare met only on the first unclean curve, long after this was
  // compiled — threw the compiled fast start away for want of feedback (V8's soft deopt).
  let best = Number.POSITIVE_INFINITY;
  let quick = false;
  for (let b = 0; b < PADS.length && !quick; b++) {
    for (let t = 0; t < PADS.length && !quick; t++) {
      best = tryPadding(ws, PADS[b]!, PADS[t]!, best);
      quick = b === 0 && t === 0 && best <= QUICK_UNEXPLAINED * stats[4]!;
    }
  }
  ws.rss = best;
  const found = best < Number.POSITIVE_INFINITY;
  return quick || found;
}

// prepare's numbers (module-level scratch, as `line` below): min, max, range, the mean of y
// and Σ(y − mean)².
const stats = new Float64Array(5);

/**
 * The numbers every padding shares: the range of the means, and for the plateaus' line
 * (which regresses the same y for every padding) Σy, its mean and the centred y in ws.yc (the
 * same sums in the same order as fitLine's two passes, so the same bits). False when y is
 * constant or not finite.
 */
function prepare(ws: SigmoidWorkspace): boolean {
  const { y, yc, m } = ws;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < m; i++) {
    if (y[i]! < min) min = y[i]!;
    if (y[i]! > max) max = y[i]!;
  }
  const range = max - min;
  if (!(range > 0) || !Number.isFinite(range)) return false;
  let sy = 0;
  for (let i = 0; i < m; i++) sy += y[i]!;
  const my = sy / m;
  let ss = 0;
  for (let i = 0; i < m; i++) {
    const d = y[i]! - my;
    yc[i] = d;
    ss += d * d;
  }
  stats[0] = min;
  stats[1] = max;
  stats[2] = range;
  stats[3] = my;
  stats[4] = ss;
  return true;
}

/**
 * One padding of the grid (after `prepare`): the weighted logit line, the plateaus by least
 * squares and their RSS; when that RSS is below `bestRss` the candidate is written to ws.
 * Returns the lower of the two RSS.
 */
function tryPadding(ws: SigmoidWorkspace, padBottom: number, padTop: number, bestRss: number) {
  const { t, y, z, w, tt, g, yc, m } = ws;
  const min = stats[0]!;
  const max = stats[1]!;
  const range = stats[2]!;
  const my = stats[3]!;
  const bottom = min - padBottom * range;
  const top = max + padTop * range;
  // The logits and their weights, with the weighted line's sums in the same pass (the
  // same sums in the same order as fitLine's first pass).
  let k = 0;
  let sw = 0;
  let st = 0;
  let sz = 0;
  for (let i = 0; i < m; i++) {
    const p = (y[i]! - bottom) / (top - bottom);
    if (!(p > 0 && p < 1)) continue;
    const ti = t[i]!;
    const zi = Math.log(p / (1 - p));
    const wi = (p * (1 - p)) ** 2;
    tt[k] = ti;
    z[k] = zi;
    w[k] = wi;
    k++;
    if (!(wi > 0) || !Number.isFinite(wi)) continue;
    sw += wi;
    st += wi * ti;
    sz += wi * zi;
  }
  if (!lineFromSums(tt, z, w, k, sw, st, sz) || line[1] === 0) return bestRss;
  const c0 = line[0]!;
  const c1 = line[1]!;
  // Plateaus: y ≈ a + b·g by least squares (fitAffine), with its RSS; g and the line's
  // first-pass sums together.
  let sg = 0;
  for (let i = 0; i < m; i++) {
    const gi = 1 / (1 + Math.exp(-(c0 + c1 * t[i]!)));
    g[i] = gi;
    sg += gi;
  }
  // lineFromSums(g, y, null, m, m, sg, sy) with unit weights (1·d = d exactly).
  const mg = sg / m;
  let sgg = 0;
  let sgy = 0;
  for (let i = 0; i < m; i++) {
    const dg = g[i]! - mg;
    sgg += dg * dg;
    sgy += dg * yc[i]!;
  }
  let a = my;
  let b = 0;
  if (sgg > 0) {
    const slope = sgy / sgg;
    const intercept = my - slope * mg;
    if (Number.isFinite(slope) && Number.isFinite(intercept)) {
      a = intercept;
      b = slope;
    }
  }
  let rss = 0;
  for (let i = 0; i < m; i++) {
    const r = y[i]! - a - b * g[i]!;
    rss += r * r;
  }
  if (!(Number.isFinite(rss) && rss < bestRss)) return bestRss;
  ws.bottom = a;
  ws.top = a + b;
  ws.c0 = c0;
  ws.c1 = c1;
  return rss;
}

// The last line fitted, [intercept, slope] (module-level scratch: JavaScript is
// single-threaded per isolate; a typed array, since each write of a number to a module
// variable allocates a heap number).
const line = new Float64Array(2);

/**
 * Weighted line z ≈ intercept + slope·t over the first k points with w > 0 (fitLine), given
 * its first pass — sw = Σw, st = Σw·t, sz = Σw·z over those points (w = 1 when null) — here
 * the centred second pass.
 */
function lineFromSums(
  t: Float64Array,
  z: Float64Array,
  w: Float64Array | null,
  k: number,
  sw: number,
  st: number,
  sz: number,
) {
  if (!(sw > 0)) return false;
  const mt = st / sw;
  const mz = sz / sw;
  let stt = 0;
  let stz = 0;
  for (let i = 0; i < k; i++) {
    const wi = w === null ? 1 : w[i]!;
    if (!(wi > 0) || !Number.isFinite(wi)) continue;
    const dt = t[i]! - mt;
    stt += wi * dt * dt;
    stz += wi * dt * (z[i]! - mz);
  }
  if (!(stt > 0)) return false;
  const slope = stz / stt;
  const intercept = mz - slope * mt;
  line[0] = intercept;
  line[1] = slope;
  return Number.isFinite(slope) && Number.isFinite(intercept);
}
