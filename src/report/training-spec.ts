import { type TensorNormColumns, tensorHeatStrip } from "./tensor-heat-strip.js";
import { type ChartSpec, chart, type DataRow } from "./theme.js";
import { DRAWN_ROWS, thinIndices } from "./thin.js";

/** A training history in columns, as `train --out` and every training result hold it. */
export interface HistoryColumns {
  epoch: readonly (number | null)[];
  loss: readonly (number | null)[];
  gradNorm: readonly (number | null)[];
  clippedNorm: readonly (number | null)[];
  clipFraction: readonly (number | null)[];
  threshold: readonly (number | null)[];
  validationLoss?: readonly (number | null)[] | undefined;
  /** Per-tensor gradient norms (networks' run files): drawn as a heat strip below. */
  tensorNorms?: TensorNormColumns | undefined;
}

export interface TrainingSpecOptions {
  title?: string;
  /** At most this many epochs are drawn (evenly thinned, first and last kept). Default 2000. */
  limit?: number;
}

/**
 * The training chart: the loss per epoch on a log scale (and the validation loss when there
 * is one) above the gradient norm before and after clipping, with the clip threshold in
 * effect as a dashed line and the epochs in which the clip changed the gradient marked.
 * Losses that are not positive and finite cannot sit on a log axis and are left out of the
 * drawing (the run's files keep them). A network's history with per-tensor norms gets a heat
 * strip below: epoch × tensor, coloured by log10 of the norm (src/report/tensor-heat-strip.ts).
 */
export function trainingSpec(
  history: HistoryColumns,
  options: TrainingSpecOptions = {},
): ChartSpec {
  const rows = thinIndices(history.epoch.length, options.limit ?? DRAWN_ROWS);
  const loss: DataRow[] = [];
  const norms: DataRow[] = [];
  const threshold: DataRow[] = [];
  const clipped: DataRow[] = [];
  const positive = (v: number | null | undefined): v is number =>
    typeof v === "number" && Number.isFinite(v) && v > 0;
  for (const i of rows) {
    const epoch = history.epoch[i] ?? i;
    const l = history.loss[i];
    if (positive(l)) loss.push({ epoch, series: "training loss", loss: l });
    const v = history.validationLoss?.[i];
    if (positive(v)) loss.push({ epoch, series: "validation loss", loss: v });
    const before = history.gradNorm[i];
    const after = history.clippedNorm[i];
    if (positive(before)) norms.push({ epoch, series: "before clipping", norm: before });
    if (positive(after)) norms.push({ epoch, series: "after clipping", norm: after });
    const t = history.threshold[i];
    if (positive(t)) threshold.push({ epoch, threshold: t });
    if ((history.clipFraction[i] ?? 0) > 0 && positive(after)) {
      clipped.push({ epoch, norm: after, clipFraction: history.clipFraction[i]! });
    }
  }
  const x = { field: "epoch", type: "quantitative", title: "epoch" };
  const lossPanel = {
    width: 560,
    height: 220,
    data: { name: "loss" },
    name: "loss",
    mark: { type: "line" },
    encoding: {
      x,
      y: { field: "loss", type: "quantitative", scale: { type: "log" }, title: "loss (log)" },
      color: { field: "series", type: "nominal", title: null },
    },
  };
  const normLayers: Record<string, unknown>[] = [
    {
      data: { name: "norms" },
      name: "norms",
      mark: { type: "line" },
      encoding: {
        x,
        y: { field: "norm", type: "quantitative", scale: { type: "log" }, title: "gradient norm" },
        color: {
          field: "series",
          type: "nominal",
          title: null,
          sort: ["before clipping", "after clipping"],
        },
      },
    },
  ];
  if (threshold.length > 0) {
    normLayers.push({
      data: { name: "threshold" },
      name: "threshold",
      mark: { type: "line", strokeDash: [6, 4], color: "#d62728" },
      encoding: { x, y: { field: "threshold", type: "quantitative" } },
    });
  }
  if (clipped.length > 0) {
    normLayers.push({
      data: { name: "clipped" },
      name: "clipped",
      mark: { type: "point", shape: "triangle-down", size: 18, color: "#d62728" },
      encoding: { x, y: { field: "norm", type: "quantitative" } },
    });
  }
  const panels: Record<string, unknown>[] = [
    lossPanel,
    { width: 560, height: 220, layer: normLayers },
  ];
  const datasets: Record<string, DataRow[]> = { loss, norms, threshold, clipped };
  if (history.tensorNorms && history.tensorNorms.names.length > 0) {
    const strip = tensorHeatStrip(history.epoch, history.tensorNorms);
    panels.push(strip.panel);
    datasets.tensorNorms = strip.rows;
  }
  const title = options.title ?? "Training: loss and gradient norm";
  const note =
    rows.length < history.epoch.length
      ? `${rows.length} of ${history.epoch.length} epochs drawn`
      : `${history.epoch.length} epochs`;
  return chart(title, datasets, {
    description: `${note}; red dashes: clip threshold; triangles: epochs where the clip acted`,
    vconcat: panels,
    resolve: { scale: { color: "independent" } },
  });
}
