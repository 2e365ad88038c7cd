import { z } from "zod";
import { AGC_AXES } from "./clip-adaptive-unitwise.js";
import { NON_FINITE_POLICIES } from "./non-finite.js";

/**
 * The JSON description of a whole transform chain — the non-finite guard, one clip, the
 * optimizer and its learning-rate schedule — shared by every front end (CLI flags through
 * spec-text.ts, task requests, sweep cells). `buildTransform` (build.ts) is its one builder.
 *
 *   { "guard": "error", "clip": { "kind": "global-norm", "threshold": 1 },
 *     "optimizer": { "name": "adam", "lr": 0.01 }, "schedule": { "kind": "cosine" } }
 *
 * Every clip has a `threshold`, its main setting in its own measure (value: the bound α,
 * norm kinds: the norm c, block-rms: the RMS, agc: λ, autoclip: the percentile p, zclip: z*),
 * plus the options its transform takes. Domains that the schema can state are checked here
 * (so a request's error names the JSON path); the transforms check again when built.
 */

export const CLIP_KINDS = [
  "value",
  "norm",
  "global-norm",
  "global-norm-inf",
  "block-rms",
  "agc",
  "autoclip",
  "zclip",
] as const;
export type ClipKind = (typeof CLIP_KINDS)[number];

export const OPTIMIZER_NAMES = ["sgd", "adam", "adamw"] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

export const SCHEDULE_KINDS = ["constant", "step", "exp", "cosine"] as const;

const number = () => z.number({ error: "expected a finite number" });
const positive = () => number().positive({ error: "expected a number > 0" });
const nonNegative = () => number().min(0, { error: "expected a number >= 0" });
const unit = () =>
  number()
    .min(0, { error: "expected a number in [0, 1)" })
    .lt(1, { error: "expected a number in [0, 1)" });
const positiveInt = () =>
  number().int({ error: "expected an integer" }).min(1, { error: "expected an integer >= 1" });
const nonNegativeInt = () =>
  number().int({ error: "expected an integer" }).min(0, { error: "expected an integer >= 0" });
/** A decay factor: the rate may only shrink (a factor above 1 grows it without bound). */
const decay = () =>
  number()
    .positive({ error: "expected a decay factor in (0, 1]" })
    .max(1, { error: "expected a decay factor in (0, 1]" });
const policy = () => z.enum(NON_FINITE_POLICIES, { error: 'expected "error", "skip" or "zero"' });

const clip = <K extends ClipKind, S extends z.ZodRawShape>(
  kind: K,
  threshold: z.ZodNumber,
  extra: S,
) =>
  z.strictObject({
    kind: z.literal(kind),
    threshold,
    onNonFinite: policy().optional(),
    ...extra,
  });

/**
 * Each schema is built on first use (memoised): building them costs about 10 ms of CPU at
 * start-up, which every `biograd fit` would pay though a curve fit only reads them for
 * `--clip`/`--optimizer`/`--schedule`.
 */
function memoised<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
}

export const clipSpecSchema = memoised(() =>
  z.discriminatedUnion(
    "kind",
    [
      z.strictObject({ kind: z.literal("none") }),
      clip("value", positive(), { min: number().optional() }),
      clip("norm", positive(), {}),
      clip("global-norm", positive(), {}),
      clip("global-norm-inf", positive(), {}),
      clip("block-rms", positive(), {}),
      clip("agc", positive(), {
        eps: positive().optional(),
        axis: z.enum(AGC_AXES).optional(),
      }),
      clip(
        "autoclip",
        number()
          .min(0, { error: "expected a percentile in [0, 100]" })
          .max(100, { error: "expected a percentile in [0, 100]" }),
        { historySize: positiveInt().optional(), includeCurrent: z.boolean().optional() },
      ),
      clip("zclip", positive(), {
        alpha: unit().optional(),
        /** The hard cap on the norm; null for none (JSON has no Infinity). */
        maxNorm: z.union([positive(), z.null()]).optional(),
        eps: nonNegative().optional(),
        warmupSteps: positiveInt().optional(),
        mode: z.enum(["adaptive-scaling", "mean", "percentile"]).optional(),
        clipFactor: positive().optional(),
        freezeStatsOnSpike: z.boolean().optional(),
      }),
    ],
    { error: `expected a clip kind: none, ${CLIP_KINDS.join(", ")}` },
  ),
);

const adamSettings = () => ({
  lr: positive(),
  b1: unit().optional(),
  b2: unit().optional(),
  eps: positive().optional(),
});

export const optimizerSpecSchema = memoised(() =>
  z.discriminatedUnion(
    "name",
    [
      z.strictObject({
        name: z.literal("sgd"),
        lr: positive(),
        momentum: unit().optional(),
        nesterov: z.boolean().optional(),
      }),
      z.strictObject({ name: z.literal("adam"), ...adamSettings() }),
      z.strictObject({
        name: z.literal("adamw"),
        ...adamSettings(),
        weightDecay: nonNegative().optional(),
      }),
    ],
    { error: `expected an optimizer name: ${OPTIMIZER_NAMES.join(", ")}` },
  ),
);

/** Linear warm-up steps before the schedule (0: none). */
const warmup = () => ({ warmup: nonNegativeInt().optional() });

export const scheduleSpecSchema = memoised(() =>
  z.discriminatedUnion(
    "kind",
    [
      z.strictObject({ kind: z.literal("constant"), ...warmup() }),
      z.strictObject({
        kind: z.literal("step"),
        every: positiveInt(),
        gamma: decay(),
        ...warmup(),
      }),
      z.strictObject({ kind: z.literal("exp"), gamma: decay(), ...warmup() }),
      z.strictObject({ kind: z.literal("cosine"), minLr: nonNegative().optional(), ...warmup() }),
    ],
    { error: `expected a schedule kind: ${SCHEDULE_KINDS.join(", ")}` },
  ),
);

export const transformSpecSchema = memoised(() =>
  z.strictObject({
    guard: policy().default("error"),
    clip: clipSpecSchema().default({ kind: "none" }),
    optimizer: optimizerSpecSchema(),
    schedule: scheduleSpecSchema().optional(),
  }),
);

export type ClipSpec = z.infer<ReturnType<typeof clipSpecSchema>>;
export type OptimizerSpec = z.infer<ReturnType<typeof optimizerSpecSchema>>;
export type ScheduleSpec = z.infer<ReturnType<typeof scheduleSpecSchema>>;
/** A parsed spec (defaults filled in). */
export type TransformSpec = z.output<ReturnType<typeof transformSpecSchema>>;
/** A spec as written (guard and clip may be left out). */
export type TransformSpecInput = z.input<ReturnType<typeof transformSpecSchema>>;
