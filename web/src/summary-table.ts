import { el, formatNumber } from "./dom.js";

/**
 * A table of numbers for the summaries. Each numeric cell shows 6 significant digits and
 * keeps the full value in `data-value` (for copying, and for tests that compare the page
 * with the CLI exactly).
 */
export type Cell = string | number | null;

export function numberCell(value: number | null | undefined, attrs: Record<string, string> = {}) {
  const full = value === null || value === undefined ? "" : String(value);
  return el("td", { class: "num", "data-value": full, title: full, ...attrs }, formatNumber(value));
}

export function table(
  id: string,
  caption: string,
  head: string[],
  rows: (Cell | HTMLTableCellElement)[][],
): HTMLTableElement {
  return el(
    "table",
    { id, class: "summary" },
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col" }, h)))),
    el(
      "tbody",
      {},
      ...rows.map((row) =>
        el(
          "tr",
          {},
          ...row.map((cell, i) => {
            if (cell instanceof HTMLTableCellElement) return cell;
            if (typeof cell === "number" || cell === null) return numberCell(cell);
            return i === 0 ? el("th", { scope: "row" }, cell) : el("td", {}, cell);
          }),
        ),
      ),
    ),
  );
}
