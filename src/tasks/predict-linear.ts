import { z } from "zod";
import { InputError } from "../core/errors.js";
import { parseWith } from "../core/schema.js";

/**
 * The part of a linear `train --out` file (src/cli/run-file.ts) that prediction reads back:
 * `kind: "linear"` and `model: { features, target, w, b }`, ŷ = Σ_j w_j·x_j + b over the
 * named feature columns. Validated before use: wrong types, nulls (a diverged run's NaN is
 * written as null), a `w` whose length is not the feature count, absurd sizes are refused
 * with the field's JSON path. Other fields (settings, history) are kept as they are.
 */
const MAX_FEATURES = 100_000;
const name = z.string().min(1).max(1000);

const savedLinearSchema = z
  .looseObject({
    kind: z.literal("linear"),
    /** false for a run saved as failed (diverged or interrupted): refused unless allowed. */
    converged: z.boolean().optional(),
    stopReason: z.string().max(100).optional(),
    model: z.looseObject({
      features: z.array(name).min(1).max(MAX_FEATURES),
      target: name,
      w: z.array(z.number()).min(1).max(MAX_FEATURES),
      b: z.number(),
    }),
  })
  .superRefine((doc, ctx) => {
    const { features, w } = doc.model;
    if (w.length !== features.length) {
      ctx.addIssue({
        code: "custom",
        path: ["model", "w"],
        message: `has ${w.length} weights for ${features.length} features`,
      });
    }
  });

export type SavedLinear = z.infer<typeof savedLinearSchema>;

/** A linear run file, checked; refused when it did not finish unless `allowUnconverged`. */
export function loadSavedLinear(doc: unknown, where: string, allowUnconverged: boolean) {
  const saved = parseWith(savedLinearSchema, doc, where);
  if (saved.converged === false && !allowUnconverged) {
    const why = saved.stopReason ? ` (stopped: ${saved.stopReason})` : "";
    throw new InputError(
      `${where}: converged: the run did not finish${why}, so its weights are not to be trusted ` +
        "(train again, or predict with --allow-unconverged)",
    );
  }
  return saved;
}

/** ŷ for each row, summed in the trainer's order (b, then w_j·x_j for j = 0, 1, …). */
export function linearPredictions(saved: SavedLinear, columns: readonly Float64Array[]) {
  const { features, target, w, b } = saved.model;
  const n = columns[0]!.length;
  const rows = Array.from({ length: n }, (_, i) => {
    let pred = b;
    for (let j = 0; j < w.length; j++) pred += columns[j]![i]! * w[j]!;
    return [...columns.map((c) => String(c[i])), String(pred)];
  });
  return { columns: [...features, `${target}_predicted`], rows };
}
