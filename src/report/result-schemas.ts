import { z } from "zod";

/**
 * What a chart reads from a saved result, checked before anything is drawn: the fields each
 * chart uses, with their types and sizes (other fields are kept as they are). Errors name the
 * JSON path of the bad field (`run.json: history.loss[3]: expected number, received string`).
 */
const MAX_ROWS = 100_000_000;
const num = z.number().nullable();
const column = z.array(num).max(MAX_ROWS);
const name = z.string().min(1).max(1000);

export const historySchema = z
  .looseObject({
    epoch: column,
    loss: column,
    gradNorm: column,
    clippedNorm: column,
    clipFraction: column,
    threshold: column,
    validationLoss: column.optional(),
  })
  .superRefine((h, ctx) => {
    for (const key of ["loss", "gradNorm", "clippedNorm", "clipFraction", "threshold"] as const) {
      if (h[key].length !== h.epoch.length) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `has ${h[key].length} entries for ${h.epoch.length} epochs`,
        });
      }
    }
  });

export const trainRunSchema = z.looseObject({ history: historySchema });

/** The statistics of a saved fit that its chart reads besides what `predict` checks. */
export const fitChartSchema = z.looseObject({
  model: z.looseObject({ name: name, log10Columns: z.array(name).max(1000).optional() }),
  settings: z.looseObject({
    request: z.looseObject({
      data: z.looseObject({
        file: name,
        na: z.array(z.string()).max(100).optional(),
        delimiter: z.string().max(10).optional(),
        sheet: z.string().min(1).max(1000).optional(),
      }),
    }),
  }),
  result: z.looseObject({
    std_errors: z.record(name, num),
    correlation: z.record(name, z.record(name, num)).nullable(),
    /** Cov(θ̂) of the free parameters (fits saved since the covariance was added). */
    covariance: z.record(name, z.record(name, num)).nullable().optional(),
    sigma: num,
    df: z.number().int().min(0),
    fixed: z.array(name),
    conf_level: z.number().gt(0).lt(1),
    rss: z.number(),
  }),
});

export const sweepResultSchema = z.looseObject({
  command: z.literal("sweep"),
  runs: z
    .array(
      z.looseObject({
        clip: name,
        threshold: num,
        lr: z.number(),
        diverged: z.string().max(100).nullable(),
        finalLoss: num,
      }),
    )
    .max(10_000_000),
  recommendation: z.looseObject({
    found: z.boolean(),
    kind: name.nullable(),
    lr: num,
    thresholds: z.tuple([z.number(), z.number()]).nullable(),
  }),
});

export const groupFitsSchema = z.looseObject({
  kind: z.literal("group-fits"),
  model: z.looseObject({ name: name, params: z.array(name).min(1).max(1000) }),
  groups: z
    .array(
      z.looseObject({
        group: z.array(z.string().max(1000)).max(100),
        converged: z.boolean(),
        flags: z.array(z.string().max(200)).max(100),
        estimate: z.record(name, num),
      }),
    )
    .max(10_000_000),
});

/** What the per-group curve charts read besides the summary's fields: the model and the data. */
export const groupCurvesSchema = groupFitsSchema.extend({
  model: z.looseObject({
    name: name,
    formula: z.string().min(1).max(100_000),
    params: z.array(name).min(1).max(1000),
    variables: z.array(name).min(1).max(1000),
    columns: z.array(name).min(1).max(1000),
    constants: z.record(name, z.number()).optional(),
  }),
  settings: z.looseObject({
    request: z.looseObject({
      data: z.looseObject({
        file: name,
        na: z.array(z.string()).max(100).optional(),
        delimiter: z.string().max(10).optional(),
      }),
      y: name,
      group: z.array(name).min(1).max(100),
    }),
  }),
});

/** A fit saved with `--ci profile`: its request, estimates, level and saved limits. */
export const profiledFitSchema = z.looseObject({
  settings: z.looseObject({ request: z.unknown() }),
  result: z.looseObject({
    estimates: z.record(name, z.number()),
    conf_level: z.number().gt(0).lt(1),
    profile: z
      .looseObject({ lower: z.record(name, num), upper: z.record(name, num) })
      .nullable()
      .optional(),
  }),
});
