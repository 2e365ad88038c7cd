import { z } from "zod";
import { trainingFields } from "./train-linear-schema.js";

const fraction = z
  .number()
  .min(0, { error: "expected a fraction in [0, 1]" })
  .max(1, { error: "expected a fraction in [0, 1]" });

/**
 * `train-network`: logistic regression or an MLP (`mlp:H1,H2[:activation]`) on a table,
 * split into train/validation/test rows (seeded, stratified for classes), standardised with
 * the training rows, trained through the transform chain.
 */
export const trainNetworkRequestSchema = z.strictObject({
  task: z.literal("train-network"),
  ...trainingFields,
  /** Feature columns; default every column but `y`. */
  x: z
    .array(z.string().min(1, { error: "expected a column name" }))
    .min(1)
    .optional(),
  model: z
    .string()
    .max(200)
    .refine((m) => m === "logistic" || m === "mlp" || m.startsWith("mlp:"), {
      error: "expected logistic or mlp:H1,H2[:activation]",
    }),
  /** Regression or classification; default classify for logistic, regress for an MLP. */
  problem: z.enum(["regress", "classify"]).optional(),
  split: z
    .strictObject({ train: fraction, validation: fraction, test: fraction })
    .refine((s) => Math.abs(s.train + s.validation + s.test - 1) <= 1e-9, {
      error: "expected train, validation and test fractions summing to 1",
    })
    .optional(),
  /** Feature columns to one-hot encode. */
  categorical: z.array(z.string().min(1)).optional(),
  /** Binary classification: the positive class's label. */
  positive: z.string().optional(),
  dropout: z
    .number()
    .min(0, { error: "expected a rate in [0, 1)" })
    .lt(1, { error: "expected a rate in [0, 1)" })
    .optional(),
  loss: z.enum(["mse", "huber"]).optional(),
  /** Precision of the network's matrix products (default float64). */
  dtype: z.enum(["float64", "float32"]).optional(),
  classWeights: z
    .union([z.literal("balanced"), z.array(z.number().positive()).min(2).max(10_000)])
    .optional(),
  /** Stop after this many epochs without validation improvement (best epoch restored). */
  earlyStopping: z.number().int().min(1, { error: "expected an integer >= 1" }).optional(),
  /**
   * Threads for each mini-batch's loss and gradient (1: this thread; n: this thread and n − 1
   * workers; reproducible for a given n, see parallel/network-model.ts).
   */
  workers: z.number().int().min(1, { error: "expected an integer >= 1" }).optional(),
});

export type TrainNetworkRequest = z.output<typeof trainNetworkRequestSchema>;
