import type { FitGroupsResult } from "./fit-groups.js";
import type { GroupRow } from "./fit-groups-row.js";

/** `--out results.csv`: one row per group (see the README for the columns). */
export function groupsCsv(result: FitGroupsResult): string {
  const params = result.model.params;
  return groupsCsvHeader(result.data.group, params) + groupsCsvRows(result.groups, params);
}

/** The CSV's header line (with its newline): the group columns, then the fixed columns. */
export function groupsCsvHeader(group: readonly string[], params: readonly string[]): string {
  const header = [
    ...group,
    "n",
    "converged",
    "rss",
    "r2",
    "aicc",
    "flags",
    ...params.flatMap((p) => [estimateColumn(p), `${p}_se`, `${p}_lower`, `${p}_upper`]),
    "reason",
  ];
  return `${header.map(cell).join(",")}\n`;
}

/** Rows of the CSV, one line each (with its newline), written as chunks of groups finish. */
export function groupsCsvRows(rows: readonly GroupRow[], params: readonly string[]): string {
  let text = "";
  for (const r of rows) {
    let line = "";
    for (const g of r.group) line += `${cell(g)},`;
    line += `${r.n},${r.converged},${cell(r.rss)},${cell(r.r2)},${cell(r.aicc)},${cell(r.flags.join(";"))}`;
    for (const p of params) {
      line += `,${cell(r.estimate[p])},${cell(r.se[p])},${cell(r.lower[p])},${cell(r.upper[p])}`;
    }
    text += `${line},${cell(r.reason)}\n`;
  }
  return text;
}

const SUMMARY_COLUMNS = new Set(["n", "converged", "rss", "r2", "aicc", "flags", "reason"]);

/** A parameter's estimate column: its name, or `n_estimate` for a Hill `n` (the row count's name). */
function estimateColumn(param: string): string {
  return SUMMARY_COLUMNS.has(param) ? `${param}_estimate` : param;
}

/** A CSV field: numbers in full precision (they read back identical), text quoted if needed. */
function cell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return String(v); // never needs quotes
  const s = String(v);
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}
