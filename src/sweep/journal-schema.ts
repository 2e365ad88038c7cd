import { z } from "zod";
import type { RunRecord } from "./record.js";
import { CLIP_KINDS, OPTIMIZER_NAMES, type RunSpec } from "./spec.js";

/**
 * Schemas of what the sweep journal holds (a run spec and its record), checked on every line
 * read back: a line with valid JSON but the wrong shape never reaches the aggregation. Sizes
 * are capped far above any real sweep so a damaged or hostile line cannot allocate at will.
 * Keep in step with spec.ts and record.ts (the `satisfies` lines below fail to compile when
 * they drift apart).
 */
const text = z.string().max(4096);
const name = z.string().min(1).max(256);
const count = z.number().int().min(0).max(1e12);
const positive = z.number().positive();
/** A loss as the record keeps it: finite, or null for a non-finite one. */
const loss = z.number().nullable();

const clip = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("none") }),
  z.strictObject({ kind: z.enum(CLIP_KINDS), threshold: positive }),
]);

const optimizer = z.strictObject({
  name: z.enum(OPTIMIZER_NAMES),
  lr: positive,
  momentum: z.number().min(0).max(1).optional(),
  nesterov: z.boolean().optional(),
  b1: z.number().min(0).max(1).optional(),
  b2: z.number().min(0).max(1).optional(),
  eps: positive.optional(),
  weightDecay: z.number().min(0).optional(),
});

const data = {
  file: text,
  fileSha256: z.string().max(128),
  x: z.array(name).min(1).max(1000),
  y: name,
  na: z.array(z.string().max(256)).max(100).nullable(),
  delimiter: z.string().max(8).nullable(),
};
const common = {
  clip,
  optimizer,
  onNonFinite: z.enum(["error", "skip", "zero"]),
  lossThreshold: z.number().min(0).nullable(),
  seed: z.number().int().min(0).max(0xffffffff),
};

const trainSpec = z.strictObject({
  command: z.literal("train"),
  ...data,
  ...common,
  model: z.literal("linear"),
  epochs: count.min(1),
  batchSize: count.min(1).nullable(),
});

const fitSpec = z.strictObject({
  command: z.literal("fit"),
  ...data,
  ...common,
  formula: text,
  variables: z.array(name).min(1).max(1000),
  constants: z.record(name, z.number()),
  parameters: z
    .array(
      z.strictObject({
        name,
        start: z.number(),
        lower: z.number().nullable(),
        upper: z.number().nullable(),
        fixed: z.boolean(),
      }),
    )
    .min(1)
    .max(1000),
  steps: count.min(1),
  startJitter: z.number().min(0),
});

export const runSpecSchema = z.discriminatedUnion("command", [trainSpec, fitSpec]);

export const runRecordSchema = z.strictObject({
  initialLoss: loss,
  finalLoss: loss,
  bestLoss: loss,
  lastLoss: loss,
  epochs: count,
  stopReason: z.string().min(1).max(64),
  epochsToThreshold: count.nullable(),
  clipFraction: z.number().min(0).max(1),
  nonFiniteGradient: z.boolean(),
  timeMs: z.number().min(0),
});

// Compile-time checks that the schemas and the types describe the same data.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
true satisfies Same<z.infer<typeof runRecordSchema>, RunRecord>;
true satisfies Same<z.infer<typeof runSpecSchema>, RunSpec>;
