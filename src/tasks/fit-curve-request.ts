import { z } from "zod";
import { lazySchema } from "../core/lazy-schema.js";
import { dataSourceSchema } from "./data-source-schema.js";
import { MAX_MODEL, MAX_NAME, MAX_NAMES } from "./fit-curve-limits.js";

/**
 * A curve-fit request: plain JSON, what `biograd fit`, the sweep, the batch runner and the
 * server all build. Infinite bounds are `null` (JSON has no Infinity); a parameter's order
 * never depends on the order of an object's keys.
 */
const name = () => z.string().min(1).max(MAX_NAME);
const numbers = () =>
  z.record(name(), z.number()).refine((r) => Object.keys(r).length <= MAX_NAMES, {
    message: `at most ${MAX_NAMES} names`,
  });

// Built on first use (core/lazy-schema.ts): `biograd fit` checks its own requests without zod.
export const boundSchema = lazySchema(() =>
  z
    .object({ lower: z.number().nullable().optional(), upper: z.number().nullable().optional() })
    .strict(),
);

export const fitCurveRequestSchema = lazySchema(() =>
  z
    .object({
      task: z.literal("fit-curve"),
      data: dataSourceSchema,
      /** A library model's name (`biograd models`) or a formula such as "Vm*x/(K+x)". */
      model: z.string().min(1).max(MAX_MODEL),
      /**
       * Which column holds each of the model's variables: `{ S: "substrate", I: "inhibitor" }`,
       * or a list of columns (a formula's variables are then the column names; a library model
       * must have one variable).
       */
      x: z.union([z.array(name()).min(1).max(MAX_NAMES), z.record(name(), name())]),
      y: name(),
      start: numbers().optional(),
      fix: numbers().optional(),
      bounds: z.record(name(), boundSchema).optional(),
      constants: numbers().optional(),
      /** A column of weights, or "1/y" / "1/y^2" (weights by the observed response). */
      weights: z.string().min(1).max(MAX_NAME).optional(),
      phases: z
        .array(z.enum(["clipped", "lm"]))
        .min(1)
        .max(2)
        .optional(),
      codegen: z.boolean().optional(),
      /** Confidence level of the intervals. */
      level: z.number().gt(0).lt(1).optional(),
      /** Intervals: Wald (default) or also profile-likelihood ones beside them. */
      ci: z.enum(["wald", "profile"]).optional(),
      /**
       * Columns (among the model's) fitted on their log10: `["conc"]` fits a 4pl on log10(conc).
       * Every value must be > 0. Predictions take the column's values as they are in the file.
       */
      logX: z.array(name()).min(1).max(MAX_NAMES).optional(),
      /** Also return every row's x, y, fitted value, residual and weight (`fit --residuals`). */
      residuals: z.boolean().optional(),
    })
    .strict(),
);

export type FitCurveRequest = z.infer<typeof fitCurveRequestSchema>;

/**
 * How messages name the request's fields: the JSON field by default, the command-line option
 * when `biograd fit` made the request (`--x`, `--start`).
 */
export interface FieldLabels {
  model: string;
  x: string;
  start: string;
  fix: string;
  bounds: string;
  constants: string;
  weights: string;
  logX: string;
}

export const JSON_LABELS: FieldLabels = {
  model: "model",
  x: "x",
  start: "start",
  fix: "fix",
  bounds: "bounds",
  constants: "constants",
  weights: "weights",
  logX: "logX",
};
