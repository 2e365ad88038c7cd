import { CsvText } from "./csv-text.js";
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

/**
 * Rows of the CSV, one line each (with its newline), written as chunks of groups finish: the
 * text `cell` gives each field, built in one buffer (csv-text.ts) — formatting a number as a
 * string per field cost a tenth of a fast grouped fit.
 */
export function groupsCsvRows(rows: readonly GroupRow[], params: readonly string[]): string {
  const out = csvText;
  for (const r of rows) {
    for (const g of r.group) {
      out.text(g);
      out.char(COMMA);
    }
    out.number(r.n);
    out.char(COMMA);
    out.ascii(r.converged ? "true" : "false");
    out.char(COMMA);
    out.number(r.rss);
    out.char(COMMA);
    out.number(r.r2);
    out.char(COMMA);
    out.number(r.aicc);
    out.char(COMMA);
    if (r.flags.length > 0) out.text(r.flags.join(";"));
    for (const p of params) {
      out.char(COMMA);
      out.number(r.estimate[p]);
      out.char(COMMA);
      out.number(r.se[p]);
      out.char(COMMA);
      out.number(r.lower[p]);
      out.char(COMMA);
      out.number(r.upper[p]);
    }
    out.char(COMMA);
    if (r.reason !== null) out.text(r.reason);
    out.char(NEWLINE);
  }
  return out.take();
}

const csvText = new CsvText();
const COMMA = 44;
const NEWLINE = 10;

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
