import type { NonFinitePolicy } from "../transforms/non-finite.js";

/** The options of `biograd sweep train|fit` as commander hands them over. */
export interface SweepFlags {
  x?: string;
  y: string;
  model: string;
  clip?: string;
  clipKinds?: string;
  thresholds?: string;
  lr?: string;
  optimizer: string;
  seeds: string;
  lossThreshold?: number;
  onNonFinite: NonFinitePolicy;
  workers?: number;
  budget?: string;
  resume?: string;
  out?: string;
  /** The heat map, FILE.svg or FILE.png. */
  plot?: string;
  within: number;
  explodeFactor: number;
  na?: string;
  delimiter?: string;
  sheet?: string;
}

export interface SweepTrainFlags extends SweepFlags {
  epochs: number;
  batchSize?: number;
  /** Networks: regress or classify, the split, one-hot columns, the positive class… */
  task?: "regress" | "classify";
  split?: string;
  categorical?: string;
  positive?: string;
  dropout?: number;
  loss?: "mse" | "huber";
}

export interface SweepFitFlags extends SweepFlags {
  x: string;
  start?: string;
  const?: string;
  fix?: string;
  bounds?: string;
  weights?: string;
  steps: number;
  startJitter: number;
}

/** Learning rates when --lr is not given, by subcommand. */
export const DEFAULT_LRS = { train: "0.001,0.01,0.1", fit: "0.01,0.05,0.2" } as const;
