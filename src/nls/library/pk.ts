import { defineModel } from "./define.js";
import { logLinear } from "./exponential.js";
import { fitScale } from "./regression.js";
import { refinePositive } from "./search.js";
import { extent, sortedXY } from "./stats.js";

/**
 * One-compartment model with first-order absorption and elimination after a single oral
 * dose (Bateman function), in the volume form
 *
 *     C(t) = Dose·ka / (V·(ka − ke)) · (e^(−ke·t) − e^(−ka·t))
 *
 * with Dose a named constant (`--const Dose=…`, the amount given, bioavailability folded
 * into V = V/F). R's SSfol is the same curve with Cl = ke·V. The curve is unchanged by the
 * flip-flop (ka, ke, V) → (ke, ka, V·ke/ka); the self-start reports the branch ka > ke.
 * The formula is 0/0 at ka = ke exactly (the limit is Dose·k·t·e^(−k·t)/V).
 */

/** e^(−ke·t) − e^(−ka·t). */
function batemanShape(t: Float64Array, ka: number, ke: number): Float64Array {
  return t.map((ti) => Math.exp(-ke * ti) - Math.exp(-ka * ti));
}

export const pk1Oral = defineModel(
  {
    name: "pk1-oral",
    aliases: ["fol", "ssfol", "one-compartment-oral", "bateman"],
    title: "One-compartment pharmacokinetics, first-order oral absorption (x = time after dose)",
    formula: "Dose * ka / (V * (ka - ke)) * (exp(-ke * x) - exp(-ka * x))",
    params: ["ka", "ke", "V"],
    variables: ["x"],
    constants: { Dose: "dose given (amount, e.g. mg); supply it with --const Dose=…" },
    meaning: {
      ka: "first-order absorption rate constant, ka > ke by convention (per unit of x)",
      ke: "first-order elimination rate constant; the half-life is ln 2/ke (per unit of x)",
      V: "apparent volume of distribution V/F (amount of Dose per unit of y, e.g. L when Dose is in mg and y in mg/L); the clearance is CL/F = ke·V",
    },
    positive: ["ka", "ke", "V"],
    reference:
      "Gibaldi M, Perrier D (1982). Pharmacokinetics, 2nd ed. Marcel Dekker (one-compartment model with first-order absorption; method of residuals). Pinheiro JC, Bates DM (2000). Mixed-Effects Models in S and S-PLUS, Appendix C (SSfol). Springer.",
    selfStartRule:
      "Method of residuals: log-linear regression of the last half of the post-peak points gives ke and the intercept B, of the pre-peak residuals B·e^(−ke·t) − C gives ka; ka and ke are polished by a log-scale coordinate search with B solved by linear least squares, ordered ka > ke, and V = Dose·ka/(B·(ka − ke)).",
  },
  (columns, y, constants) => {
    const Dose = constants.Dose ?? 1;
    const xy = sortedXY(columns[0]!, y);
    const n = xy.x.length;
    const { max: tMax } = extent(xy.x);
    const width = tMax > 0 ? tMax : 1;
    let peak = 0;
    for (let i = 1; i < n; i++) if (xy.y[i]! > xy.y[peak]!) peak = i;
    const cMax = xy.y[peak] ?? 1;
    // Fallback: ke from the observation span, ka from the time of the peak.
    const keRough = 2 / width;
    const kaRough = Math.max(3 * keRough, 2 / Math.max(xy.x[peak] ?? width, width / 20));
    const fallback = { ka: kaRough, ke: keRough, V: Dose / (cMax > 0 ? cMax : 1) };
    // Terminal phase: the last half (at least 2) of the points after the peak.
    const after = n - peak - 1;
    const nLast = Math.min(after, Math.max(2, Math.ceil(after / 2)));
    const tail = nLast >= 2 ? logLinear(xy.x.subarray(n - nLast), xy.y.subarray(n - nLast)) : null;
    let ke = tail !== null && tail.k > 0 ? tail.k : keRough;
    const B = tail !== null && tail.k > 0 ? tail.A : cMax;
    const tEarly = xy.x.subarray(0, peak + 1);
    const residual = xy.y.subarray(0, peak + 1).map((c, i) => B * Math.exp(-ke * tEarly[i]!) - c);
    const head = logLinear(tEarly, residual);
    let ka = head !== null && head.k > ke ? head.k : Math.max(kaRough, 3 * ke);
    const rss = (p: readonly number[]) => fitScale(batemanShape(xy.x, p[0]!, p[1]!), xy.y).rss;
    [ka, ke] = refinePositive([ka, ke], [0, 1], rss, [10, 3, 1.5, 1.2, 1.1, 1.05, 1.02]) as [
      number,
      number,
    ];
    if (ka < ke) [ka, ke] = [ke, ka];
    if (ka - ke < 1e-6 * ka) ka = ke * 1.01;
    const scale = fitScale(batemanShape(xy.x, ka, ke), xy.y).a;
    return { values: { ka, ke, V: (Dose * ka) / (scale * (ka - ke)) }, fallback };
  },
);
