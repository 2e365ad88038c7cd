import type { QualityReport } from "../nls/quality/index.js";
import { fitStats, informationOf } from "../nls/stats/compare-stats.js";
import { CsvText } from "./csv-text.js";
import type { FitGroupsResult } from "./fit-groups.js";
import type { GroupRow, RowFit } from "./fit-groups-row.js";
import { numberSlot } from "./number-bytes.js";

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
  for (const r of rows) writeGroupsCsvRow(out, r, params);
  return out.take();
}

/** `groupsCsvRows` as UTF-8 bytes (what a CSV `--out` is written from), never a string. */
export function groupsCsvBytes(rows: readonly GroupRow[], params: readonly string[]): Uint8Array {
  const out = csvText;
  for (const r of rows) writeGroupsCsvRow(out, r, params);
  return out.takeBytes();
}

/** One row's line (with its newline) into `out`: the text `groupsCsvRows` gives it. */
export function writeGroupsCsvRow(out: CsvText, r: GroupRow, params: readonly string[]): void {
  writeGroup(out, r.group);
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

/**
 * A fitted group's line straight from its fit and quality report: the text
 * `writeGroupsCsvRow(out, fittedRow(group, fit, weights, quality, reason, …), params)` writes,
 * without the row's objects (estimates, standard errors, bounds and correlations by name,
 * about 1.25 KB a group) when only the CSV is wanted. `fit` may live on reused buffers: it is
 * read here and not kept.
 */
export function writeFittedCsvRow(
  out: CsvText,
  group: readonly string[],
  fit: RowFit,
  weights: Float64Array | null,
  quality: QualityReport,
  reason: string | null,
  params: readonly string[],
): void {
  const s = fit.summary;
  writeGroup(out, group);
  out.number(fit.n);
  out.char(COMMA);
  out.ascii(fit.converged ? "true" : "false");
  out.char(COMMA);
  // Each double through the slot, not as an argument (see CsvText.slotNumber); null is NaN.
  numberSlot[0] = fit.rss;
  out.slotNumber();
  out.char(COMMA);
  numberSlot[0] = s.rSquared ?? Number.NaN;
  out.slotNumber();
  out.char(COMMA);
  numberSlot[0] = informationOf(fitStats(fit, weights)).aicc ?? Number.NaN;
  out.slotNumber();
  out.char(COMMA);
  const codes = quality.codes;
  if (codes.length > 0) out.text(codes.join(";"));
  // Where each column's parameter sits in the fit (−1: not in it, empty fields as the row's
  // missing key gives) and in the summary (−1: fixed, no uncertainty).
  const { inFit, inSummary } = columnIndex(params, fit.names, s.names);
  for (let c = 0; c < params.length; c++) {
    const j = inFit[c]!;
    const i = inSummary[c]!;
    const summarised = j >= 0 && i >= 0;
    out.char(COMMA);
    if (j >= 0) {
      numberSlot[0] = fit.theta[j]!;
      out.slotNumber();
    }
    out.char(COMMA);
    if (summarised && s.standardErrors !== null) {
      numberSlot[0] = s.standardErrors[i]!;
      out.slotNumber();
    }
    out.char(COMMA);
    if (summarised && s.lower !== null) {
      numberSlot[0] = s.lower[i]!;
      out.slotNumber();
    }
    out.char(COMMA);
    if (summarised && s.upper !== null) {
      numberSlot[0] = s.upper[i]!;
      out.slotNumber();
    }
  }
  out.char(COMMA);
  if (!fit.converged && reason !== null) out.text(reason);
  out.char(NEWLINE);
}

function writeGroup(out: CsvText, group: readonly string[]): void {
  for (const g of group) {
    out.text(g);
    out.char(COMMA);
  }
}

// The last columns → fit and summary positions: every group of a run asks for the same.
let lastColumns: {
  params: readonly string[];
  names: readonly string[];
  free: readonly string[];
  inFit: Int32Array;
  inSummary: Int32Array;
} | null = null;

function columnIndex(
  params: readonly string[],
  names: readonly string[],
  free: readonly string[],
): { inFit: Int32Array; inSummary: Int32Array } {
  const last = lastColumns;
  if (last !== null && last.params === params && last.names === names && last.free === free) {
    return last;
  }
  // A name listed twice in the fit: the row's record keeps the last value.
  const inFit = Int32Array.from(params, (p) => names.lastIndexOf(p));
  const inSummary = Int32Array.from(inFit, (j) => (j < 0 ? -1 : free.indexOf(names[j]!)));
  lastColumns = { params, names, free, inFit, inSummary };
  return lastColumns;
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
