import { VERSION } from "../version.js";
import { type ReportPage, reportHtml } from "./html.js";
import { renderSvg } from "./render.js";
import { resultSummary } from "./report-summary.js";
import { chartForResult, resultKind } from "./result-chart.js";

export interface ReportOptions {
  /** The command line that made the report, shown in it. */
  command: string;
  /** The result's file name, shown in it. */
  source: string;
}

/**
 * The self-contained HTML report of a saved result: the chart as inline SVG, its Vega-Lite
 * spec with the data, the summary tables, and how it was made (the command, biograd's, Vega's,
 * Vega-Lite's and Node's versions, and the result's own version, date and settings).
 */
export async function resultReport(doc: unknown, options: ReportOptions): Promise<string> {
  const where = options.source;
  const kind = resultKind(doc, where);
  const spec = chartForResult(doc, where);
  const svg = await renderSvg(spec, { idPrefix: "c0-" });
  const d = doc as Record<string, unknown>;
  const summary = resultSummary(kind, d);
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  const page: ReportPage = {
    title: `biograd report: ${options.source}`,
    provenance: [
      ["report made by", options.command],
      [
        "result",
        `${options.source} (${kind}${typeof d.createdAt === "string" ? `, created ${d.createdAt}` : ""})`,
      ],
      ["result written by", typeof d.biograd === "string" ? `biograd ${d.biograd}` : "-"],
      ["settings", JSON.stringify(d.settings ?? null)],
      [
        "versions",
        `biograd ${VERSION}, vega ${vega.version}, vega-lite ${vegaLite.version}, node ${process.version}`,
      ],
    ],
    sections: [{ ...summary, chart: { svg, spec } }],
  };
  return reportHtml(page);
}
