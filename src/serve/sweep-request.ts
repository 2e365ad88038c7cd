import { z } from "zod";

/** Grid sizes the server runs at most (each cell is a whole training run or fit phase). */
export const MAX_SWEEP_CELLS = 2000;

/**
 * A sweep from the page: the base request (`train-linear`, `train-network`, or `fit-curve` for
 * its clipped first-order phase) and the grid in `biograd sweep`'s own grammar, so that the
 * same text gives the same cells and messages (`--thresholds: …` is about the grid).
 */
export const sweepRequestSchema = z.strictObject({
  task: z.literal("sweep"),
  run: z.looseObject({ task: z.enum(["train-linear", "train-network", "fit-curve"]) }),
  grid: z.strictObject({
    clip: z.string().max(10_000).optional(),
    clipKinds: z.string().max(10_000).optional(),
    thresholds: z.string().max(10_000).optional(),
    lr: z.string().max(10_000).optional(),
    seeds: z.string().max(1000).default("3"),
  }),
  /** The optimizer without its rate (`sgd`, `adam,b1=0.9`); default as `biograd sweep`. */
  optimizer: z.string().max(1000).optional(),
  guard: z.enum(["error", "skip", "zero"]).optional(),
  lossThreshold: z.number().min(0).optional(),
  /** Fits: first-order steps of each run and the start jitter (as `sweep fit`). */
  steps: z.number().int().min(1).max(1_000_000).default(3000),
  startJitter: z.number().min(0).default(0.5),
  /** A setting within this factor of the best counts as as good (`--within`). */
  within: z.number().gt(1).optional(),
});

export type SweepRequest = z.output<typeof sweepRequestSchema>;
