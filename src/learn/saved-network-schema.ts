import { z } from "zod";
import { InputError } from "../core/errors.js";
import { parseMlpSpec } from "../nn/models/spec.js";

/**
 * The schema of a saved network (`train --save`), checked before anything reaches a typed
 * array: types, nulls, lengths and sizes, each refused with its JSON path
 * (`net.json: params.dense1.b: expected an array of 16 numbers`).
 */
const MAX_NAME = 1000;
/** More parameters than any file biograd writes could hold. */
export const MAX_PARAMETERS = 50_000_000;

const finite = z.number({ error: "expected a finite number" });
const name = z.string().min(1).max(MAX_NAME);

const specSchema = z.strictObject({
  model: z.string().max(200),
  task: z.enum(["regress", "classify"]),
  loss: z.enum(["mse", "huber"]).optional(),
  dropout: finite.min(0).lt(1).optional(),
  classWeights: z.union([z.literal("balanced"), z.array(finite.positive()).max(10_000)]).optional(),
  classes: z.number().int().min(2).max(10_000).optional(),
});

const inputSchema = z.union([
  z.strictObject({ name, type: z.literal("numeric") }),
  z.strictObject({
    name,
    type: z.literal("categorical"),
    levels: z.array(z.string()).min(1).max(100_000),
    drop: z.enum(["none", "first"]),
  }),
]);

export const savedNetworkSchema = z.object({
  biograd: z.string(),
  kind: z.literal("network"),
  createdAt: z.string(),
  spec: specSchema,
  layout: z
    .array(z.strictObject({ name, shape: z.array(z.number().int().min(0)).max(4) }))
    .max(1000),
  /** Checked against the architecture's shapes by `checkParams`. */
  params: z.record(z.string(), z.unknown()),
  preprocessing: z.strictObject({
    encoder: z.strictObject({
      inputs: z.array(inputSchema).min(1).max(100_000),
      features: z.array(z.string()).max(1_000_000),
    }),
    standardizer: z.unknown(),
    labels: z.union([
      z.null(),
      z.strictObject({
        column: z.string(),
        task: z.enum(["binary", "multiclass"]),
        levels: z.array(z.string()).min(2).max(10_000),
      }),
    ]),
    target: z.string(),
    targetScale: z.union([z.null(), z.strictObject({ mean: finite, sd: finite.positive() })]),
  }),
  training: z.record(z.string(), z.unknown()),
  metrics: z.unknown(),
});

export type SavedNetworkDocument = z.output<typeof savedNetworkSchema>;

/**
 * The parameter shapes the saved architecture needs for `inputs` features, computed without
 * building the network (so `mlp:100000000` allocates nothing): dense1.W [in, h1], dense1.b
 * [h1], …, last layer [h, outputs].
 */
export function expectedShapes(
  path: string,
  doc: SavedNetworkDocument,
  inputs: number,
): { name: string; shape: number[]; size: number }[] {
  const { spec } = doc;
  let hidden: readonly number[] = [];
  if (spec.model !== "logistic") {
    try {
      hidden = parseMlpSpec(spec.model).hidden;
    } catch (error) {
      throw new InputError(`${path}: spec.model: ${(error as Error).message}`);
    }
  }
  const labels = doc.preprocessing.labels;
  if (spec.task === "classify" && labels === null) {
    throw new InputError(
      `${path}: preprocessing.labels: expected the class labels of a classifier`,
    );
  }
  if (spec.task === "regress" && labels !== null) {
    throw new InputError(`${path}: preprocessing.labels: expected null for a regression`);
  }
  const classes = labels?.levels.length ?? 0;
  if (spec.classes !== undefined && spec.classes !== classes) {
    throw new InputError(`${path}: spec.classes: expected ${classes}, one per label level`);
  }
  const outputs = spec.task === "regress" || classes === 2 ? 1 : classes;
  const widths = [inputs, ...hidden, outputs];
  const shapes: { name: string; shape: number[]; size: number }[] = [];
  let total = 0;
  for (let l = 0; l + 1 < widths.length; l++) {
    const [a, b] = [widths[l]!, widths[l + 1]!];
    shapes.push({ name: `dense${l + 1}.W`, shape: [a, b], size: a * b });
    shapes.push({ name: `dense${l + 1}.b`, shape: [b], size: b });
    total += a * b + b;
    if (total > MAX_PARAMETERS) {
      throw new InputError(
        `${path}: spec.model: "${spec.model}" has more than ${MAX_PARAMETERS} parameters`,
      );
    }
  }
  return shapes;
}

/** Each saved parameter has exactly the values its shape needs (a scalar for a 0-d shape). */
export function checkParams(
  path: string,
  doc: SavedNetworkDocument,
  shapes: { name: string; shape: number[]; size: number }[],
): void {
  for (const { name, size } of shapes) {
    const v = doc.params[name];
    if (
      !Array.isArray(v) ||
      v.length !== size ||
      !v.every((x) => typeof x === "number" && Number.isFinite(x))
    ) {
      throw new InputError(
        `${path}: params.${name}: expected an array of ${size} number${size === 1 ? "" : "s"}`,
      );
    }
  }
  const extra = Object.keys(doc.params).find((k) => !shapes.some((s) => s.name === k));
  if (extra !== undefined) {
    throw new InputError(`${path}: params.${extra}: not a parameter of ${doc.spec.model}`);
  }
}
