import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { z } from "zod";
import { InputError } from "../core/errors.js";
import { parseWith } from "../core/schema.js";
import { VERSION } from "../version.js";
import type { QueueKeys } from "./keys.js";

/** What a queue job runs: a chunk of a grouped fit, or one sweep cell (a task-layer request). */
export const JOB_KINDS = ["fit-groups-chunk", "sweep-cell"] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/**
 * Payloads up to this size travel inside the job (BullMQ stores a job's data as one JSON
 * string in Redis). A grouped fit's chunk of 50 curves of 24 points is about 20 KB.
 */
export const INLINE_LIMIT_BYTES = 256 * 1024;

/**
 * A job's data: biograd's version (a worker of another version refuses the job), the kind,
 * and the payload inline, or where a larger one is: a file under the shared directory every
 * worker sees at the same path (`--queue-share`), or a Redis key beside the queue.
 */
export const jobDataSchema = z.strictObject({
  biograd: z.string(),
  kind: z.enum(JOB_KINDS),
  payload: z.unknown().optional(),
  file: z.string().min(1).max(4096).optional(),
  redisKey: z.string().min(1).max(1000).optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type QueueJobData = z.infer<typeof jobDataSchema>;

export interface PreparedJob {
  /** The deterministic job id: the same request by the same biograd gets the same id. */
  id: string;
  data: QueueJobData;
  /** The payload's JSON size, bytes. */
  bytes: number;
}

/**
 * Makes a job from a payload: its id is the SHA-256 of biograd's version, the kind and the
 * payload's JSON, so resubmitting a batch finds the jobs (and results) it made before.
 */
export async function prepareJob(
  kind: JobKind,
  payload: unknown,
  where: { redis: Redis; keys: QueueKeys; shareDir?: string | null },
): Promise<PreparedJob> {
  const text = JSON.stringify(payload);
  const sha256 = createHash("sha256").update(text).digest("hex");
  const id = `j${createHash("sha256").update(`${VERSION}\n${kind}\n${sha256}`).digest("hex")}`;
  const bytes = Buffer.byteLength(text);
  const data: QueueJobData = { biograd: VERSION, kind, sha256 };
  if (bytes <= INLINE_LIMIT_BYTES) data.payload = payload;
  else if (where.shareDir) {
    mkdirSync(where.shareDir, { recursive: true });
    const file = join(where.shareDir, `${id}.json`);
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, file); // a worker never sees half a file
    data.file = file;
  } else {
    data.redisKey = `${where.keys.payload}${id}`;
    await where.redis.set(data.redisKey, text, "NX");
  }
  return { id, data, bytes };
}

/** The payload of a job, checked against the hash it was sent with. */
export async function loadPayload(data: QueueJobData, redis: Redis, where: string) {
  let text: string | null;
  if (data.file !== undefined) {
    try {
      text = readFileSync(data.file, "utf8");
    } catch (error) {
      throw new InputError(
        `${where}: cannot read the shared payload ${data.file} (${(error as NodeJS.ErrnoException).code ?? error}); is --queue-share on a path every worker sees?`,
      );
    }
  } else if (data.redisKey !== undefined) {
    text = await redis.get(data.redisKey);
    if (text === null)
      throw new InputError(`${where}: the payload ${data.redisKey} is gone from Redis`);
  } else return data.payload;
  if (createHash("sha256").update(text).digest("hex") !== data.sha256) {
    throw new InputError(
      `${where}: the payload ${data.file ?? data.redisKey} is not the one the job was made with (changed file?)`,
    );
  }
  return JSON.parse(text) as unknown;
}

export function parseJobData(value: unknown, where: string): QueueJobData {
  return parseWith(jobDataSchema, value, where);
}
