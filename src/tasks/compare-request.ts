import { z } from "zod";
import { dataSourceSchema } from "./data-source-schema.js";
import { boundSchema, fitCurveRequestSchema } from "./fit-curve-request.js";

/**
 * A `compare-models` request: the same data fitted by each of `models` with the same options
 * as a `fit-curve` request (x, y, weights, phases, log10 columns…), compared by AICc weights
 * and, for each consecutive pair whose first model has fewer parameters, the extra-sum-of-
 * squares F test: listing `4pl,5pl` asserts that the 4pl is nested in the 5pl. `start`, `fix`
 * and `bounds` apply to the models that have the parameter (a name no model has is refused).
 * With `group`, every group of rows (by the values of those columns) is compared separately;
 * a group that fails is recorded with its reason and never stops the others.
 */
const name = z.string().min(1).max(1000);
const fit = fitCurveRequestSchema.shape;

export const compareModelsRequestSchema = z
  .object({
    task: z.literal("compare-models"),
    data: dataSourceSchema,
    models: z.array(z.string().min(1).max(10_000)).min(2).max(20),
    x: fit.x,
    y: name,
    group: z.array(name).min(1).max(20).optional(),
    start: fit.start,
    fix: fit.fix,
    bounds: z.record(name, boundSchema).optional(),
    constants: fit.constants,
    weights: fit.weights,
    phases: fit.phases,
    codegen: fit.codegen,
    level: fit.level,
    logX: fit.logX,
    /** Significance level of the F tests. Default 0.05. */
    alpha: z.number().gt(0).lt(1).optional(),
  })
  .strict();

export type CompareModelsRequest = z.infer<typeof compareModelsRequestSchema>;
