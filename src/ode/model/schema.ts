/**
 * The model file's schema (`.yaml` or `.json`, documented in docs/ODE.md). It checks shapes
 * only — names and expressions are checked against each other by the compiler, which knows
 * where each one is in the file.
 */
import { z } from "zod";

/** An expression: formula text, or a plain number. */
const expression = z.union([z.string().min(1, "expected a non-empty expression"), z.number()], {
  error: "expected an expression (text or a number)",
});

const parameter = z.strictObject({
  start: z.number({ error: "expected a number" }),
  lower: z.number({ error: "expected a number" }).optional(),
  upper: z.number({ error: "expected a number" }).optional(),
  fixed: z.boolean({ error: "expected true or false" }).optional(),
});

const event = z.strictObject({
  /** Time of the bolus: a number, or an expression of constants (it may differ by condition). */
  at: expression,
  /** The state that receives it. */
  state: z.string({ error: "expected a state name" }),
  /** The amount: an expression of parameters and constants. */
  add: expression,
});

const conditions = z.strictObject({
  /** The data column naming each row's condition. */
  column: z.string({ error: "expected a column name" }).min(1),
  /** Per condition: constants that differ from the model's. */
  constants: z.record(z.string(), z.record(z.string(), z.number({ error: "expected a number" }))),
});

export const odeModelSchema = z.strictObject({
  states: z
    .array(z.string({ error: "expected a state name" }))
    .min(1, "expected at least one state"),
  parameters: z.record(z.string(), parameter).default({}),
  constants: z.record(z.string(), z.number({ error: "expected a number" })).default({}),
  equations: z.record(z.string(), expression),
  initial: z.record(z.string(), expression),
  observables: z.record(z.string(), expression).default({}),
  /** σ per observable: a number > 0, or the name of a constant or parameter. */
  noise: z
    .record(
      z.string(),
      z.union([z.number().positive("expected a number > 0"), z.string().min(1)], {
        error: "expected a number > 0 or a constant or parameter name",
      }),
    )
    .default({}),
  t0: z.number({ error: "expected a number" }).default(0),
  events: z.array(event).default([]),
  conditions: conditions.optional(),
});

export type OdeModelDoc = z.output<typeof odeModelSchema>;
