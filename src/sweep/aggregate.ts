import type { Plan, Setting } from "./plan.js";
import type { RunResult } from "./run.js";
import { ascendingNullLast, mean, median } from "./stats.js";

/** One row of the ranked table: a setting's runs aggregated over seeds. */
export interface SettingSummary {
  /** 1-based rank. */
  rank: number;
  setting: Setting;
  runs: number;
  diverged: number;
  nonFinite: number;
  exploded: number;
  divergenceRate: number;
  /** Medians over the setting's runs (a diverged run's non-finite loss counts as +∞); null = ∞. */
  medianFinalLoss: number | null;
  medianBestLoss: number | null;
  /** Runs that reached the loss threshold (0 without one). */
  reached: number;
  /** Median epochs to the threshold over the runs that reached it; null if none did. */
  medianEpochsToThreshold: number | null;
  meanClipFraction: number;
  medianTimeMs: number | null;
}

/**
 * Aggregates the results per setting and ranks the settings: fewest divergences first; then,
 * with a loss threshold, most runs reaching it and fewest median epochs to it; then the lowest
 * median final loss; ties in grid order. Settings the budget left without runs are omitted.
 */
export function aggregate(
  plan: Plan,
  results: readonly RunResult[],
  hasThreshold: boolean,
): SettingSummary[] {
  const bySetting = new Map<number, RunResult[]>();
  for (const r of results) {
    const list = bySetting.get(r.run.setting.index) ?? [];
    list.push(r);
    bySetting.set(r.run.setting.index, list);
  }
  const rows: SettingSummary[] = [];
  for (const setting of plan.settings) {
    const rs = bySetting.get(setting.index);
    if (!rs) continue;
    const nonFinite = rs.filter((r) => r.divergence === "non-finite").length;
    const exploded = rs.filter((r) => r.divergence === "exploded").length;
    const reachedRuns = rs.filter((r) => r.record.epochsToThreshold !== null);
    rows.push({
      rank: 0,
      setting,
      runs: rs.length,
      diverged: nonFinite + exploded,
      nonFinite,
      exploded,
      divergenceRate: (nonFinite + exploded) / rs.length,
      medianFinalLoss: median(rs.map((r) => r.record.finalLoss)),
      medianBestLoss: median(rs.map((r) => r.record.bestLoss)),
      reached: reachedRuns.length,
      medianEpochsToThreshold: median(reachedRuns.map((r) => r.record.epochsToThreshold)),
      meanClipFraction: mean(rs.map((r) => r.record.clipFraction)),
      medianTimeMs: median(rs.map((r) => r.record.timeMs)),
    });
  }
  rows.sort(
    (a, b) =>
      a.divergenceRate - b.divergenceRate ||
      (hasThreshold
        ? b.reached / b.runs - a.reached / a.runs ||
          ascendingNullLast(a.medianEpochsToThreshold, b.medianEpochsToThreshold)
        : 0) ||
      ascendingNullLast(a.medianFinalLoss, b.medianFinalLoss) ||
      a.setting.index - b.setting.index,
  );
  rows.forEach((r, i) => {
    r.rank = i + 1;
  });
  return rows;
}
