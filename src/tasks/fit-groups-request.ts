import { z } from "zod";
import { lazySchema } from "../core/lazy-schema.js";
import { fitCurveRequestSchema } from "./fit-curve-request.js";
import { MAX_GROUP_COLUMNS, MAX_GROUP_NAME, MAX_SHARED } from "./fit-groups-limits.js";

/**
 * A grouped curve-fit request: a `fit-curve` request over one file whose rows are split by
 * the `group` columns (read as text; groups in order of first appearance), each group fitted
 * on its own. `share` fits all groups at once with those parameters common
 * (`fitGlobal`); `compareShared` also fits the unshared model and tests the difference.
 * `engine`: "exact" (default) is the single-fit pipeline per group, bit for bit what
 * `biograd fit` gives on the group's rows; "fast" is the many-curves LM path (src/nls/many),
 * which agrees with it to about 1e-7 relative.
 */
export const fitGroupsRequestSchema = lazySchema(() =>
  fitCurveRequestSchema
    .omit({ task: true })
    .extend({
      task: z.literal("fit-groups"),
      group: z.array(z.string().min(1).max(MAX_GROUP_NAME)).min(1).max(MAX_GROUP_COLUMNS),
      share: z.array(z.string().min(1).max(MAX_GROUP_NAME)).min(1).max(MAX_SHARED).optional(),
      compareShared: z.boolean().optional(),
      engine: z.enum(["exact", "fast"]).optional(),
    })
    .strict(),
);

export type FitGroupsRequest = z.infer<typeof fitGroupsRequestSchema>;
