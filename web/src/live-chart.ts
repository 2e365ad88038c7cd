import { changeset, type View } from "vega";
import { drawChart } from "./charts.js";
import type { HistoryPoint } from "./types.js";

/**
 * The training chart while a run is going: loss and gradient norm (before and after the
 * clip) against the epoch, on log axes, with a dot per streamed epoch. Rows are inserted
 * into the running view (no redraw from scratch), so the chart grows as `history` events
 * arrive.
 */
export interface LiveChart {
  add(points: HistoryPoint[]): Promise<void>;
  finalize(): void;
}

const positive = (v: number) => (Number.isFinite(v) && v > 0 ? v : null);

function spec() {
  const x = { field: "epoch", type: "quantitative", title: "epoch" };
  const panel = (name: string, title: string, fields: string[]) => ({
    width: 480,
    height: 160,
    title,
    data: { name },
    transform: [{ fold: fields, as: ["series", "value"] }, { filter: "datum.value != null" }],
    encoding: {
      x,
      y: { field: "value", type: "quantitative", scale: { type: "log" }, title: null },
      color: { field: "series", type: "nominal", title: null },
    },
    layer: [
      { mark: { type: "line", strokeWidth: 1.5 } },
      { name: `${name}Points`, mark: { type: "point", filled: true, size: 14 } },
    ],
  });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description: "training loss and gradient norms, live",
    vconcat: [
      panel("loss", "loss", ["loss"]),
      panel("norms", "gradient norm (before and after clipping)", ["gradNorm", "clippedNorm"]),
    ],
  };
}

export async function liveChart(container: HTMLElement): Promise<LiveChart> {
  const view: View = await drawChart(container, spec());
  let pending = Promise.resolve();
  return {
    add(points) {
      const loss = points.map((p) => ({ epoch: p.epoch, loss: positive(p.loss) }));
      const norms = points.map((p) => ({
        epoch: p.epoch,
        gradNorm: positive(p.gradNorm),
        clippedNorm: positive(p.clippedNorm),
      }));
      // Changes are applied one after another: a run must finish before the next starts.
      pending = pending.then(async () => {
        await view
          .change("loss", changeset().insert(loss))
          .change("norms", changeset().insert(norms))
          .runAsync();
      });
      return pending;
    },
    finalize() {
      view.finalize();
    },
  };
}
