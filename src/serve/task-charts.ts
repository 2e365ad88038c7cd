import { parseWith } from "../core/schema.js";
import { chartForResult } from "../report/result-chart.js";
import { trainRunSchema } from "../report/result-schemas.js";
import type { ChartSpec } from "../report/theme.js";
import { trainingSpec } from "../report/training-spec.js";

/**
 * The Vega-Lite charts of a finished task, built by the same code as `biograd plot`: a fit
 * with its data, bands and residuals; every group's curve; a training run's loss and
 * gradient norms; a sweep's heat map. Null for kinds without a chart (predict, compare) or a
 * result the chart code refuses (a two-variable model): the page then shows the tables only.
 */
export function chartsFor(kind: string, result: unknown): Record<string, ChartSpec> | null {
  try {
    switch (kind) {
      case "fit-curve":
        return { fit: chartForResult(result, "result") };
      case "fit-groups":
        return { groups: chartForResult(result, "result") };
      case "train-linear":
      case "train-network":
        return { training: trainingSpec(parseWith(trainRunSchema, result, "result").history) };
      case "sweep":
        return { sweep: chartForResult(result, "result") };
      default:
        return null;
    }
  } catch {
    return null;
  }
}
