import type { FitGroupsResult } from "./fit-groups.js";

/** `--out results.csv`: one row per group (see the README for the columns). */
export function groupsCsv(result: FitGroupsResult): string {
  const params = result.model.params;
  const header = [
    ...result.data.group,
    "n",
    "converged",
    "rss",
    "r2",
    "aicc",
    "flags",
    ...params.flatMap((p) => [estimateColumn(p), `${p}_se`, `${p}_lower`, `${p}_upper`]),
    "reason",
  ];
  const lines = [header.map(cell).join(",")];
  for (const r of result.groups) {
    const fields = [
      ...r.group,
      r.n,
      r.converged,
      r.rss,
      r.r2,
      r.aicc,
      r.flags.join(";"),
      ...params.flatMap((p) => [r.estimate[p], r.se[p], r.lower[p], r.upper[p]]),
      r.reason,
    ];
    lines.push(fields.map(cell).join(","));
  }
  return `${lines.join("\n")}\n`;
}

const SUMMARY_COLUMNS = new Set(["n", "converged", "rss", "r2", "aicc", "flags", "reason"]);

/** A parameter's estimate column: its name, or `n_estimate` for a Hill `n` (the row count's name). */
function estimateColumn(param: string): string {
  return SUMMARY_COLUMNS.has(param) ? `${param}_estimate` : param;
}

/** A CSV field: numbers in full precision (they read back identical), text quoted if needed. */
function cell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}
