import { el, formatNumber } from "./dom.js";
import { type Cell, numberCell, table } from "./summary-table.js";

/**
 * The summary of a finished task, by the kind of its result: a curve fit's estimates with
 * standard errors and intervals and its goodness of fit; one row per group of a grouped fit;
 * the models of a comparison with their AICc weights and the preferred one; a training run's
 * outcome. Quality flags and warnings are listed separately (see flags.ts).
 */
type Json = Record<string, unknown>;
type ByName = Record<string, number | null>;

export function summaryOf(result: unknown): HTMLElement {
  const r = (result ?? {}) as Json;
  if (r.kind === "curve-fit") return curveFit(r);
  if (r.kind === "group-fits") return groupFits(r);
  if (r.kind === "model-comparison") return comparison(r);
  if (r.task === "train-linear" || r.task === "train-network") return training(r);
  if (r.command === "sweep") return sweep(r);
  return el("p", {}, "The task finished; its result is in the downloads.");
}

function curveFit(doc: Json): HTMLElement {
  const model = doc.model as { params: string[]; name: string; formula: string };
  const s = doc.result as Json & {
    estimates: ByName;
    std_errors: ByName;
    conf_lower: ByName;
    conf_upper: ByName;
    fixed: string[];
    conf_level: number;
  };
  const level = `${Math.round(s.conf_level * 1000) / 10}%`;
  const rows = model.params.map((name) => [
    name,
    numberCell(s.estimates[name], { "data-param": name }),
    s.fixed.includes(name) ? "(fixed)" : (s.std_errors[name] ?? null),
    s.conf_lower[name] ?? null,
    s.conf_upper[name] ?? null,
  ]);
  const fit = [
    ["RSS", s.rss as number],
    ["residual SE", s.sigma as number | null],
    ["df", s.df as number],
    ["R²", s.r_squared as number | null],
    ["AIC", s.aic as number | null],
    ["converged", s.converged ? "yes" : "no"],
  ] as Cell[][];
  return el(
    "div",
    {},
    table(
      "estimates",
      `${model.name}: ${model.formula}`,
      ["parameter", "estimate", "std. error", `${level} lower`, "upper"],
      rows,
    ),
    table("fit-statistics", "Goodness of fit", ["", "value"], fit),
  );
}

function groupFits(doc: Json): HTMLElement {
  const params = (doc.model as { params: string[] }).params;
  const groups = doc.groups as {
    group: string[];
    n: number;
    converged: boolean;
    rss: number | null;
    r2: number | null;
    estimate: ByName;
    flags: string[];
    reason: string | null;
  }[];
  const head = ["group", "n", ...params, "RSS", "R²", "status"];
  const rows = groups.map((g) => [
    g.group.join(" / "),
    g.n,
    ...params.map((p) => numberCell(g.estimate[p], { "data-param": p })),
    g.rss,
    g.r2,
    g.reason ?? (g.flags.length > 0 ? `flagged: ${g.flags.join(", ")}` : "ok"),
  ]);
  const perGroup = table("groups", `One fit per group (${groups.length})`, head, rows);
  const global = doc.global as {
    shared: string[];
    rss: number;
    aicc: number | null;
    estimate: ByName;
    se: ByName;
    lower: ByName;
    upper: ByName;
  } | null;
  if (!global) return perGroup;
  const names = Object.keys(global.estimate);
  const shared = table(
    "shared",
    `All groups at once, ${global.shared.join(", ")} shared (RSS ${formatNumber(global.rss)})`,
    ["parameter", "estimate", "std. error", "lower", "upper"],
    names.map((n) => [
      n,
      numberCell(global.estimate[n], { "data-param": n }),
      global.se[n] ?? null,
      global.lower[n] ?? null,
      global.upper[n] ?? null,
    ]),
  );
  return el("div", {}, perGroup, shared);
}

function comparison(doc: Json): HTMLElement {
  const comparisons = doc.comparisons as {
    group: Record<string, string> | null;
    fits: {
      model: string;
      p: number;
      rss: number | null;
      aicc: number | null;
      akaike_weight: number | null;
      reason: string | null;
    }[];
    preferred: string | null;
    reason: string | null;
  }[];
  const rows = comparisons.flatMap((c) =>
    c.fits.map((f) => [
      c.group ? Object.values(c.group).join(" / ") : "all rows",
      f.model,
      f.p,
      f.rss,
      f.aicc,
      f.akaike_weight,
      f.reason ?? (c.preferred === f.model ? "preferred" : ""),
    ]),
  );
  return table(
    "comparison",
    "Models compared (AICc weights; F tests for nested pairs)",
    ["group", "model", "parameters", "RSS", "AICc", "Akaike weight", ""],
    rows as Cell[][],
  );
}

function training(doc: Json): HTMLElement {
  const rows: Cell[][] = [
    ["stopped", String(doc.stopReason)],
    ["epochs", doc.epochs as number],
    ["final loss", doc.finalLoss as number | null],
  ];
  if (doc.bestEpoch !== null && doc.bestEpoch !== undefined)
    rows.push(["best epoch", doc.bestEpoch as number]);
  return table("training", "Training run", ["", "value"], rows);
}

/** The sweep's recommendation, in the sentences `biograd sweep` prints. */
function sweep(doc: Json): HTMLElement {
  const rec = doc.recommendation as { text?: string[] } | undefined;
  const text = rec?.text ?? [];
  return el(
    "div",
    { id: "recommendation" },
    el("h3", {}, "Recommendation"),
    ...text.map((line) => el("p", {}, line)),
  );
}
