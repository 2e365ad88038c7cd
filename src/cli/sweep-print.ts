import type { SettingSummary } from "../sweep/aggregate.js";
import type { Grid } from "../sweep/grid.js";
import type { PlannedRun } from "../sweep/plan.js";
import type { JournalInfo } from "../sweep/run.js";
import { percent, sci } from "./format.js";

/**
 * The lines `biograd sweep` prints about its plan and its runs (the library returns data;
 * only these turn it into text).
 */

/** `grid: 3 clips × 2 learning rates × 3 seeds = 18 runs; sgd, 1000 epochs`. */
export function gridLine(grid: Grid, runs: number, runBudget: string): string {
  return (
    `grid: ${plural(grid.clips.length, "clip")}${grid.baselineAdded ? ' (baseline "none" added)' : ""} × ` +
    `${plural(grid.lrs.length, "learning rate")} × ${plural(grid.seeds.length, "seed")} = ` +
    `${plural(runs, "run")}; ${runBudget}`
  );
}

/** `budget runs:5: 5 of 18 runs; skipped 13 (seed 0: 1 setting; …), seed by seed in grid order`. */
export function budgetLine(
  budget: { unit: string; limit: number },
  selected: number,
  total: number,
  skipped: readonly PlannedRun[],
): string {
  const bySeed = new Map<number, number>();
  for (const r of skipped) bySeed.set(r.seed, (bySeed.get(r.seed) ?? 0) + 1);
  const parts = [...bySeed].map(([seed, n]) => `seed ${seed}: ${plural(n, "setting")}`);
  return (
    `budget ${budget.unit}:${budget.limit}: ${selected} of ${total} runs` +
    (skipped.length
      ? `; skipped ${skipped.length} (${parts.join("; ")}), seed by seed in grid order`
      : "")
  );
}

/** `resume: 3 of 24 runs already in j.jsonl; running 21 (cut a torn last line of 18 bytes; …)`. */
export function resumeLine(
  journal: JournalInfo,
  path: string,
  resumed: number,
  selected: number,
): string {
  const notes = [
    journal.tornBytes ? `cut a torn last line of ${journal.tornBytes} bytes` : "",
    journal.ignoredLines
      ? `ignored ${plural(journal.ignoredLines, "bad or repeated line")}, the first at ${journal.firstProblem}`
      : "",
    journal.otherRuns ? `${journal.otherRuns} entries belong to other sweeps` : "",
  ].filter(Boolean);
  return (
    `resume: ${resumed} of ${selected} runs already in ${path}; running ${selected - resumed}` +
    (notes.length ? ` (${notes.join("; ")})` : "")
  );
}

/** `sweep: 12/24 runs done (3.1 runs/s, about 4 s left)`. */
export function progressLine(done: number, total: number, rate: number | null): string {
  if (rate === null || done === total) return `sweep: ${done}/${total} runs done`;
  const left = (total - done) / rate;
  return `sweep: ${done}/${total} runs done (${rate.toFixed(1)} runs/s, about ${left < 10 ? left.toFixed(1) : Math.round(left)} s left)`;
}

/** `ran 24 runs on 2 worker threads in 1.20 s (20.0 runs/s)`. */
export function ranLine(ran: number, workers: number, elapsedMs: number): string {
  const seconds = elapsedMs / 1000;
  const where = workers === 0 ? "in the main thread" : `on ${plural(workers, "worker thread")}`;
  return (
    `ran ${ran} runs ${where} in ${seconds.toFixed(2)} s` +
    (ran > 0 ? ` (${(ran / seconds).toFixed(1)} runs/s)` : "")
  );
}

/** The ranked table's cells, header first. */
export function tableRows(
  ranked: readonly SettingSummary[],
  threshold: number | undefined,
): string[][] {
  const head = ["rank", "setting", "runs", "diverged", "median final", "median best"];
  if (threshold !== undefined) head.push(`reached ${sci(threshold, 2)}`, "median epochs");
  head.push("clipped", "median ms");
  const rows = [head];
  for (const r of ranked) {
    const row = [
      String(r.rank),
      r.setting.baseline ? `${r.setting.label} (baseline)` : r.setting.label,
      String(r.runs),
      divergenceText(r.diverged, r.runs, r.nonFinite, r.exploded),
      lossText(r.medianFinalLoss),
      lossText(r.medianBestLoss),
    ];
    if (threshold !== undefined) {
      row.push(
        `${r.reached}/${r.runs}`,
        r.medianEpochsToThreshold === null ? "-" : String(r.medianEpochsToThreshold),
      );
    }
    row.push(
      percent(r.meanClipFraction),
      r.medianTimeMs === null ? "-" : r.medianTimeMs.toFixed(1),
    );
    rows.push(row);
  }
  return rows;
}

/** `0/3`, `3/3 non-finite`, `2/3: 1 non-finite, 1 exploded`. */
function divergenceText(
  diverged: number,
  runs: number,
  nonFinite: number,
  exploded: number,
): string {
  const count = `${diverged}/${runs}`;
  if (diverged === 0) return count;
  if (nonFinite === 0) return `${count} exploded`;
  if (exploded === 0) return `${count} non-finite`;
  return `${count}: ${nonFinite} non-finite, ${exploded} exploded`;
}

function lossText(x: number | null): string {
  return x === null ? "non-finite" : sci(x);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
