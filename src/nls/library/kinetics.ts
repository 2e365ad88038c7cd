import { defineModel } from "./define.js";
import { fitLine, fitScale, leastSquares } from "./regression.js";
import { refinePositive } from "./search.js";
import { crossing, extent, median, sortedXY } from "./stats.js";

/**
 * Enzyme kinetics: Michaelis–Menten and the competitive and uncompetitive inhibition
 * equations. All are linear in Vmax once Km (and Ki) are fixed. The self-starts take a
 * Hanes–Woolf linearisation (S/v against S, weighted by v⁴/S² — the delta-method weights
 * that undo the transform's distortion of the noise to first order) for a first estimate,
 * then polish Km and Ki by a log-scale search with Vmax solved by linear least squares, as
 * R's SSmicmen polishes its Lineweaver–Burk start with `plinear`. The linearisation alone is
 * only a start: the weights use the observed, noisy v, and low-S points still dominate it.
 */

const enzymeReference =
  "Cornish-Bowden A (2012). Fundamentals of Enzyme Kinetics, 4th ed. Wiley-Blackwell. Segel IH (1975). Enzyme Kinetics: Behavior and Analysis of Rapid Equilibrium and Steady-State Enzyme Systems. Wiley.";

/** Vmax and Km of v = Vmax·S/(Km + S) from (S, v), S sorted with replicates averaged. */
function michaelisStart(S: Float64Array, v: Float64Array) {
  const { max } = extent(v);
  const positiveS = S.filter((s) => s > 0);
  const halfway = crossing(S, v, max / 2);
  const rough = { Vmax: max, Km: halfway !== null && halfway > 0 ? halfway : median(positiveS) };
  // Hanes–Woolf: S/v = Km/Vmax + S/Vmax.
  const t: number[] = [];
  const z: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < S.length; i++) {
    const s = S[i]!;
    const vi = v[i]!;
    if (s > 0 && vi > 0) {
      t.push(s);
      z.push(s / vi);
      w.push(vi ** 4 / s ** 2);
    }
  }
  const line = fitLine(t, z, w);
  let Km = rough.Km;
  if (line !== null && line.slope > 0 && line.intercept > 0) Km = line.intercept / line.slope;
  if (!(Km > 0) || !Number.isFinite(Km)) Km = Number.isFinite(rough.Km) ? rough.Km : 1;
  const rss = (p: readonly number[]) => fitScale(mmShape(S, p[0]!), v).rss;
  const [KmBest] = refinePositive([Km], [0], rss, [100, 4, 1.3, 1.05]);
  const Vmax = fitScale(mmShape(S, KmBest!), v).a;
  return { values: { Vmax, Km: plausibleK(KmBest!, positiveS) }, fallback: rough };
}

/**
 * A constant K (Km, Ki) when within 10³ of the range of the positive concentrations `c`,
 * else NaN so the fallback is used: flat data drive Km to 0 and absent inhibition Ki to ∞.
 */
function plausibleK(K: number, c: ArrayLike<number>): number {
  const { min, max } = extent(Array.from(c).filter((v) => v > 0));
  return K >= min * 1e-3 && K <= max * 1e3 ? K : Number.NaN;
}

function mmShape(S: Float64Array, Km: number): Float64Array {
  return S.map((s) => s / (Km + s));
}

export const michaelisMenten = defineModel(
  {
    name: "michaelis-menten",
    aliases: ["mm", "micmen"],
    title: "Michaelis–Menten kinetics",
    formula: "Vmax * x / (Km + x)",
    params: ["Vmax", "Km"],
    variables: ["x"],
    meaning: {
      Vmax: "maximal rate at saturating substrate (units of y)",
      Km: "Michaelis constant: substrate concentration at half-maximal rate (units of x)",
    },
    positive: ["Vmax", "Km"],
    reference: `Michaelis L, Menten ML (1913). Die Kinetik der Invertinwirkung. Biochem Z 49:333–369. Hanes CS (1932). Studies on plant amylases: I. The effect of starch concentration upon the velocity of hydrolysis by the amylase of germinated barley. Biochem J 26(5):1406–1421. ${enzymeReference}`,
    selfStartRule:
      "Replicates averaged; Km from a Hanes–Woolf regression (x/y on x, weights y⁴/x²), then polished by a log-scale search with Vmax solved by linear least squares.",
  },
  (columns, y) => {
    const xy = sortedXY(columns[0]!, y);
    return michaelisStart(xy.x, xy.y);
  },
);

type Inhibition = "competitive" | "uncompetitive";

/** The rate shape S/(Km(1 + I/Ki) + S) or S/(Km + S(1 + I/Ki)), for Vmax = 1. */
function inhibitionShape(
  kind: Inhibition,
  S: Float64Array,
  I: Float64Array,
  Km: number,
  Ki: number,
) {
  return kind === "competitive"
    ? S.map((s, i) => s / (Km * (1 + I[i]! / Ki) + s))
    : S.map((s, i) => s / (Km + s * (1 + I[i]! / Ki)));
}

/**
 * Start for the inhibition models. Hanes form, linear in three coefficients:
 *   competitive:   S/v = Km/Vmax + (Km/(Vmax·Ki))·I + S/Vmax
 *   uncompetitive: S/v = Km/Vmax + S/Vmax + (1/(Vmax·Ki))·S·I
 * fitted with weights v⁴/S²; when a coefficient has the wrong sign (no visible inhibition,
 * too much noise) Vmax and Km come from the Michaelis–Menten start of the lowest-I rows and
 * Ki from the median of the per-row solutions of the rate equation for Ki. Km and Ki are
 * then polished jointly by a coordinate log-scale search, Vmax by linear least squares.
 */
function inhibitionStart(kind: Inhibition, S: Float64Array, I: Float64Array, v: Float64Array) {
  const n = v.length;
  const { max: maxI } = extent(I);
  const { min: minI } = extent(I);
  const X: number[] = [];
  const z: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = S[i]!;
    const vi = v[i]!;
    if (s > 0 && vi > 0 && I[i]! >= 0) {
      X.push(1, kind === "competitive" ? I[i]! : s, kind === "competitive" ? s : s * I[i]!);
      z.push(s / vi);
      w.push(vi ** 4 / s ** 2);
    }
  }
  const beta = leastSquares(Float64Array.from(X), 3, z, w);
  let Vmax = Number.NaN;
  let Km = Number.NaN;
  let Ki = Number.NaN;
  if (beta !== null) {
    const b = beta[0]!;
    const a = kind === "competitive" ? beta[2]! : beta[1]!;
    const c = kind === "competitive" ? beta[1]! : beta[2]!;
    if (a > 0 && b > 0) {
      Vmax = 1 / a;
      Km = b / a;
      if (c > 0) Ki = kind === "competitive" ? b / c : a / c;
    }
  }
  // The uninhibited rows (lowest I) give a Michaelis–Menten start.
  const base = [0, 0].map(() => [] as number[]);
  for (let i = 0; i < n; i++) {
    if (I[i]! === minI) {
      base[0]!.push(S[i]!);
      base[1]!.push(v[i]!);
    }
  }
  const mm = sortedXY(Float64Array.from(base[0]!), Float64Array.from(base[1]!));
  const rough = michaelisStart(mm.x, mm.y).values;
  if (!(Vmax > 0 && Km > 0)) {
    Vmax = rough.Vmax;
    Km = rough.Km;
  }
  const perRow: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = S[i]!;
    if (!(I[i]! > 0 && s > 0 && v[i]! > 0)) continue;
    // Solve the rate equation for Ki at this row.
    const d = kind === "competitive" ? (Vmax * s) / v[i]! - s - Km : Vmax / v[i]! - Km / s - 1;
    const scale = kind === "competitive" ? Km : 1;
    if (d > 0) perRow.push((I[i]! * scale) / d);
  }
  const KiRough = plausibleK(median(perRow), I) || (maxI > 0 ? maxI : 1);
  if (!(Ki > 0) || !Number.isFinite(Ki)) Ki = KiRough;
  const rss = (p: readonly number[]) => fitScale(inhibitionShape(kind, S, I, p[0]!, p[1]!), v).rss;
  const [KmBest, KiBest] = refinePositive(
    [Km, Ki],
    [0, 1],
    rss,
    [10, 3, 1.5, 1.2, 1.1, 1.05, 1.02],
  );
  const VmaxBest = fitScale(inhibitionShape(kind, S, I, KmBest!, KiBest!), v).a;
  return {
    values: { Vmax: VmaxBest, Km: plausibleK(KmBest!, S), Ki: plausibleK(KiBest!, I) },
    fallback: { Vmax: rough.Vmax, Km: rough.Km, Ki: KiRough },
  };
}

const inhibitionMeaning = {
  Vmax: "maximal rate without inhibitor (units of y)",
  Km: "Michaelis constant without inhibitor (units of S)",
};

export const competitiveInhibition = defineModel(
  {
    name: "inhibition-competitive",
    aliases: ["competitive", "competitive-inhibition"],
    title: "Competitive inhibition (Michaelis–Menten with inhibitor)",
    formula: "Vmax * S / (Km * (1 + I / Ki) + S)",
    params: ["Vmax", "Km", "Ki"],
    variables: ["S", "I"],
    meaning: {
      ...inhibitionMeaning,
      Ki: "dissociation constant of the enzyme–inhibitor complex; the apparent Km is Km·(1 + I/Ki) (units of I)",
    },
    positive: ["Vmax", "Km", "Ki"],
    reference: enzymeReference,
    selfStartRule:
      "Weighted multiple regression of S/v on (1, I, S) (Hanes form), with a Michaelis–Menten start on the lowest-I rows and per-row Ki as fallbacks, then Km and Ki polished by a log-scale coordinate search with Vmax solved by linear least squares.",
  },
  (columns, y) => inhibitionStart("competitive", columns[0]!, columns[1]!, y),
);

export const uncompetitiveInhibition = defineModel(
  {
    name: "inhibition-uncompetitive",
    aliases: ["uncompetitive", "uncompetitive-inhibition"],
    title: "Uncompetitive inhibition (Michaelis–Menten with inhibitor)",
    formula: "Vmax * S / (Km + S * (1 + I / Ki))",
    params: ["Vmax", "Km", "Ki"],
    variables: ["S", "I"],
    meaning: {
      ...inhibitionMeaning,
      Ki: "dissociation constant of the enzyme–substrate–inhibitor complex; apparent Vmax and Km are both divided by 1 + I/Ki (units of I)",
    },
    positive: ["Vmax", "Km", "Ki"],
    reference: enzymeReference,
    selfStartRule:
      "Weighted multiple regression of S/v on (1, S, S·I) (Hanes form), with a Michaelis–Menten start on the lowest-I rows and per-row Ki as fallbacks, then Km and Ki polished by a log-scale coordinate search with Vmax solved by linear least squares.",
  },
  (columns, y) => inhibitionStart("uncompetitive", columns[0]!, columns[1]!, y),
);
