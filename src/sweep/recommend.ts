import type { ClipKind } from "../transforms/spec.js";
import type { SettingSummary } from "./aggregate.js";
import { WITHIN_FACTOR } from "./defaults.js";
import type { RunResult } from "./run.js";
import { median } from "./stats.js";

export { WITHIN_FACTOR };

export interface BaselineEvidence {
  lr: number;
  runs: number;
  diverged: number;
  nonFinite: number;
  exploded: number;
  medianFinalLoss: number | null;
}

export interface Recommendation {
  /** Whether some clipped setting qualified. */
  found: boolean;
  /** The qualifying cut-off: max(within × bestLoss, lossThreshold). */
  within: number;
  cutoff: number | null;
  /** Lowest final loss of any run that did not diverge (null if every run diverged). */
  bestLoss: number | null;
  kind: ClipKind | null;
  lr: number | null;
  /** The recommended threshold range [low, high] (grid values), for `kind` at `lr`. */
  thresholds: [number, number] | null;
  /** Labels of the settings in the range. */
  settings: string[];
  runs: number;
  finalLoss: { min: number; median: number; max: number } | null;
  /** The unclipped baseline at the recommended learning rate (or at each rate when none found). */
  baseline: BaselineEvidence[];
  /** The recommendation and its evidence, in sentences. */
  text: string[];
}

/**
 * The recommendation: a threshold range for the best clip kind. A setting qualifies when all
 * its runs converged (none diverged) and every run's final loss is at most the cut-off
 * max(within × best, lossThreshold), best being the lowest final loss of any converged run in
 * the sweep. The best-ranked qualifying clipped setting fixes the kind and learning rate; the
 * range then grows from its threshold to neighbouring grid thresholds (same kind, settings and rate)
 * while they qualify too. The evidence is the range's runs and losses and the baseline's
 * divergence at the same rate.
 */
export function recommend(
  table: readonly SettingSummary[],
  results: readonly RunResult[],
  options: { within?: number; lossThreshold?: number | null } = {},
): Recommendation {
  const within = options.within ?? WITHIN_FACTOR;
  const converged = results.filter((r) => r.divergence === null && r.record.finalLoss !== null);
  const bestLoss = converged.length ? Math.min(...converged.map((r) => r.record.finalLoss!)) : null;
  const cutoff = bestLoss === null ? null : Math.max(within * bestLoss, options.lossThreshold ?? 0);
  const runsOf = (row: SettingSummary) =>
    results.filter((r) => r.run.setting.index === row.setting.index);
  const qualifies = (row: SettingSummary) =>
    cutoff !== null &&
    row.runs > 0 &&
    row.diverged === 0 &&
    runsOf(row).every((r) => r.record.finalLoss !== null && r.record.finalLoss <= cutoff);
  const baselineAt = (lr: number): BaselineEvidence[] =>
    table
      .filter((row) => row.setting.baseline && row.setting.lr === lr)
      .map((row) => ({
        lr,
        runs: row.runs,
        diverged: row.diverged,
        nonFinite: row.nonFinite,
        exploded: row.exploded,
        medianFinalLoss: row.medianFinalLoss,
      }));
  const empty = {
    within,
    cutoff,
    bestLoss,
    kind: null,
    lr: null,
    thresholds: null,
    settings: [],
    runs: 0,
    finalLoss: null,
  };

  const top = table.find((row) => !row.setting.baseline && qualifies(row));
  if (!top) {
    const lrs = [...new Set(table.map((r) => r.setting.lr))].sort((a, b) => a - b);
    const baseline = lrs.flatMap(baselineAt);
    const goodBaseline = table.filter((row) => row.setting.baseline && qualifies(row));
    const text = [
      bestLoss === null
        ? "no recommendation: every run diverged; try smaller learning rates or thresholds"
        : `no recommendation: no clipped setting had all its runs converge within ${within}× of the best loss ${fmt(bestLoss)}`,
    ];
    if (goodBaseline.length > 0) {
      text.push(
        `the unclipped baseline qualifies at ${goodBaseline.map((r) => `lr=${r.setting.lr}`).join(", ")}: clipping is not needed there`,
      );
    }
    return { ...empty, found: false, baseline, text };
  }

  const { kind } = top.setting.clip as { kind: ClipKind; threshold: number };
  const { lr, family } = top.setting;
  const line = table
    .filter((r) => r.setting.family === family && r.setting.lr === lr)
    .sort(
      (a, b) =>
        (a.setting.clip as { threshold: number }).threshold -
        (b.setting.clip as { threshold: number }).threshold,
    );
  let lo = line.indexOf(top);
  let hi = lo;
  while (lo > 0 && qualifies(line[lo - 1]!)) lo--;
  while (hi < line.length - 1 && qualifies(line[hi + 1]!)) hi++;
  const range = line.slice(lo, hi + 1);
  const threshOf = (r: SettingSummary) => (r.setting.clip as { threshold: number }).threshold;
  const rangeRuns = range.flatMap(runsOf);
  const losses = rangeRuns.map((r) => r.record.finalLoss!).sort((a, b) => a - b);
  const finalLoss = { min: losses[0]!, median: median(losses)!, max: losses[losses.length - 1]! };
  const baseline = baselineAt(lr);
  const thresholds: [number, number] = [threshOf(range[0]!), threshOf(range[range.length - 1]!)];
  const rangeText =
    thresholds[0] === thresholds[1]
      ? `${kind}:${thresholds[0]}`
      : `${kind} with threshold in [${thresholds[0]}, ${thresholds[1]}]`;
  const perSetting = new Set(range.map((r) => r.runs));
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
  const shape =
    perSetting.size === 1
      ? `${plural(range.length, "threshold")} × ${plural(range[0]!.runs, "seed")}`
      : `${plural(range.length, "threshold")}, ${[...perSetting].join(" or ")} seeds each`;
  const text = [
    `recommendation: clip ${rangeText} at lr=${lr}`,
    `evidence: ${rangeRuns.length} runs (${shape}), ` +
      `all converged; final loss ${fmt(finalLoss.min)} … ${fmt(finalLoss.max)} (median ${fmt(finalLoss.median)}), ` +
      `each within ${cutoff === within * bestLoss! ? `${within}× the best run's ${fmt(bestLoss!)}` : `the loss threshold ${fmt(cutoff!)}`}`,
  ];
  for (const b of baseline) {
    const how = [
      b.nonFinite ? `${b.nonFinite} non-finite` : "",
      b.exploded ? `${b.exploded} exploded` : "",
    ]
      .filter(Boolean)
      .join(", ");
    const row = table.find((r) => r.setting.baseline && r.setting.lr === lr)!;
    text.push(
      `baseline (no clip) at lr=${lr}: ${b.diverged}/${b.runs} runs diverged${how ? ` (${how})` : ""}` +
        `, median final loss ${b.medianFinalLoss === null ? "non-finite" : fmt(b.medianFinalLoss)}` +
        (qualifies(row)
          ? " — it qualifies too: at this rate clipping is a safeguard, not a necessity"
          : ""),
    );
  }
  if (baseline.length === 0) text.push(`baseline (no clip) at lr=${lr}: not run (budget)`);
  return {
    found: true,
    within,
    cutoff,
    bestLoss,
    kind,
    lr,
    thresholds,
    settings: range.map((r) => r.setting.label),
    runs: rangeRuns.length,
    finalLoss,
    baseline,
    text,
  };
}

function fmt(x: number): string {
  return Number(x.toPrecision(4)).toString();
}
