import type { View } from "vega";
import { drawChart } from "./charts.js";

/**
 * The sweep's heat map while it runs: one rectangle per (clip, learning rate) cell,
 * coloured by the median final loss over its seeds, filled in as `cell` events arrive (cells not yet run
 * are blank). Redrawn whole on each cell: a grid has tens of cells, not thousands.
 */
export interface SweepCell {
  /** The clip and its threshold ("global-norm 1", "none"). */
  clip: string;
  lr: number;
  seed: number;
  loss: number | null;
}

export class SweepMap {
  private cells: SweepCell[] = [];
  private view: View | null = null;

  constructor(private readonly container: HTMLElement) {}

  reset(): void {
    this.cells = [];
    this.view?.finalize();
    this.view = null;
    this.container.replaceChildren();
  }

  async add(raw: Record<string, unknown>): Promise<void> {
    const cell = readCell(raw);
    if (cell === null) return;
    this.cells.push(cell);
    this.view?.finalize();
    this.container.dataset.cells = String(this.cells.length);
    this.view = await drawChart(this.container, spec(this.cells));
  }
}

/** A `cell` event: a sweep run's row (as `biograd sweep --out x.csv` writes it). */
function readCell(raw: Record<string, unknown>): SweepCell | null {
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  const lr = num(raw.lr);
  if (lr === null) return null;
  const threshold = num(raw.threshold);
  const kind = typeof raw.clip === "string" ? raw.clip : "clip";
  return {
    clip: threshold === null ? kind : `${kind} ${threshold}`,
    lr,
    seed: num(raw.seed) ?? 0,
    loss: num(raw.finalLoss),
  };
}

function spec(cells: SweepCell[]) {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description: "sweep: final loss by clip threshold and learning rate",
    data: { values: cells },
    width: 320,
    height: 220,
    mark: { type: "rect", stroke: "white" },
    encoding: {
      x: { field: "lr", type: "ordinal", title: "learning rate" },
      y: { field: "clip", type: "ordinal", title: "clip", sort: null },
      color: {
        aggregate: "median",
        field: "loss",
        type: "quantitative",
        scale: { type: "log", scheme: "viridis" },
        title: "final loss (median over seeds)",
      },
      tooltip: [
        { field: "clip" },
        { field: "lr" },
        { aggregate: "median", field: "loss", format: ".4g", title: "median final loss" },
      ],
    },
  };
}
