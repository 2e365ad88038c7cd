import { type ChartSpec, chart, type DataRow } from "./theme.js";
import { DRAWN_ROWS, thinIndices } from "./thin.js";

/** One run of the clipping demonstration: its label, loss per iteration and fitted curve. */
export interface GrowthRun {
  label: string;
  loss: readonly number[];
  /** The fitted function at the end of the run. */
  predict: (t: number) => number;
}

export interface GrowthChartData {
  t: ArrayLike<number>;
  y: ArrayLike<number>;
  xTitle: string;
  yTitle: string;
}

/**
 * The clipping demonstration (`biograd demo`): on the left the loss per iteration of each run
 * on one log axis (a run that fails stays high, one that converges falls); on the right the
 * data with each run's fitted curve. The curve panel's y axis is the data's range: a fit
 * thrown far off is drawn where it crosses that range (clipped at its edges), never stretching
 * the axis until the data vanish. Non-finite or non-positive losses end a run's drawn line.
 */
export function clippingDemoSpec(
  runs: readonly GrowthRun[],
  data: GrowthChartData,
  options: { title?: string; samples?: number } = {},
): ChartSpec {
  const loss: DataRow[] = [];
  for (const run of runs) {
    for (const i of thinIndices(run.loss.length, DRAWN_ROWS)) {
      const v = run.loss[i]!;
      if (Number.isFinite(v) && v > 0) loss.push({ run: run.label, iteration: i, loss: v });
    }
  }
  const n = data.t.length;
  const points: DataRow[] = Array.from({ length: n }, (_, i) => ({ t: data.t[i]!, y: data.y[i]! }));
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, data.t[i]!);
    hi = Math.max(hi, data.t[i]!);
  }
  const yMax = Math.max(...Array.from(data.y)) * 1.15;
  const samples = options.samples ?? 141;
  const curves: DataRow[] = [];
  for (const run of runs) {
    for (let k = 0; k < samples; k++) {
      const t = lo + ((hi - lo) * k) / (samples - 1);
      const v = run.predict(t);
      if (Number.isFinite(v)) curves.push({ run: run.label, t, y: v });
    }
  }
  const order = runs.map((r) => r.label);
  const color = {
    field: "run",
    type: "nominal",
    title: null,
    sort: order,
    legend: { labelLimit: 400 },
  };
  const lossPanel = {
    width: 320,
    height: 240,
    title: "loss per iteration",
    data: { name: "loss" },
    name: "loss",
    mark: { type: "line" },
    encoding: {
      x: { field: "iteration", type: "quantitative" },
      y: { field: "loss", type: "quantitative", scale: { type: "log" }, title: "MSE (log)" },
      color,
    },
  };
  const yScale = { domain: [0, yMax], clamp: false };
  const fitPanel = {
    width: 320,
    height: 240,
    title: "data and fitted curves",
    layer: [
      {
        data: { name: "curves" },
        name: "curves",
        mark: { type: "line", clip: true },
        encoding: {
          x: { field: "t", type: "quantitative", title: data.xTitle },
          y: { field: "y", type: "quantitative", scale: yScale, title: data.yTitle },
          color,
        },
      },
      {
        data: { name: "points" },
        name: "points",
        mark: { type: "point", filled: true, color: "black", size: 40 },
        encoding: {
          x: { field: "t", type: "quantitative" },
          y: { field: "y", type: "quantitative", scale: yScale },
        },
      },
    ],
  };
  return chart(
    options.title ?? "Clipping demonstration",
    { loss, curves, points },
    { hconcat: [lossPanel, fitPanel], resolve: { scale: { color: "shared" } } },
  );
}
