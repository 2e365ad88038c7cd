import { z } from "zod";
import { dataSourceSchema } from "./data-source-schema.js";

/**
 * A `predict` request: a saved model (the file's path, or its JSON inline), and where to
 * evaluate it — rows of `data` (the columns it was fitted on, read by name) or `at`, values
 * of a one-variable curve's variable. Networks read their data from a file.
 */
export const predictRequestSchema = z
  .object({
    task: z.literal("predict"),
    model: z.union([
      z.object({ file: z.string().min(1) }).strict(),
      z.object({ saved: z.unknown() }).strict(),
    ]),
    data: dataSourceSchema.optional(),
    at: z.array(z.number()).min(1).max(10_000_000).optional(),
    /** Use a fit saved with `converged: false` (refused by default). */
    allowUnconverged: z.boolean().optional(),
    /** Curve fits: delta-method interval of the curve (confidence) or of a new observation (prediction). */
    interval: z.enum(["confidence", "prediction"]).optional(),
    /** The interval's level. Default 0.95. */
    level: z.number().gt(0).lt(1).optional(),
  })
  .strict();

export type PredictRequest = z.infer<typeof predictRequestSchema>;
