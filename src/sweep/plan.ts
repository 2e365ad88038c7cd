import type { Grid } from "./grid.js";
import { type ClipSetting, clipLabel, type RunSpec, runKey } from "./spec.js";

/** One cell of the grid: a clip and a learning rate, run over every seed. */
export interface Setting {
  /** Position in the grid (clip-major, then learning rate): the output's stable order. */
  index: number;
  clip: ClipSetting;
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

/** The grid's settings × seeds, each run's spec made by `make` and keyed by its hash. */
export function planSweep(
  grid: Grid,
  make: (clip: ClipSetting, lr: number, seed: number) => RunSpec,
): Plan {
  const settings: Setting[] = [];
  for (const clip of grid.clips) {
    for (const lr of grid.lrs) {
      settings.push({
        index: settings.length,
        clip,
        lr,
        label: `${clipLabel(clip)} lr=${lr}`,
        baseline: clip.kind === "none",
      });
    }
  }
  const runs: PlannedRun[] = [];
  for (const seed of grid.seeds) {
    for (const setting of settings) {
      const spec = make(setting.clip, setting.lr, seed);
      runs.push({ order: runs.length, setting, seed, key: runKey(spec), spec });
    }
  }
  return { settings, seeds: grid.seeds, runs };
}
