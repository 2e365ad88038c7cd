import { z } from "zod";
import { fileSourceSchema } from "../tasks/data-source-schema.js";
import { fitCurveRequestSchema } from "../tasks/fit-curve-request.js";
import { firstOrderCellSchema } from "../tasks/sweep-cell-request.js";
import { sweepCellResultSchema } from "../tasks/sweep-cell-result.js";
import { trainLinearRequestSchema } from "../tasks/train-linear-schema.js";
import { trainNetworkRequestSchema } from "../tasks/train-network-schema.js";
import type { RunRecord } from "./record.js";
import type { RunSpec } from "./spec.js";

/**
 * Schemas of what the sweep journal holds — a sweep-cell request and its result — checked on
 * every line read back, so a line with valid JSON but the wrong shape never reaches the
 * aggregation. They are the task's own schemas, narrowed to what a sweep writes: the data
 * is a file (never inline columns), and lists are capped far above any real sweep so that a
 * damaged or hostile line cannot allocate at will. The `satisfies` lines below fail to
 * compile when these drift apart from the task's types.
 */
const MAX_NAMES = 1000;
const columns = z.array(z.string().min(1).max(256)).min(1).max(MAX_NAMES);
const file = fileSourceSchema.extend({ file: z.string().min(1).max(4096) });

const trainLinear = trainLinearRequestSchema.extend({ data: file, x: columns });
const trainNetwork = trainNetworkRequestSchema.extend({
  data: file,
  x: columns.optional(),
  categorical: columns.optional(),
});
const fitCurve = fitCurveRequestSchema.extend({ data: file });

export const runSpecSchema = z
  .strictObject({
    task: z.literal("sweep-cell"),
    run: z.discriminatedUnion("task", [trainLinear, trainNetwork, fitCurve]),
    firstOrder: firstOrderCellSchema.optional(),
    dataSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  })
  .refine((cell) => (cell.run.task === "fit-curve") === (cell.firstOrder !== undefined), {
    error: "firstOrder: expected for fit-curve runs only",
    path: ["firstOrder"],
  });

export const runRecordSchema = sweepCellResultSchema;

// Compile-time checks that the schemas and the types describe the same data.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
true satisfies Same<z.infer<typeof runRecordSchema>, RunRecord>;
true satisfies Same<Omit<z.infer<typeof runSpecSchema>, "run">, Omit<RunSpec, "run">>;
type NarrowedRun = z.infer<typeof runSpecSchema>["run"];
true satisfies [NarrowedRun] extends [RunSpec["run"]] ? true : false;
