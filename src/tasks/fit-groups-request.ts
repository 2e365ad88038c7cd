import { z } from "zod";
import { fitCurveRequestSchema } from "./fit-curve-request.js";

/**
 * A grouped curve-fit request: a `fit-curve` request over one file whose rows are split by
 * the `group` columns (read as text; groups in order of first appearance), each group fitted
 * on its own. `share` fits all groups at once with those parameters common
 * (`fitGlobal`); `compareShared` also fits the unshared model and tests the difference.
 * `engine`: "exact" (default) is the single-fit pipeline per group, bit for bit what
 * `biograd fit` gives on the group's rows; "fast" is the many-curves LM path (src/nls/many),
 * which agrees with it to about 1e-7 relative.
 */
export const fitGroupsRequestSchema = fitCurveRequestSchema
  .omit({ task: true })
  .extend({
    task: z.literal("fit-groups"),
    group: z.array(z.string().min(1).max(1000)).min(1).max(20),
    share: z.array(z.string().min(1).max(1000)).min(1).max(1000).optional(),
    compareShared: z.boolean().optional(),
    engine: z.enum(["exact", "fast"]).optional(),
  })
  .strict();

export type FitGroupsRequest = z.infer<typeof fitGroupsRequestSchema>;
