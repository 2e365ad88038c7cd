import { parseWith } from "../core/schema.js";
import { sweepCellRequestSchema } from "../tasks/sweep-cell-request.js";
import type { ClipSpec } from "../transforms/spec.js";
import { clipLabel } from "../transforms/spec-text.js";
import type { Grid } from "./grid.js";
import { canonicalJson, type RunSpec, runKey } from "./spec.js";

/** One cell of the grid: a clip and a learning rate, run over every seed. */
export interface Setting {
  /** Position in the grid (clip-major, then learning rate): the output's stable order. */
  index: number;
  clip: ClipSpec;
  /**
   * The clip without its threshold (kind and settings), as a key: the settings whose
   * thresholds a recommended range spans.
   */
  family: string;
  lr: number;
  /** `global-norm:1 lr=0.1`. */
  label: string;
  /** The unclipped baseline (`none`). */
  baseline: boolean;
}

export interface PlannedRun {
  /** Position in the run order (seed-major), which the budget cuts. */
  order: number;
  setting: Setting;
  seed: number;
  key: string;
  spec: RunSpec;
}

export interface Plan {
  settings: Setting[];
  seeds: number[];
  /** Every run, seed-major: all settings for the first seed, then for the second, … */
  runs: PlannedRun[];
}

/**
 * The grid's settings × seeds, each run's sweep-cell request made by `make`, normalised by
 * the request schema (defaults filled in, so that the request a journal line holds hashes
 * to the same key when read back) and keyed by its hash.
 */
export function planSweep(
  grid: Grid,
  make: (clip: ClipSpec, lr: number, seed: number) => unknown,
): Plan {
  const settings: Setting[] = [];
  for (const clip of grid.clips) {
    const { threshold: _, ...family } = clip as ClipSpec & { threshold?: number };
    for (const lr of grid.lrs) {
      settings.push({
        index: settings.length,
        clip,
        family: canonicalJson(family),
        lr,
        label: `${clipLabel(clip)} lr=${lr}`,
        baseline: clip.kind === "none",
      });
    }
  }
  const runs: PlannedRun[] = [];
  for (const seed of grid.seeds) {
    for (const setting of settings) {
      const spec = parseWith(sweepCellRequestSchema, make(setting.clip, setting.lr, seed), "run");
      runs.push({ order: runs.length, setting, seed, key: runKey(spec), spec });
    }
  }
  return { settings, seeds: grid.seeds, runs };
}
