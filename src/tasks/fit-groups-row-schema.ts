import { z } from "zod";
import { lazySchema } from "../core/lazy-schema.js";
import type { GroupRow } from "./fit-groups-row.js";

/**
 * The schema of a group's row as read back (a worker's chunk result, a queue job's result).
 * It lives apart from fit-groups-row.ts so that the code that builds rows — the fitting
 * worker's bundle among it — does not load zod; only the side that reads rows back does
 * (and only when it reads rows back: the schemas are built on first use, core/lazy-schema.ts).
 */
const num = () => z.number().nullable();
const byName = () => z.record(z.string(), num());

export const groupRowSchema = lazySchema(() =>
  z
    .object({
      group: z.array(z.string()),
      n: z.number().int(),
      converged: z.boolean(),
      rss: num(),
      r2: num(),
      aicc: num(),
      flags: z.array(z.string()),
      estimate: byName(),
      se: byName(),
      lower: byName(),
      upper: byName(),
      reason: z.string().nullable(),
      detail: z.record(z.string(), z.unknown()),
      warnings: z.array(z.string()),
      correlation: z.record(z.string(), byName()).nullable(),
    })
    .strict(),
);

export const chunkResultSchema = lazySchema(() => z.array(groupRowSchema));

// The schema and the hand-written GroupRow type must describe the same object: each side
// fails to compile here when a field is added to one and not the other.
type Parsed = z.infer<typeof groupRowSchema>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const rowTypesAgree: Same<Parsed, GroupRow> = true;
void rowTypesAgree;
