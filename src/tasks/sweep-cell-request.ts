import { z } from "zod";
import { transformSpecSchema } from "../transforms/spec.js";
import { fitCurveRequestSchema } from "./fit-curve-request.js";
import { trainLinearRequestSchema } from "./train-linear-schema.js";
import { trainNetworkRequestSchema } from "./train-network-schema.js";

/**
 * One cell of a sweep (one setting × one seed) as a task request: the run it wraps, complete.
 *
 * - A training cell wraps a `train-linear` or `train-network` request as is: its transform
 *   (the clip and rate being swept), epochs and seed are the request's own.
 *     { "task": "sweep-cell", "run": { "task": "train-linear", "data": …, "transform": …, "seed": 2, … } }
 * - A curve-fit cell wraps a `fit-curve` request (data, model, columns, starts, bounds…) and
 *   runs its clipped first-order phase alone — no Levenberg–Marquardt polish, so the clip's
 *   effect shows — as `firstOrder` says: the transform, the step budget, the seed and the
 *   start jitter (seed 0 starts at the request's starts; seed s > 0 moves each free
 *   parameter's internal coordinate by startJitter·N(0, 1) drawn from the seed). The wrapped
 *   request's `phases` and `level` play no part.
 *
 * `dataSha256`, when given, is the SHA-256 of the data file as the sweep planned the cell: the
 * cell refuses to run on a file that has changed since (a journal or a queue may outlive an
 * edit). The same cell gives the same result wherever it runs (runTask, a sweep's worker, a
 * queue).
 */
const positiveInt = z.number().int().min(1, { error: "expected an integer >= 1" });

export const firstOrderCellSchema = z.strictObject({
  /** The phase's chain: guard, clip, optimizer (constant rate unless a schedule is given). */
  transform: transformSpecSchema(),
  steps: positiveInt,
  /** Report the steps until the loss is <= this (the phase runs on to its own stop). */
  lossThreshold: z.number().min(0, { error: "expected a number >= 0" }).optional(),
  seed: z
    .number()
    .int({ error: "expected an integer" })
    .min(0, { error: "expected an integer in [0, 2^32)" })
    .max(0xffffffff, { error: "expected an integer in [0, 2^32)" }),
  startJitter: z.number().min(0, { error: "expected a number >= 0" }),
});

export const sweepCellRequestSchema = z
  .strictObject({
    task: z.literal("sweep-cell"),
    run: z.discriminatedUnion(
      "task",
      [trainLinearRequestSchema, trainNetworkRequestSchema, fitCurveRequestSchema],
      { error: "expected a train-linear, train-network or fit-curve request" },
    ),
    /** Fit cells only: the first-order phase to run. */
    firstOrder: firstOrderCellSchema.optional(),
    dataSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, { error: "expected 64 lowercase hex digits (a SHA-256)" })
      .optional(),
  })
  .superRefine((cell, ctx) => {
    const fit = cell.run.task === "fit-curve";
    if (fit && cell.firstOrder === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["firstOrder"],
        message:
          "a fit-curve cell needs its first-order phase (transform, steps, seed, startJitter)",
      });
    } else if (!fit && cell.firstOrder !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["firstOrder"],
        message: `only fit-curve cells have one; a ${cell.run.task} request carries its own transform, epochs and seed`,
      });
    }
  });

export type SweepCellRequest = z.output<typeof sweepCellRequestSchema>;
export type FirstOrderCell = z.output<typeof firstOrderCellSchema>;
