import { defineModel } from "./define.js";
import { fitLine } from "./regression.js";
import {
  gompertzLink,
  logisticLink,
  polishSigmoid,
  richardsLink,
  shapedSigmoidStart,
  sigmoidStart,
} from "./sigmoid.js";
import { crossing, extent, median, near, sortedXY, type XY } from "./stats.js";

/**
 * Growth curves. `logistic` is R's SSlogis; `gompertz` and `richards` are Zwietering et
 * al.'s (1990) reparameterisations, whose parameters are what growth experiments report:
 * the asymptote A, the maximal growth rate mu (slope at the inflection point) and the lag
 * time lambda (where the tangent at the inflection point crosses y = 0), as in grofit.
 * They expect y that rises from 0, such as ln(N/N0) or a blank-corrected OD. All three are
 * y = A·G(c0 + c1·x) for a fixed link G, so their self-start is the shared sigmoid start
 * with the bottom held at 0 (see sigmoid.ts).
 */

const zwietering =
  "Zwietering MH, Jongenburger I, Rombouts FM, van 't Riet K (1990). Modeling of the bacterial growth curve. Appl Environ Microbiol 56(6):1875–1881.";

/** Asymptote, midpoint and width from the raw data: finite whenever any data are. */
function rough(xy: XY) {
  const { max } = extent(xy.y);
  const xr = extent(xy.x);
  const width = xr.max - xr.min > 0 ? xr.max - xr.min : 1;
  const line = fitLine(xy.x, xy.y);
  const sign = line !== null && line.slope < 0 ? -1 : 1;
  const mid = crossing(xy.x, xy.y, max / 2) ?? median(xy.x);
  return { max, mid, scale: (sign * width) / 4, width };
}

export const logistic = defineModel(
  {
    name: "logistic",
    aliases: ["logis", "sslogis", "logistic3"],
    title: "Logistic growth (R's SSlogis)",
    formula: "Asym / (1 + exp((xmid - x) / scal))",
    params: ["Asym", "xmid", "scal"],
    variables: ["x"],
    meaning: {
      Asym: "upper asymptote, the carrying capacity (units of y)",
      xmid: "x at the inflection point, where y = Asym/2 (units of x)",
      scal: "scale: x-distance from half to about 73% of Asym; the maximal slope is Asym/(4·scal); < 0 for a falling curve (units of x)",
    },
    reference:
      "Verhulst PF (1838). Notice sur la loi que la population suit dans son accroissement. Correspondance Mathématique et Physique 10:113–121. Pinheiro JC, Bates DM (2000). Mixed-Effects Models in S and S-PLUS, Appendix C (SSlogis). Springer.",
    selfStartRule:
      "Replicates averaged; for trial Asym padded above max(y) the logit ln(y/(Asym − y)) is regressed on x with delta-method weights, Asym re-solved by linear least squares, the candidate with the least RSS kept (on −y when y is mostly negative).",
  },
  (columns, y) => {
    let xy = sortedXY(columns[0]!, y);
    const { min, max } = extent(xy.y);
    const flip = -min > max;
    if (flip) xy = { x: xy.x, y: xy.y.map((v) => -v) };
    const r = rough(xy);
    const sign = flip ? -1 : 1;
    const fallback = { Asym: sign * r.max, xmid: r.mid, scal: r.scale };
    const linear = sigmoidStart(xy.x, xy.y, logisticLink, 0);
    if (linear === null) return { values: fallback, fallback };
    const s = polishSigmoid(xy.x, xy.y, linear, () => logisticLink, 1, 0);
    const x = extent(xy.x);
    const values = {
      Asym: sign * near(s.top, 0, r.max, 10),
      xmid: near(-s.c0 / s.c1, x.min, x.max, 3),
      scal: Math.abs(s.c1) * r.width >= 0.01 ? 1 / s.c1 : Number.NaN,
    };
    return { values, fallback };
  },
);

/**
 * Zwietering's (A, mu, lambda) from y = A·G(c0 + c1·x) with the Richards link of ν; NaN (so
 * the fallback is used) for an A beyond 10 y-ranges or a lag beyond 3 x-ranges of the data,
 * where flat or shapeless data drive the least-squares start.
 */
function zwieteringParams(xy: XY, top: number, c0: number, c1: number, nu: number) {
  // Gompertz (ν → 0): (1 + ν)^(1 + 1/ν) → e.
  const factor = nu === 0 ? Math.E : (1 + nu) ** (1 + 1 / nu);
  const x = extent(xy.x);
  const y = extent(xy.y);
  const width = x.max - x.min > 0 ? x.max - x.min : 1;
  const mu = (c1 * top) / factor;
  return {
    A: near(top, Math.min(0, y.min), y.max, 10),
    // A rate below 10⁻³·A per x-range is no growth at all.
    mu: mu * width >= 1e-3 * Math.abs(top) ? mu : Number.NaN,
    lambda: near(-(c0 + 1 + nu) / c1, x.min, x.max, 3),
  };
}

function growthFallback(xy: XY) {
  const r = rough(xy);
  const A = r.max > 0 ? r.max : 1;
  // Tangent through the midpoint at the average logistic slope A/width·2.
  const mu = (2 * A) / r.width;
  return { A, mu, lambda: r.mid - A / (2 * mu) };
}

const growthMeaning = {
  A: "upper asymptote, e.g. ln(N∞/N0) or maximal OD (units of y)",
  mu: "maximal growth rate: the slope at the inflection point (units of y per unit of x)",
  lambda: "lag time: where the tangent at the inflection point crosses y = 0 (units of x)",
};

export const gompertz = defineModel(
  {
    name: "gompertz",
    aliases: ["gompertz-zwietering"],
    title: "Gompertz growth with lag time (Zwietering form)",
    formula: "A * exp(-exp(mu * exp(1) / A * (lambda - x) + 1))",
    params: ["A", "mu", "lambda"],
    variables: ["x"],
    meaning: growthMeaning,
    positive: ["A", "mu"],
    reference: `Gompertz B (1825). On the nature of the function expressive of the law of human mortality, and on a new mode of determining the value of life contingencies. Phil Trans R Soc Lond 115:513–583. ${zwietering}`,
    selfStartRule:
      "Replicates averaged; for trial A padded above max(y), −ln(−ln(y/A)) is regressed on x with delta-method weights, A re-solved by linear least squares, the least-RSS candidate converted to mu and lambda.",
  },
  (columns, y) => {
    const xy = sortedXY(columns[0]!, y);
    const fallback = growthFallback(xy);
    const linear = sigmoidStart(xy.x, xy.y, gompertzLink, 0);
    if (linear === null) return { values: fallback, fallback };
    const s = polishSigmoid(xy.x, xy.y, linear, () => gompertzLink, 1, 0);
    return { values: zwieteringParams(xy, s.top, s.c0, s.c1, 0), fallback };
  },
);

export const richards = defineModel(
  {
    name: "richards",
    aliases: ["richards-zwietering", "generalised-logistic"],
    title: "Richards growth with lag time (Zwietering form)",
    formula:
      "A * (1 + nu * exp(1 + nu) * exp(mu / A * (1 + nu)^(1 + 1 / nu) * (lambda - x)))^(-1 / nu)",
    params: ["A", "mu", "lambda", "nu"],
    variables: ["x"],
    meaning: {
      ...growthMeaning,
      nu: "shape: nu = 1 is the logistic, nu → 0 the Gompertz (dimensionless, > 0)",
    },
    positive: ["A", "mu", "nu"],
    reference: `Richards FJ (1959). A flexible growth function for empirical use. J Exp Bot 10(2):290–300. ${zwietering}`,
    selfStartRule:
      "As the Gompertz with the Richards linearisation ln(((y/A)^−nu − 1)/nu) for each trial nu, polished on the original scale; nu is chosen by a log-scale search over 0.05–20 on the polished RSS.",
  },
  (columns, y) => {
    const xy = sortedXY(columns[0]!, y);
    const fallback = { ...growthFallback(xy), nu: 1 };
    const s = shapedSigmoidStart(xy.x, xy.y, richardsLink, 0.05, 20, 0);
    if (s === null) return { values: fallback, fallback };
    return {
      values: { ...zwieteringParams(xy, s.top, s.c0, s.c1, s.shape), nu: s.shape },
      fallback,
    };
  },
);
