import { ec50SpecFor } from "../nls/stats/derived-ec50.js";
import { type ChartSpec, chart, type DataRow } from "./theme.js";

/** The parts of a grouped fit (`fit --group --out x.json`) its summary chart reads. */
export interface GroupFitsDocument {
  model: { name: string; params: readonly string[] };
  groups: readonly {
    group: readonly string[];
    converged: boolean;
    flags: readonly string[];
    estimate: Record<string, number | null>;
  }[];
}

/**
 * The summary of many groups — whatever their number, a chart of a few hundred marks, never
 * one panel per group: the distribution of the potency parameter over the converged groups
 * (log10 EC50 for the hill models, logEC50 for 4pl/5pl, else the model's first parameter), and
 * how many groups carry each quality flag (and how many failed).
 */
export function groupsSummarySpec(
  doc: GroupFitsDocument,
  options: { bins?: number } = {},
): ChartSpec {
  const ec = ec50SpecFor(doc.model.name);
  const parameter = ec?.parameter ?? doc.model.params[0]!;
  const logged = ec?.scale === "linear";
  const label = logged ? `log10 ${parameter} (EC50)` : parameter;
  const values: DataRow[] = [];
  const flagCounts = new Map<string, number>();
  const count = (flag: string) => flagCounts.set(flag, (flagCounts.get(flag) ?? 0) + 1);
  for (const g of doc.groups) {
    if (!g.converged) count("failed");
    else if (g.flags.length === 0) count("no flag");
    for (const f of g.flags) count(f);
    const v = g.estimate[parameter];
    if (!g.converged || v === null || v === undefined) continue;
    const shown = logged ? (v > 0 ? Math.log10(v) : null) : v;
    if (shown !== null && Number.isFinite(shown))
      values.push({ group: g.group.join(" / "), value: shown });
  }
  const flags: DataRow[] = [...flagCounts].map(([flag, groups]) => ({ flag, groups }));
  return chart(
    `${doc.groups.length} groups: ${label} and quality flags`,
    { values, flags },
    {
      hconcat: [
        {
          name: "histogram",
          width: 360,
          height: 220,
          data: { name: "values" },
          mark: { type: "bar" },
          encoding: {
            x: {
              field: "value",
              type: "quantitative",
              bin: { maxbins: options.bins ?? 40 },
              title: label,
            },
            y: { aggregate: "count", type: "quantitative", title: "groups" },
          },
        },
        {
          name: "flags",
          width: 240,
          height: 220,
          data: { name: "flags" },
          mark: { type: "bar" },
          encoding: {
            y: { field: "flag", type: "nominal", sort: "-x", title: null },
            x: { field: "groups", type: "quantitative", title: "groups" },
            color: {
              condition: { test: "datum.flag === 'no flag'", value: "#4c78a8" },
              value: "#e45756",
            },
          },
        },
      ],
    },
  );
}
