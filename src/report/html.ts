/**
 * The HTML report as text: one file that opens from disk offline — inline SVG, the Vega-Lite
 * specs with their data in JSON script blocks, tables, and nothing fetched (no script, style
 * sheet, font or image from a URL).
 */
export interface ReportSection {
  heading: string;
  /** Tables of text cells; the first row is the header. */
  tables: string[][][];
  /** Lines of text under the tables. */
  notes: string[];
  /** The chart as inline SVG (without its XML namespace declarations) and its spec. */
  chart: { svg: string; spec: unknown } | null;
}

export interface ReportPage {
  title: string;
  /** Key–value lines about how the report and the result were made (command, versions). */
  provenance: [string, string][];
  sections: ReportSection[];
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/** JSON inside a <script> block: `<` escaped so no text can close the block. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replaceAll("<", "\\u003c");
}

/** An SVG document as inline markup: no XML declaration, no namespace URLs (HTML implies them). */
export function inlineSvg(svg: string): string {
  return svg
    .replace(/^<\?xml[^>]*>\s*/, "")
    .replace(/\s+xmlns(:\w+)?="[^"]*"/g, "")
    .replace(/\bxlink:href=/g, "href=");
}

function table(rows: string[][]): string {
  const [head, ...body] = rows;
  const cells = (r: string[], tag: string) =>
    `<tr>${r.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join("")}</tr>`;
  return `<table>\n<thead>${cells(head ?? [], "th")}</thead>\n<tbody>\n${body.map((r) => cells(r, "td")).join("\n")}\n</tbody>\n</table>`;
}

const STYLE = `body{font-family:"Bitstream Vera Sans",Verdana,sans-serif;margin:2em;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:0.5em 0 1em}th,td{border:1px solid #ccc;padding:2px 8px;text-align:left;font-size:13px}
th{background:#f3f3f3}figure{margin:1em 0}.note{font-size:12px;color:#666}`;

export function reportHtml(page: ReportPage): string {
  const parts: string[] = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    `<h1>${escapeHtml(page.title)}</h1>`,
    table([["", ""], ...page.provenance.map(([k, v]) => [k, v])]),
  ];
  page.sections.forEach((section, i) => {
    parts.push(`<h2>${escapeHtml(section.heading)}</h2>`);
    if (section.chart) {
      parts.push(`<figure class="chart">${inlineSvg(section.chart.svg)}</figure>`);
    }
    for (const t of section.tables) parts.push(table(t));
    for (const n of section.notes) parts.push(`<p>${escapeHtml(n)}</p>`);
    if (section.chart) {
      parts.push(
        `<p class="note">The chart's Vega-Lite spec, with its data, is in this file (script#spec-${i}).</p>`,
        `<script type="application/json" class="vega-lite-spec" id="spec-${i}">${scriptJson(section.chart.spec)}</script>`,
      );
    }
  });
  parts.push("</body>", "</html>", "");
  return parts.join("\n");
}
