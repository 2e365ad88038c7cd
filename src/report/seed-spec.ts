import { type ChartSpec, chart, type DataRow } from "./theme.js";
import { DRAWN_ROWS, thinIndices } from "./thin.js";

/** One run of the seed demonstration: its label and MSE per iteration. */
export interface SeedCurve {
  label: string;
  loss: readonly number[];
}

/**
 * The seed comparison (`demo seed --compare`): the MSE per iteration of each run side by side
 * (one panel per run, the same log y axis), so the clipped and the plain run read at a glance.
 * Non-finite or non-positive losses (a diverged run) end the drawn line.
 */
export function seedComparisonSpec(
  runs: readonly SeedCurve[],
  options: { title?: string } = {},
): ChartSpec {
  const mse: DataRow[] = [];
  for (const run of runs) {
    for (const i of thinIndices(run.loss.length, DRAWN_ROWS)) {
      const v = run.loss[i]!;
      if (Number.isFinite(v) && v > 0) mse.push({ run: run.label, iteration: i, mse: v });
    }
  }
  return chart(
    options.title ?? "Seed example: MSE per iteration",
    { mse },
    {
      data: { name: "mse" },
      facet: {
        column: { field: "run", type: "nominal", title: null, sort: runs.map((r) => r.label) },
      },
      spec: {
        width: 300,
        height: 220,
        name: "mse",
        mark: { type: "line" },
        encoding: {
          x: { field: "iteration", type: "quantitative" },
          y: { field: "mse", type: "quantitative", scale: { type: "log" }, title: "MSE (log)" },
        },
      },
    },
  );
}
