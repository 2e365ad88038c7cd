import { compileFormula } from "../formula/compile.js";
import { type ChartSpec, chart, type DataRow } from "./theme.js";

/** At most this many groups are drawn as an overlay (one colour each, with a legend). */
export const MAX_OVERLAY_GROUPS = 8;
/** At most this many groups are drawn one panel each; beyond, the summary chart. */
export const MAX_PANEL_GROUPS = 48;

/** The parts of a grouped fit (`fit --group --out x.json`) its curve charts read. */
export interface GroupCurvesDocument {
  model: {
    name?: string;
    formula: string;
    params: readonly string[];
    variables: readonly string[];
    constants?: Record<string, number>;
  };
  groups: readonly {
    group: readonly string[];
    converged: boolean;
    flags: readonly string[];
    estimate: Record<string, number | null>;
  }[];
}

/** One group's data, in the order of `doc.groups`: the model's x and the response. */
export interface GroupPoints {
  x: Float64Array;
  y: Float64Array;
}

/** A group's status, the colour of its panel: failed, flagged (its flags), or ok. */
export function groupStatus(g: GroupCurvesDocument["groups"][number]): string {
  if (!g.converged) return "failed";
  return g.flags.length > 0 ? `flagged: ${g.flags.join(", ")}` : "ok";
}

/**
 * The data and fitted curves of a handful of groups: `layout: "panels"` draws one panel per
 * group (shared axes, coloured by status), `"overlay"` all groups in one panel coloured by
 * group with a legend. Points are each group's rows (rows with a missing value left out, as
 * the fit left them out); the curve is the model at the group's estimates, sampled evenly over
 * the group's x range. A failed group (no estimates) has its points and no curve.
 */
export function groupCurvesSpec(
  doc: GroupCurvesDocument,
  data: readonly GroupPoints[],
  options: {
    layout: "panels" | "overlay";
    samples?: number;
    columns?: number;
    xTitle?: string;
    yTitle?: string;
  },
): ChartSpec {
  const { model } = doc;
  const curve = compileFormula(model.formula, {
    params: model.params,
    variables: model.variables,
    constants: model.constants ?? {},
  });
  const samples = options.samples ?? 100;
  const rows: DataRow[] = [];
  for (const [i, g] of doc.groups.entries()) {
    const name = g.group.join(" / ");
    const status = groupStatus(g);
    const { x, y } = data[i]!;
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < x.length; k++) {
      if (!Number.isFinite(x[k]!) || !Number.isFinite(y[k]!)) continue;
      rows.push({ group: name, status, kind: "data", x: x[k]!, y: y[k]! });
      lo = Math.min(lo, x[k]!);
      hi = Math.max(hi, x[k]!);
    }
    const theta = model.params.map((p) => g.estimate[p]);
    if (!g.converged || !(lo <= hi) || theta.some((v) => typeof v !== "number")) continue;
    const n = lo < hi ? samples : 1;
    // The ends exactly at the data's range (lo + (hi − lo)·1 can round past hi).
    const grid = Float64Array.from({ length: n }, (_, k) =>
      k === n - 1 ? hi : lo + ((hi - lo) * k) / (n - 1),
    );
    const f = new Float64Array(n);
    curve.evaluate(Float64Array.from(theta as number[]), [grid], n, f, null);
    for (let k = 0; k < n; k++) {
      if (Number.isFinite(f[k]!))
        rows.push({ group: name, status, kind: "curve", x: grid[k]!, y: f[k]! });
    }
  }
  const title = `${doc.groups.length} groups: data and fitted ${model.name ?? model.formula}`;
  const x = { field: "x", type: "quantitative", title: options.xTitle ?? model.variables[0] };
  const y = { field: "y", type: "quantitative", title: options.yTitle ?? "response" };
  // Panels and legend in the file's group order (Vega-Lite would sort "10" before "2").
  const order = doc.groups.map((g) => g.group.join(" / "));
  const points = { filter: "datum.kind === 'data'" };
  const lines = { filter: "datum.kind === 'curve'" };
  if (options.layout === "overlay") {
    const color = { field: "group", type: "nominal", title: "group", sort: order };
    return chart(
      title,
      { groups: rows },
      {
        data: { name: "groups" },
        width: 420,
        height: 300,
        layer: [
          {
            name: "points",
            transform: [points],
            mark: { type: "point", filled: true, size: 24 },
            encoding: { x, y, color },
          },
          {
            name: "curves",
            transform: [lines],
            mark: { type: "line" },
            encoding: { x, y, color, order: { field: "x", type: "quantitative" } },
          },
        ],
      },
    );
  }
  const color = {
    field: "status",
    type: "nominal",
    title: "fit",
    scale: { domain: statusDomain(doc), range: statusColours(doc) },
  };
  return chart(
    title,
    { groups: rows },
    {
      data: { name: "groups" },
      columns: options.columns ?? Math.min(6, Math.ceil(Math.sqrt(doc.groups.length))),
      // Shared axes: one x and one y scale for every panel, so panels compare at a glance.
      resolve: { scale: { x: "shared", y: "shared" } },
      facet: { field: "group", type: "nominal", title: null, sort: order },
      spec: {
        width: 150,
        height: 110,
        layer: [
          {
            name: "points",
            transform: [points],
            mark: { type: "point", filled: true, size: 16 },
            encoding: { x, y, color },
          },
          {
            name: "curves",
            transform: [lines],
            mark: { type: "line" },
            encoding: { x, y, color, order: { field: "x", type: "quantitative" } },
          },
        ],
      },
    },
  );
}

/** The statuses present, ok first, then flagged, then failed (so colours keep their meaning). */
function statusDomain(doc: GroupCurvesDocument): string[] {
  const all = [...new Set(doc.groups.map(groupStatus))];
  const rank = (s: string) => (s === "ok" ? 0 : s === "failed" ? 2 : 1);
  return all.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function statusColours(doc: GroupCurvesDocument): string[] {
  const flagged = ["#f58518", "#b279a2", "#eeca3b", "#9d755d", "#ff9da6", "#bab0ac"];
  let k = 0;
  return statusDomain(doc).map((s) =>
    s === "ok" ? "#4c78a8" : s === "failed" ? "#e45756" : flagged[k++ % flagged.length]!,
  );
}
