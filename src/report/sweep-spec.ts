import { type ChartSpec, chart, type DataRow } from "./theme.js";

/** One run of a sweep as its `--out` JSON lists it (the fields the heat map reads). */
export interface SweepRunRow {
  clip: string;
  threshold: number | null;
  lr: number;
  diverged: string | null;
  finalLoss: number | null;
}

/** The sweep's recommendation, as written in its `--out` JSON. */
export interface SweepRecommendationRow {
  found: boolean;
  kind: string | null;
  lr: number | null;
  thresholds: [number, number] | null;
}

/**
 * The sweep heat map: one cell per clip setting (kind and threshold, rows; the unclipped
 * baseline as "none") × learning rate (columns), coloured by the median final loss over its
 * seeds (log colour scale; a diverged run counts as +∞, as in the ranked table), diverged
 * cells crossed and labelled with their count, the recommended range outlined.
 */
export function sweepSpec(
  runs: readonly SweepRunRow[],
  recommendation: SweepRecommendationRow,
  options: { title?: string } = {},
): ChartSpec {
  const groups = new Map<string, { run: SweepRunRow; losses: number[]; diverged: number }>();
  for (const run of runs) {
    const key = `${rowLabel(run)}\u0000${run.lr}`;
    const g = groups.get(key) ?? { run, losses: [], diverged: 0 };
    g.losses.push(run.diverged === null && run.finalLoss !== null ? run.finalLoss : Infinity);
    if (run.diverged !== null) g.diverged++;
    groups.set(key, g);
  }
  const inRange = (run: SweepRunRow) => {
    const r = recommendation;
    return (
      r.found &&
      r.thresholds !== null &&
      run.clip === r.kind &&
      run.lr === r.lr &&
      run.threshold !== null &&
      run.threshold >= r.thresholds[0] &&
      run.threshold <= r.thresholds[1]
    );
  };
  const cells: DataRow[] = [...groups.values()].map(({ run, losses, diverged }) => {
    const m = median(losses);
    return {
      setting: rowLabel(run),
      lr: String(run.lr),
      medianFinalLoss: Number.isFinite(m) && m > 0 ? m : null,
      diverged,
      runs: losses.length,
      divergedLabel: diverged > 0 ? `${diverged}/${losses.length} diverged` : "",
      recommended: inRange(run),
    };
  });
  // Rows in a stable, readable order: the baseline first, then each kind by threshold.
  const order = [...new Map(runs.map((r) => [rowLabel(r), r])).values()]
    .sort(
      (a, b) =>
        Number(a.clip !== "none") - Number(b.clip !== "none") ||
        a.clip.localeCompare(b.clip) ||
        (a.threshold ?? 0) - (b.threshold ?? 0),
    )
    .map(rowLabel);
  const lrs = [...new Set(runs.map((r) => r.lr))].sort((a, b) => a - b).map(String);
  const x = {
    field: "lr",
    type: "ordinal",
    sort: lrs,
    title: "learning rate",
    axis: { labelAngle: 0 },
  };
  const y = { field: "setting", type: "ordinal", sort: order, title: "clip threshold" };
  return chart(
    options.title ?? "Sweep: median final loss by clip threshold and learning rate",
    { cells },
    {
      data: { name: "cells" },
      width: Math.max(160, 70 * lrs.length),
      height: Math.max(120, 26 * order.length),
      layer: [
        {
          name: "cells",
          mark: { type: "rect", invalid: null },
          encoding: {
            x,
            y,
            color: {
              // Diverged cells (no finite median) are grey, not dropped.
              condition: { test: "datum.medianFinalLoss === null", value: "#bbbbbb" },
              field: "medianFinalLoss",
              type: "quantitative",
              scale: { type: "log", scheme: "viridis" },
              title: "median final loss",
            },
          },
        },
        {
          transform: [{ filter: "datum.diverged > 0" }],
          name: "diverged",
          mark: { type: "point", shape: "cross", color: "#d62728", size: 120, filled: true },
          encoding: { x, y },
        },
        {
          transform: [{ filter: "datum.recommended" }],
          name: "recommended",
          mark: { type: "rect", fill: null, stroke: "#ff7f0e", strokeWidth: 3 },
          encoding: { x, y },
        },
      ],
    },
  );
}

function rowLabel(run: SweepRunRow): string {
  return run.clip === "none" || run.threshold === null ? "none" : `${run.clip} ${run.threshold}`;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
