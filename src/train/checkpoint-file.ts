import { z } from "zod";
import { InputError } from "../core/errors.js";
import { jsonPathText } from "../core/schema.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { SPECIAL_NUMBERS, type TrainCheckpoint } from "./train-checkpoint.js";

/** Bounds that refuse absurd sizes before anything is allocated from them. */
const MAX_PARAMS = 50_000_000;
const MAX_RECORDS = 100_000;
const MAX_ENTRIES = 100_000;

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const jsonNumber = z.union([z.number(), z.enum(SPECIAL_NUMBERS)], {
  error: 'expected a number (or "NaN", "Infinity", "-Infinity", "-0")',
});
const numbers = (max: number) => z.array(jsonNumber).max(max);
const record = z.record(z.string(), z.union([jsonNumber, z.record(z.string(), jsonNumber)]));
const warningKind = z.enum(["exploding", "vanishing", "non-finite-loss"]);

const schema = z
  .object({
    format: z.literal("biograd-train-checkpoint"),
    version: z.literal(1),
    layout: z
      .array(
        z.strictObject({
          name: z.string().min(1).max(1000),
          shape: z.array(z.number().int().min(0).max(MAX_PARAMS)).max(8),
        }),
      )
      .min(1)
      .max(MAX_ENTRIES),
    params: numbers(MAX_PARAMS),
    previousParams: numbers(MAX_PARAMS).nullable(),
    bestParams: numbers(MAX_PARAMS).nullable(),
    validationBestParams: numbers(MAX_PARAMS).nullable(),
    transformState: z.json(),
    counters: z.strictObject({ epoch: count, steps: count }),
    rng: z.strictObject({ seed: z.number().int().min(0).max(0xffffffff), modelInit: z.boolean() }),
    stopping: z.strictObject({
      lr: jsonNumber,
      best: jsonNumber,
      sinceBest: count,
      bestValidation: jsonNumber,
      sinceBestValidation: count,
      bestEpoch: count.nullable(),
      bestLoss: jsonNumber,
      referenceLoss: jsonNumber,
      lastImprovement: count,
      stepScale: jsonNumber,
      stepsTakenBack: count,
    }),
    detector: z
      .strictObject({
        recent: z
          .array(
            z.strictObject({
              norm: jsonNumber,
              tensors: numbers(MAX_ENTRIES),
              clipFraction: jsonNumber,
            }),
          )
          .max(MAX_RECORDS),
        raised: z.array(warningKind).max(3),
        small: count,
        firstLoss: jsonNumber,
      })
      .nullable(),
    history: z.strictObject({
      stride: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
      sampled: z.array(record).max(MAX_RECORDS),
      tail: z.array(record).max(MAX_RECORDS),
    }),
    warnings: z
      .array(
        z.strictObject({
          epoch: count,
          kind: warningKind,
          message: z.string().max(10_000),
          parameters: z.array(z.string()).max(MAX_ENTRIES),
        }),
      )
      .max(3),
  })
  .strict()
  .superRefine((cp, ctx) => {
    // Every parameter vector must match the layout it claims.
    const size = cp.layout.reduce((a, e) => a + e.shape.reduce((x, d) => x * d, 1), 0);
    if (size > MAX_PARAMS) {
      ctx.addIssue({
        code: "custom",
        path: ["layout"],
        message: `at most ${MAX_PARAMS} parameters`,
      });
      return;
    }
    for (const key of ["params", "previousParams", "bestParams", "validationBestParams"] as const) {
      const v = cp[key];
      if (v !== null && v.length !== size) {
        const message = `expected ${size} numbers (the layout's size), got ${v.length}`;
        ctx.addIssue({ code: "custom", path: [key], message });
      }
    }
    const tensors = cp.layout.length;
    cp.detector?.recent.forEach((r, i) => {
      if (r.tensors.length !== tensors) {
        const message = `expected ${tensors} numbers (one per tensor), got ${r.tensors.length}`;
        ctx.addIssue({ code: "custom", path: ["detector", "recent", i, "tensors"], message });
      }
    });
  });

/**
 * Checks a training checkpoint read back from `source` (a file name for messages): every field
 * its type, every parameter vector as long as the layout says, no absurd sizes. Refusals are
 * `InputError`s naming the JSON path: `c.json: params[3]: expected a number`.
 */
export function parseCheckpoint(value: unknown, source: string): TrainCheckpoint {
  const result = schema.safeParse(value);
  if (result.success) return result.data as TrainCheckpoint;
  const issue = result.error.issues[0]!;
  const message =
    issue.code === "invalid_union" || issue.message.startsWith("expected a number")
      ? issue.message
      : issue.message.replace(/^Invalid input: /, "");
  throw new InputError(`${source}: ${jsonPathText(issue.path) || "(the top level)"}: ${message}`);
}

/** Writes a checkpoint as JSON, atomically (temp file, fsync, rename). */
export function writeCheckpoint(path: string, checkpoint: TrainCheckpoint): void {
  writeFileAtomic(path, `${JSON.stringify(checkpoint)}\n`);
}
