import type { NlsWarning } from "../stats/index.js";
import { informationCriteria, studentTQuantile, twoSidedPValue } from "../stats/index.js";
import type { BlockProblem } from "./block-problem.js";
import { columnNormsAndGradient } from "./block-products.js";
import { blockCovariances, createBlockQr, diagonalRatio, factorBlocks } from "./block-qr.js";
import type { GlobalSummary } from "./types.js";

const EPS = 2.220446049250313e-16;

/** Where a reported parameter lives: the shared block (group −1) or a group's local block. */
export interface ParameterSlot {
  name: string;
  /** Curve parameter index. */
  index: number;
  group: number;
  /** Column in the group's block order [locals | shared]. */
  column: number;
}

/** R's naming and order: per curve parameter, `P` if shared, else `P[level]` for each group. */
export function parameterSlots(bp: BlockProblem, names: readonly string[]): ParameterSlot[] {
  const slots: ParameterSlot[] = [];
  names.forEach((name, index) => {
    const s = bp.sharedIndex.indexOf(index);
    if (s >= 0) {
      slots.push({ name, index, group: -1, column: bp.ql + s });
      return;
    }
    const l = bp.localIndex.indexOf(index);
    if (l < 0) return;
    bp.groups.forEach((gr, g) => {
      slots.push({ name: `${name}[${gr.name}]`, index, group: g, column: l });
    });
  });
  return slots;
}

/**
 * The nls-style summary of a global fit at its optimum, from the block Jacobian in natural
 * coordinates: Cov = s²·(JᵀJ)⁻¹ with s² = RSS/(n − p), computed group by group from the
 * structured QR (block-qr.ts), so its cost and memory are linear in the number of groups.
 * logLik, AIC and BIC as R's for nls (information-criteria.ts), AICc = AIC + 2k(k+1)/(n−k−1).
 */
export function globalSummary(
  bp: BlockProblem,
  slots: readonly ParameterSlot[],
  level: number,
): { summary: GlobalSummary; warnings: NlsWarning[] } {
  const G = bp.groups.length;
  const q = bp.qs + bp.ql;
  const r = bp.groups.map((g) => new Float64Array(g.y.length));
  const blocks = bp.groups.map((g) => new Float64Array(g.y.length * q));
  bp.evaluateNatural(r, blocks);
  let rss = 0;
  for (const rg of r) for (let i = 0; i < rg.length; i++) rss += rg[i]! ** 2;
  const anyWeights = bp.groups.some((g) => g.weights);
  const weights = anyWeights ? concatWeights(bp) : null;
  const p = bp.size;
  const ic = informationCriteria(rss, p, weights, bp.nTotal);
  const n = ic.nobs;
  const df = n - p;
  const k = p + 1;
  const estimates = Float64Array.from(slots, (s) => bp.theta(Math.max(s.group, 0))[s.index]!);
  const warnings: NlsWarning[] = [];
  const summary: GlobalSummary = {
    names: slots.map((s) => s.name),
    estimates,
    n,
    p,
    df,
    rss,
    sigma: df > 0 ? Math.sqrt(rss / df) : null,
    standardErrors: null,
    tValues: null,
    pValues: null,
    level,
    lower: null,
    upper: null,
    logLik: ic.logLik,
    aic: ic.aic,
    aicc: n - k - 1 > 0 ? ic.aic + (2 * k * (k + 1)) / (n - k - 1) : null,
    bic: ic.bic,
    groupCovariance: null,
    groupParams: bp.groups.map((_, g) => blockNames(slots, g)),
    conditionEstimate: Number.NaN,
  };
  if (!Number.isFinite(rss) || !blocks.every((b) => b.every(Number.isFinite))) {
    warnings.push({
      code: "non-finite",
      message: "the residuals or the Jacobian contain NaN or Infinity: no standard errors",
    });
    return { summary, warnings };
  }
  if (df <= 0) {
    warnings.push({
      code: "no-residual-df",
      message: `${n} observations for ${p} parameters: no residual degrees of freedom, so no standard errors`,
    });
    return { summary, warnings };
  }
  const scale = new Float64Array(p);
  columnNormsAndGradient(bp, blocks, r, scale, new Float64Array(p));
  const zero = Array.from(scale, (v, j) => (v === 0 ? j : -1)).filter((j) => j >= 0);
  for (let j = 0; j < p; j++) if (scale[j] === 0) scale[j] = 1;
  const qr = createBlockQr(G, bp.ql, bp.qs, Math.max(...bp.groups.map((g) => g.y.length)));
  factorBlocks(qr, blocks, r, scale, 0);
  const kappa = diagonalRatio(qr);
  summary.conditionEstimate = kappa;
  const tol = Math.max(1e-12, Math.max(n, p) * EPS);
  if (zero.length > 0 || !(kappa < 1 / tol)) {
    warnings.push({
      code: "rank-deficient",
      message: `the Jacobian is singular to working precision (condition number at least ${kappa.toPrecision(3)} with its columns scaled to unit length): some parameters are not identifiable from these data; no standard errors`,
    });
    return { summary, warnings };
  }
  if (kappa > 1e8) {
    warnings.push({
      code: "ill-conditioned",
      message: `the Jacobian is ill-conditioned (condition number at least ${kappa.toPrecision(3)} with its columns scaled to unit length): the standard errors may have few correct digits`,
    });
  }
  const s2 = rss / df;
  const cov = blockCovariances(qr, scale).map((c) => c.map((v) => v * s2));
  const se = Float64Array.from(slots, (s) => {
    const c = cov[Math.max(s.group, 0)]!;
    return Math.sqrt(c[s.column * q + s.column]!);
  });
  const t = estimates.map((e, j) => e / se[j]!);
  const quantile = studentTQuantile(0.5 + level / 2, df);
  Object.assign(summary, {
    standardErrors: se,
    tValues: t,
    pValues: t.map((v) => twoSidedPValue(v, df)),
    lower: estimates.map((e, j) => e - quantile * se[j]!),
    upper: estimates.map((e, j) => e + quantile * se[j]!),
    groupCovariance: cov.map((c) => toCurveOrder(bp, c)),
  });
  return { summary, warnings };
}

/** Names of group g's free parameters in the curve's order. */
function blockNames(slots: readonly ParameterSlot[], g: number): string[] {
  return slots
    .filter((s) => s.group === g || s.group === -1)
    .sort((a, b) => a.index - b.index)
    .map((s) => s.name);
}

/** A group's covariance from block order [locals | shared] to the curve's parameter order. */
function toCurveOrder(bp: BlockProblem, c: Float64Array): Float64Array {
  const q = bp.qs + bp.ql;
  const order = Array.from(bp.params[0]!.free, (_, k) => bp.blockColumn[k]!);
  const out = new Float64Array(q * q);
  for (let a = 0; a < q; a++)
    for (let b = 0; b < q; b++) out[a * q + b] = c[order[a]! * q + order[b]!]!;
  return out;
}

function concatWeights(bp: BlockProblem): Float64Array {
  const w = new Float64Array(bp.nTotal);
  let off = 0;
  for (const g of bp.groups) {
    if (g.weights) w.set(g.weights, off);
    else w.fill(1, off, off + g.y.length);
    off += g.y.length;
  }
  return w;
}
