import type { ProfileIntervals } from "../nls/stats/profile-types.js";
import { type ChartSpec, chart, type DataRow } from "./theme.js";

/** The limits to mark on each parameter's profile (the saved fit's; null where not reached). */
export type ProfileLimits = Record<string, { lower: number | null; upper: number | null }>;

/**
 * Profile-likelihood curves, one panel per parameter: τ (written "tau": the bundled font has
 * no Greek) against the parameter's value (every
 * point the profile evaluated), the lines τ = ±t_(df,(1+L)/2) whose crossings are the
 * interval's limits, and the limits themselves marked as vertical rules. A curve that stays
 * straight is a parameter the Wald interval describes well; a bent one is where the profile
 * interval differs from it.
 */
export function profileSpec(profiles: ProfileIntervals, limits: ProfileLimits): ChartSpec {
  const trace: DataRow[] = [];
  const marks: DataRow[] = [];
  for (const p of profiles.parameters) {
    for (const pt of p.trace) trace.push({ parameter: p.name, value: pt.value, tau: pt.tau });
    const saved = limits[p.name] ?? { lower: p.lower, upper: p.upper };
    for (const [side, at] of [
      ["lower", saved.lower],
      ["upper", saved.upper],
    ] as const) {
      if (at !== null) marks.push({ parameter: p.name, limit: side, value: at });
    }
  }
  const q = profiles.tQuantile;
  const quantiles: DataRow[] = profiles.parameters.flatMap((p) => [
    { parameter: p.name, tau: q },
    { parameter: p.name, tau: -q },
  ]);
  const pct = Math.round(profiles.level * 1000) / 10;
  return chart(
    `profile likelihood: tau by parameter, ${pct} % interval where |tau| ≤ ${q.toPrecision(4)}`,
    { trace, quantiles, limits: marks },
    {
      hconcat: profiles.parameters.map((p) => ({
        width: 200,
        height: 180,
        title: p.name,
        layer: [
          {
            name: `trace_${safe(p.name)}`,
            data: { name: "trace" },
            transform: [{ filter: { field: "parameter", equal: p.name } }],
            mark: { type: "line", point: { filled: true, size: 18 } },
            encoding: {
              x: {
                field: "value",
                type: "quantitative",
                title: p.name,
                scale: { zero: false },
              },
              y: { field: "tau", type: "quantitative", title: "tau" },
              order: { field: "value", type: "quantitative" },
            },
          },
          {
            data: { name: "quantiles" },
            transform: [{ filter: { field: "parameter", equal: p.name } }],
            mark: { type: "rule", color: "#888", strokeDash: [4, 3] },
            encoding: { y: { field: "tau", type: "quantitative" } },
          },
          {
            name: `limits_${safe(p.name)}`,
            data: { name: "limits" },
            transform: [{ filter: { field: "parameter", equal: p.name } }],
            mark: { type: "rule", color: "#e45756" },
            encoding: { x: { field: "value", type: "quantitative" } },
          },
        ],
      })),
    },
  );
}

/** A parameter name as part of a mark name (Vega names are identifiers). */
function safe(name: string): string {
  return name.replace(/[^\w]/g, "_");
}
