import type { OdeFitChartDoc } from "./ode-fit-schema.js";
import { type ChartSpec, chart, type DataRow } from "./theme.js";

/**
 * The multistart waterfall (pyPESTO's): each start's final RSS, sorted, on a log axis; the
 * starts that reached the best value (within the saved relative tolerance) form the flat step
 * on the left, local optima the steps after it.
 */
export function odeWaterfallSpec(ms: NonNullable<OdeFitChartDoc["multistart"]>): ChartSpec {
  const best = ms.bestRss;
  const rows: DataRow[] = [];
  let rank = 0;
  for (const run of ms.waterfall) {
    if (run.rss === null || !(run.rss > 0)) continue;
    rank++;
    const hit = best !== null && run.rss - best <= ms.tolerance * Math.max(best, 1e-300);
    rows.push({ rank, rss: run.rss, start: run.index, reached: hit ? "best value" : "other" });
  }
  return chart(
    `multistart waterfall: best value reached by ${ms.hits} of ${ms.starts} starts`,
    { waterfall: rows },
    {
      width: 520,
      height: 220,
      name: "waterfall",
      data: { name: "waterfall" },
      mark: { type: "point", filled: true, size: 40 },
      encoding: {
        x: { field: "rank", type: "quantitative", title: "start (sorted by RSS)" },
        y: { field: "rss", type: "quantitative", title: "RSS", scale: { type: "log" } },
        color: { field: "reached", type: "nominal", title: "" },
        tooltip: [{ field: "start" }, { field: "rss" }],
      },
    },
  );
}
