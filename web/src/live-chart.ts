import { changeset, type View } from "vega";
import { drawChart } from "./charts.js";
import type { HistoryPoint } from "./types.js";

/**
 * The training chart while a run is going: loss and gradient norm (before and after the
 * clip) against the epoch, on log axes, with a dot per drawn epoch. Points arriving by
 * `history` events are gathered and drawn at most every FLUSH_MS, thinned to at most
 * MAX_DRAWN epochs (every k-th, always the newest): a long run stays as cheap to draw as a
 * short one, and the page stays responsive.
 */
export interface LiveChart {
  add(points: HistoryPoint[]): void;
  finalize(): void;
}

const FLUSH_MS = 200;
const MAX_DRAWN = 300;

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

/** Every k-th point so that at most `max` remain, the newest always among them. */
export function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const stride = Math.ceil(points.length / max);
  const kept = points.filter((_, i) => (points.length - 1 - i) % stride === 0);
  return kept;
}

export async function liveChart(container: HTMLElement): Promise<LiveChart> {
  const view: View = await drawChart(container, spec());
  const all: HistoryPoint[] = [];
  let timer: number | undefined;
  let drawing = Promise.resolve();

  const flush = () => {
    timer = undefined;
    const shown = thin(all, MAX_DRAWN);
    const loss = shown.map((p) => ({ epoch: p.epoch, loss: positive(p.loss) }));
    const norms = shown.map((p) => ({
      epoch: p.epoch,
      gradNorm: positive(p.gradNorm),
      clippedNorm: positive(p.clippedNorm),
    }));
    const all_ = () => true;
    drawing = drawing.then(async () => {
      await view
        .change("loss", changeset().remove(all_).insert(loss))
        .change("norms", changeset().remove(all_).insert(norms))
        .runAsync();
      container.dataset.epochs = String(all.length);
    });
  };

  return {
    add(points) {
      all.push(...points);
      if (timer === undefined) timer = window.setTimeout(flush, FLUSH_MS);
    },
    finalize() {
      window.clearTimeout(timer);
      view.finalize();
    },
  };
}
