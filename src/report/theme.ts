/**
 * What every chart shares: the bundled font (Bitstream Vera Sans, assets/fonts/, so text is
 * drawn the same on every machine), a white background and the spec's schema. Charts are
 * Vega-Lite specs — plain JSON with their data inline — so the same object is rendered here,
 * embedded in the HTML report and (later) shown by the web app.
 */
export const FONT_FAMILY = "Bitstream Vera Sans";

/**
 * A chart: a Vega-Lite (v6) spec as plain JSON, its data under `datasets`. No `$schema`: it is
 * a URL, and the report must not name one.
 */
export type ChartSpec = Record<string, unknown> & { datasets: Record<string, DataRow[]> };

export type DataRow = Record<string, number | string | boolean | null>;

export const CONFIG = {
  font: FONT_FAMILY,
  background: "white",
  view: { stroke: "#ddd" },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: "#eee" },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: "start" },
} as const;

/** The frame of every spec: schema, title, config and the named data sets. */
export function chart(
  title: string,
  datasets: Record<string, DataRow[]>,
  body: Record<string, unknown>,
): ChartSpec {
  return { title, config: CONFIG, datasets, ...body };
}
