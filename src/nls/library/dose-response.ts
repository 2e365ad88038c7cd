import { defineModel } from "./define.js";
import { fitLine } from "./regression.js";
import type { SigmoidStart } from "./sigmoid.js";
import {
  logisticLink,
  polishSigmoid,
  richardsLink,
  shapedSigmoidStart,
  sigmoidStart,
} from "./sigmoid.js";
import { crossing, extent, median, near, sortedXY, type XY } from "./stats.js";

/**
 * Dose-response curves in GraphPad Prism's "log(agonist) vs. response" form: x is the
 * log10 of the concentration (or dose), hill > 0 for a rising curve and < 0 for a falling
 * (inhibition) curve, and top ≥ bottom are the upper and lower plateaus. drc's LL.4 takes
 * the concentration itself, with b = −hill and e = 10^logEC50; `hill4` is that scale.
 */

const LN10 = Math.LN10;

/** Plateaus, midpoint and slope sign from the raw data: finite whenever any data are. */
function roughStart(x: Float64Array, y: Float64Array) {
  const { min, max } = extent(y);
  const xr = extent(x);
  const width = xr.max - xr.min > 0 ? xr.max - xr.min : 1;
  const line = fitLine(x, y);
  const sign = line !== null && line.slope < 0 ? -1 : 1;
  return {
    bottom: min,
    top: max,
    logEC50: crossing(x, y, (min + max) / 2) ?? median(x),
    hill: (sign * 4) / width,
  };
}

/**
 * NaN (so the fallback is used) for a midpoint beyond 3 x-ranges of the data, plateaus beyond
 * 10 y-ranges, or a slope steeper than 100 decades per x-range: what flat or shapeless data
 * drive the least-squares start to.
 */
function plausible<T extends { bottom: number; top: number; logEC50: number; hill: number }>(
  xy: XY,
  v: T,
): T {
  const x = extent(xy.x);
  const y = extent(xy.y);
  const width = x.max - x.min > 0 ? x.max - x.min : 1;
  return {
    ...v,
    bottom: near(v.bottom, y.min, y.max, 10),
    top: near(v.top, y.min, y.max, 10),
    logEC50: near(v.logEC50, x.min, x.max, 3),
    hill: Math.abs(v.hill) * width <= 100 ? v.hill : Number.NaN,
  };
}

const bottomTop = {
  bottom: "lower plateau (units of y)",
  top: "upper plateau (units of y)",
};

export const fourPL = defineModel(
  {
    name: "4pl",
    aliases: ["four-parameter-logistic", "logistic4", "dose-response"],
    title: "Four-parameter logistic dose-response (x = log10 concentration)",
    formula: "bottom + (top - bottom) / (1 + 10^((logEC50 - x) * hill))",
    params: ["bottom", "top", "logEC50", "hill"],
    variables: ["x"],
    meaning: {
      ...bottomTop,
      logEC50:
        "log10 of the concentration giving the response halfway between bottom and top: log EC50, or log IC50 for a falling curve (units of x)",
      hill: "Hill slope per log10 unit of concentration, > 0 rising, < 0 falling (dimensionless)",
    },
    reference:
      "DeLean A, Munson PJ, Rodbard D (1978). Simultaneous analysis of families of sigmoidal curves: application to bioassay, radioligand assay, and physiological dose-response curves. Am J Physiol 235(2):E97–E102. Motulsky H, Christopoulos A (2004). Fitting Models to Biological Data Using Linear and Nonlinear Regression. Oxford University Press.",
    selfStartRule:
      "Replicates averaged; for plateaus padded beyond the observed range the logit ln((y − bottom)/(top − y)) is regressed on x with delta-method weights, the plateaus re-solved by linear least squares, the least-RSS candidate polished on the original scale (midpoint and slope by a coordinate search, plateaus linear), and the exact twin resolved so that top ≥ bottom.",
  },
  (columns, y) => {
    const xy = sortedXY(columns[0]!, y);
    const rough = roughStart(xy.x, xy.y);
    const linear = sigmoidStart(xy.x, xy.y, logisticLink);
    if (linear === null) return { values: rough, fallback: rough };
    const s = polishSigmoid(xy.x, xy.y, linear, () => logisticLink, 1);
    let values = plausible(xy, {
      bottom: s.bottom,
      top: s.top,
      logEC50: -s.c0 / s.c1,
      hill: s.c1 / LN10,
    });
    if (values.top < values.bottom) {
      // The exact twin (bottom, top, hill) → (top, bottom, −hill) describes the same curve.
      values = {
        bottom: values.top,
        top: values.bottom,
        logEC50: values.logEC50,
        hill: -values.hill,
      };
    }
    return { values, fallback: rough };
  },
);

/** The 5PL's parameters from y = bottom + (top − bottom)·G(c0 + c1·x), G Richards with ν = 1/s. */
function fivePLParams(start: SigmoidStart, s: number) {
  // ν·e^−η = (2^(1/s) − 1)·10^((logEC50 − x)·hill) with η = c0 + c1·x and ν = 1/s.
  const c = 2 ** (1 / s) - 1;
  const logEC50 = -(start.c0 + Math.log(c * s)) / start.c1;
  return { bottom: start.bottom, top: start.top, logEC50, hill: start.c1 / LN10, s };
}

export const fivePL = defineModel(
  {
    name: "5pl",
    aliases: ["five-parameter-logistic", "logistic5", "asymmetric-sigmoid"],
    title: "Five-parameter (asymmetric) logistic dose-response (x = log10 concentration)",
    formula: "bottom + (top - bottom) / (1 + (2^(1/s) - 1) * 10^((logEC50 - x) * hill))^s",
    params: ["bottom", "top", "logEC50", "hill", "s"],
    variables: ["x"],
    meaning: {
      ...bottomTop,
      logEC50:
        "log10 of the concentration giving the response halfway between bottom and top, for every s (units of x)",
      hill: "slope factor per log10 unit of concentration, > 0 rising, < 0 falling (dimensionless)",
      s: "asymmetry factor; s = 1 is the 4PL (dimensionless, > 0)",
    },
    positive: ["s"],
    reference:
      "Gottschalk PG, Dunn JR (2005). The five-parameter logistic: a characterization and comparison with the four-parameter logistic. Anal Biochem 343(1):54–65. Midpoint parameterisation as in GraphPad Prism's 'Asymmetric sigmoidal, 5PL, X is log(concentration)'.",
    selfStartRule:
      "As the 4PL with the logit replaced by the Richards linearisation for asymmetry s, each trial s polished on the original scale; s is chosen by a log-scale search over 0.05–20 on the polished RSS.",
  },
  (columns, y) => {
    const xy = sortedXY(columns[0]!, y);
    const rough = { ...roughStart(xy.x, xy.y), s: 1 };
    // The Richards link with ν = 1/s; s within 0.05–20.
    const best = shapedSigmoidStart(xy.x, xy.y, richardsLink, 0.05, 20);
    if (best === null) return { values: rough, fallback: rough };
    return { values: plausible(xy, fivePLParams(best, 1 / best.shape)), fallback: rough };
  },
);
