import type { View } from "vega";
import { drawChart } from "./charts.js";

/**
 * The sweep's heat map while it runs: one rectangle per (clip threshold, learning rate)
 * cell, coloured by its final loss, filled in as `cell` events arrive (cells not yet run
 * are blank). Redrawn whole on each cell: a grid has tens of cells, not thousands.
 */
export interface SweepCell {
  threshold: number | null;
  lr: number;
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

function readCell(raw: Record<string, unknown>): SweepCell | null {
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  const lr = num(raw.lr);
  if (lr === null) return null;
  return { threshold: num(raw.threshold), lr, loss: num(raw.loss) };
}

function spec(cells: SweepCell[]) {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description: "sweep: final loss by clip threshold and learning rate",
    data: { values: cells.map((c) => ({ ...c, threshold: c.threshold ?? "none" })) },
    width: 320,
    height: 220,
    mark: { type: "rect", stroke: "white" },
    encoding: {
      x: { field: "threshold", type: "ordinal", title: "clip threshold" },
      y: { field: "lr", type: "ordinal", title: "learning rate", sort: "descending" },
      color: {
        field: "loss",
        type: "quantitative",
        scale: { type: "log", scheme: "viridis", reverse: true },
        title: "final loss",
      },
      tooltip: [{ field: "threshold" }, { field: "lr" }, { field: "loss", format: ".4g" }],
    },
  };
}
