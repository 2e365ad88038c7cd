import { z } from "zod";
import { InputError } from "../core/errors.js";
import { parseWith } from "../core/schema.js";
import type { FieldLabels } from "../tasks/fit-curve-request.js";
import type { GroupsChunk } from "../tasks/fit-groups-chunk.js";
import { fitGroupsRequestSchema } from "../tasks/fit-groups-request.js";

/**
 * A chunk of groups as JSON for a queue job. Columns travel as the base64 of their float64
 * bytes (little-endian): exact to the bit, NaN (a missing value) included, and about 11
 * characters a number instead of up to 24 for decimal text. Decoding checks everything with
 * zod before a typed array is made, as for any JSON biograd reads back.
 */
const MAX_GROUPS = 100_000;
const base64 = z
  .string()
  .max(64 * 1024 * 1024)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/);

const labelsSchema = z.strictObject({
  model: z.string(),
  x: z.string(),
  start: z.string(),
  fix: z.string(),
  bounds: z.string(),
  constants: z.string(),
  weights: z.string(),
  logX: z.string(),
}) satisfies z.ZodType<FieldLabels>;

export const encodedChunkSchema = z.strictObject({
  request: z.record(z.string(), z.unknown()),
  labels: labelsSchema,
  groups: z
    .array(
      z.strictObject({
        key: z.array(z.string().max(10_000)).max(20),
        columns: z.array(base64).max(1000),
      }),
    )
    .max(MAX_GROUPS),
});

export type EncodedChunk = z.infer<typeof encodedChunkSchema>;

export function encodeChunk(chunk: GroupsChunk): EncodedChunk {
  return {
    request: chunk.request as unknown as Record<string, unknown>,
    labels: { ...chunk.labels },
    groups: chunk.groups.map((g) => ({
      key: [...g.key],
      columns: g.columns.map((c) => floatsToBase64(c)),
    })),
  };
}

/** The chunk a job carries, checked; `where` names the job in messages. */
export function decodeChunk(value: unknown, where: string): GroupsChunk {
  const encoded = parseWith(encodedChunkSchema, value, where);
  const request = parseWith(fitGroupsRequestSchema, encoded.request, `${where}: request`);
  return {
    request,
    labels: encoded.labels,
    groups: encoded.groups.map((g, i) => ({
      key: g.key,
      columns: g.columns.map((text, j) =>
        base64ToFloats(text, `${where}: groups[${i}].columns[${j}]`),
      ),
    })),
  };
}

function floatsToBase64(values: Float64Array): string {
  const bytes = Buffer.alloc(values.length * 8);
  for (let i = 0; i < values.length; i++) bytes.writeDoubleLE(values[i]!, i * 8);
  return bytes.toString("base64");
}

function base64ToFloats(text: string, where: string): Float64Array {
  const bytes = Buffer.from(text, "base64");
  if (bytes.length % 8 !== 0) {
    throw new InputError(`${where}: ${bytes.length} bytes is not a whole number of float64 values`);
  }
  const out = new Float64Array(bytes.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readDoubleLE(i * 8);
  return out;
}
