import { extname } from "node:path";
import { InputError } from "../core/errors.js";
import { VERSION } from "../version.js";
import type { SettingSummary } from "./aggregate.js";
import type { PlannedRun } from "./plan.js";
import type { Recommendation } from "./recommend.js";
import type { RunResult } from "./run.js";

/**
 * The sweep's `--out` file, by extension: `.json` — the whole sweep (settings, every run with
 * its spec and record, the ranked table, the recommendation, what the budget skipped); `.csv`
 * — one row per run. Numbers keep full precision; a non-finite loss is null (JSON) or empty
 * (CSV). Runs are in grid order (setting, then seed), whatever order they finished in.
 */
export type OutFormat = "json" | "csv";

export function outFormat(path: string): OutFormat {
  const ext = extname(path).toLowerCase();
  if (ext === ".json") return "json";
  if (ext === ".csv") return "csv";
  throw new InputError(`--out: expected a file name ending in .json or .csv, got "${path}"`);
}

/** One run as the output files list it (no timing-free guarantee: timeMs varies run to run). */
export function runRow(r: RunResult) {
  const { setting, seed, key } = r.run;
  const clip = setting.clip;
  return {
    key,
    setting: setting.label,
    clip: clip.kind,
    threshold: clip.kind === "none" ? null : clip.threshold,
    lr: setting.lr,
    seed,
    baseline: setting.baseline,
    diverged: r.divergence,
    ...r.record,
  };
}

export interface SweepDocumentInput {
  command: "train" | "fit";
  settings: Record<string, unknown>;
  results: readonly RunResult[];
  skipped: readonly PlannedRun[];
  table: readonly SettingSummary[];
  recommendation: Recommendation;
}

export function sweepJson(input: SweepDocumentInput): string {
  const doc = {
    biograd: VERSION,
    command: "sweep",
    runCommand: input.command,
    createdAt: new Date().toISOString(),
    settings: input.settings,
    runs: input.results.map((r) => ({ ...runRow(r), spec: r.run.spec })),
    skipped: input.skipped.map((r) => ({ key: r.key, setting: r.setting.label, seed: r.seed })),
    table: input.table.map((row) => {
      const { setting, ...rest } = row;
      return { setting: setting.label, baseline: setting.baseline, lr: setting.lr, ...rest };
    }),
    recommendation: input.recommendation,
  };
  return `${JSON.stringify(doc, null, 1)}\n`;
}

const CSV_COLUMNS = [
  "key",
  "setting",
  "clip",
  "threshold",
  "lr",
  "seed",
  "baseline",
  "diverged",
  "initialLoss",
  "finalLoss",
  "bestLoss",
  "lastLoss",
  "epochs",
  "stopReason",
  "epochsToThreshold",
  "clipFraction",
  "nonFiniteGradient",
  "timeMs",
] as const;

export function sweepCsv(results: readonly RunResult[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const r of results) {
    const row = runRow(r) as Record<string, unknown>;
    lines.push(CSV_COLUMNS.map((c) => csvField(row[c])).join(","));
  }
  return `${lines.join("\n")}\n`;
}

function csvField(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
