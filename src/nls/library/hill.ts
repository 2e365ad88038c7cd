import { defineModel } from "./define.js";
import { fitAffine, fitScale } from "./regression.js";
import { logisticLink, polishSigmoid, sigmoidStart } from "./sigmoid.js";
import { crossing, extent, median, near, sortedXY, type XY } from "./stats.js";

/**
 * Hill equations in concentration form (x = concentration ≥ 0, K in units of x). On
 * t = ln x they are logistic: x^n/(K^n + x^n) = 1/(1 + e^−n(t − ln K)), so their self-start
 * is the shared sigmoid start on the rows with x > 0 (the Hill plot, with padded plateaus
 * and delta-method weights); rows at x = 0 then enter the final linear solve for the
 * plateaus, where the shape is exactly 0.
 */

/** Rows with x > 0, on t = ln x. */
function positiveLog(x: Float64Array, y: Float64Array) {
  const t: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (x[i]! > 0) {
      t.push(Math.log(x[i]!));
      v.push(y[i]!);
    }
  }
  return { t: Float64Array.from(t), y: Float64Array.from(v) };
}

/** x^n/(K^n + x^n) at every x (0 at x = 0), written as 1/(1 + (K/x)^n). */
function hillShape(x: Float64Array, K: number, n: number): Float64Array {
  return x.map((xi) => (xi > 0 ? 1 / (1 + (K / xi) ** n) : 0));
}

/** K and n from the data alone: x at the half-way response and n = 1. */
function roughKn(x: Float64Array, y: Float64Array, low: number, high: number) {
  const positive = x.filter((v) => v > 0);
  const K = crossing(x, y, (low + high) / 2) ?? median(positive);
  return { K: K > 0 ? K : median(positive), n: 1 };
}

/**
 * NaN (so the fallback is used) for a K beyond 3 decades-ranges of the positive x (on a log
 * scale), an n outside 0.01–100, or a level beyond 10 y-ranges: what flat or shapeless data drive
 * the least-squares start to.
 */
function plausible<T extends { K: number; n: number }>(
  xy: XY,
  v: T,
  levels: readonly (keyof T)[],
): T {
  const lx = extent(xy.x.filter((x) => x > 0).map(Math.log));
  const y = extent(xy.y);
  const out = {
    ...v,
    K: Math.exp(near(Math.log(v.K), lx.min, lx.max, 3)),
    n: v.n >= 0.01 && v.n <= 100 ? v.n : Number.NaN,
  };
  for (const key of levels) out[key] = near(v[key] as number, y.min, y.max, 10) as T[keyof T];
  return out;
}

export const hill = defineModel(
  {
    name: "hill",
    aliases: ["hill3", "hill-equation"],
    title: "Hill equation without baseline",
    formula: "Vmax * x^n / (K^n + x^n)",
    params: ["Vmax", "K", "n"],
    variables: ["x"],
    meaning: {
      Vmax: "maximal response at saturating x (units of y)",
      K: "concentration giving half the maximal response, K0.5 or EC50 (units of x)",
      n: "Hill coefficient: steepness, apparent cooperativity (dimensionless)",
    },
    positive: ["Vmax", "K", "n"],
    reference:
      "Hill AV (1910). The possible effects of the aggregation of the molecules of haemoglobin on its dissociation curves. J Physiol 40(Suppl):iv–vii. Goutelle S, Maurin M, Rougier F, et al. (2008). The Hill equation: a review of its capabilities in pharmacological modelling. Fundam Clin Pharmacol 22(6):633–648.",
    selfStartRule:
      "Hill plot: for trial Vmax padded above max(y), ln(y/(Vmax − y)) is regressed on ln x (x > 0) with delta-method weights, Vmax re-solved by linear least squares; the least-RSS candidate is polished on the original scale.",
  },
  (columns, y) => {
    const xy = sortedXY(columns[0]!, y);
    const { max } = extent(xy.y);
    const rough = { Vmax: max, ...roughKn(xy.x, xy.y, 0, max) };
    const lt = positiveLog(xy.x, xy.y);
    const linear = sigmoidStart(lt.t, lt.y, logisticLink, 0);
    if (linear === null) return { values: rough, fallback: rough };
    const s = polishSigmoid(lt.t, lt.y, linear, () => logisticLink, 1, 0);
    // A falling data set has no Hill shape; |n| keeps the start finite and positive.
    const n = Math.abs(s.c1);
    const K = Math.exp(-s.c0 / s.c1);
    const Vmax = fitScale(hillShape(xy.x, K, n), xy.y).a;
    return { values: plausible(xy, { Vmax, K, n }, ["Vmax"]), fallback: rough };
  },
);

export const hill4 = defineModel(
  {
    name: "hill4",
    aliases: ["hill-baseline", "hill-offset"],
    title: "Hill equation with baseline (x = concentration)",
    formula: "y0 + (yinf - y0) * x^n / (K^n + x^n)",
    params: ["y0", "yinf", "K", "n"],
    variables: ["x"],
    meaning: {
      y0: "response at x = 0, the baseline (units of y)",
      yinf: "response at saturating x; below y0 for an inhibition curve (units of y)",
      K: "concentration giving the response halfway between y0 and yinf, EC50 or IC50 (units of x)",
      n: "Hill coefficient: steepness (dimensionless)",
    },
    positive: ["K", "n"],
    reference:
      "Hill AV (1910). The possible effects of the aggregation of the molecules of haemoglobin on its dissociation curves. J Physiol 40(Suppl):iv–vii. Ritz C, Baty F, Streibig JC, Gerhard D (2015). Dose-response analysis using R. PLoS ONE 10(12):e0146021 (the same curve as drc's LL.4 with b = −n, c, d the plateaus and e = K).",
    selfStartRule:
      "The 4PL start on ln x for the rows with x > 0 (padded plateaus, weighted logit regression, least RSS, polish), then y0 and yinf re-solved by linear least squares over all rows including x = 0.",
  },
  (columns, y) => {
    const xy = sortedXY(columns[0]!, y);
    const { min, max } = extent(xy.y);
    const first = xy.y[0] ?? min;
    const last = xy.y[xy.y.length - 1] ?? max;
    const rough = { y0: first, yinf: last, ...roughKn(xy.x, xy.y, min, max) };
    const lt = positiveLog(xy.x, xy.y);
    const linear = sigmoidStart(lt.t, lt.y, logisticLink);
    if (linear === null) return { values: rough, fallback: rough };
    const s = polishSigmoid(lt.t, lt.y, linear, () => logisticLink, 1);
    const n = Math.abs(s.c1);
    const K = Math.exp(-s.c0 / s.c1);
    const fit = fitAffine(hillShape(xy.x, K, n), xy.y);
    const values = { y0: fit.a, yinf: fit.a + fit.b, K, n };
    return { values: plausible(xy, values, ["y0", "yinf"]), fallback: rough };
  },
);
