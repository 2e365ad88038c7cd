import { hostname } from "node:os";
import type { Redis } from "ioredis";
import { z } from "zod";
import { InputError } from "../core/errors.js";
import { VERSION } from "../version.js";
import type { QueueKeys } from "./keys.js";

/** A worker refreshes its registration this often; one silent for LIVE_MS is taken as gone. */
export const HEARTBEAT_MS = 5000;
export const LIVE_MS = 3 * HEARTBEAT_MS;

const workerInfoSchema = z.object({
  id: z.string(),
  version: z.string(),
  host: z.string(),
  pid: z.number(),
  concurrency: z.number(),
  seenAt: z.number(),
});
export type WorkerInfo = z.infer<typeof workerInfoSchema>;

/** Registers a worker and keeps its heartbeat; the function returned unregisters it. */
export async function registerWorker(
  redis: Redis,
  keys: QueueKeys,
  info: Omit<WorkerInfo, "seenAt" | "version" | "host" | "pid">,
): Promise<() => Promise<void>> {
  const entry = () =>
    JSON.stringify({
      ...info,
      version: VERSION,
      host: hostname(),
      pid: process.pid,
      seenAt: Date.now(),
    });
  await redis.hset(keys.workers, info.id, entry());
  const timer = setInterval(() => {
    redis.hset(keys.workers, info.id, entry()).catch(() => {}); // an outage: the next beat retries
  }, HEARTBEAT_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await redis.hdel(keys.workers, info.id);
  };
}

/** The registered workers, each with whether it was heard from within LIVE_MS. */
export async function listWorkers(redis: Redis, keys: QueueKeys) {
  const all = await redis.hgetall(keys.workers);
  const now = Date.now();
  const out: (WorkerInfo & { live: boolean })[] = [];
  for (const text of Object.values(all)) {
    let parsed: z.ZodSafeParseResult<WorkerInfo>;
    try {
      parsed = workerInfoSchema.safeParse(JSON.parse(text));
    } catch {
      continue; // not ours: ignored, as status shows only what it can read
    }
    if (parsed.success) out.push({ ...parsed.data, live: now - parsed.data.seenAt <= LIVE_MS });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The submitter's half of the version handshake, before anything is enqueued: a live worker
 * of another biograd version, or jobs in flight that another version enqueued, is one
 * InputError (exit 2) — mixed versions would refuse each other's jobs or give other numbers.
 * Then the queue is stamped with this version.
 */
export async function checkVersions(
  redis: Redis,
  keys: QueueKeys,
  display: string,
  jobsInFlight: () => Promise<number>,
): Promise<void> {
  const other = (await listWorkers(redis, keys)).filter((w) => w.live && w.version !== VERSION);
  if (other.length > 0) {
    const w = other[0]!;
    throw new InputError(
      `--queue ${display}: worker ${w.id} (${w.host}) runs biograd ${w.version}, this is biograd ${VERSION}; run workers of the same version${other.length > 1 ? ` (${other.length} such workers)` : ""}`,
    );
  }
  const stamped = await redis.hget(keys.meta, "version");
  if (stamped !== null && stamped !== VERSION) {
    const inFlight = await jobsInFlight();
    if (inFlight > 0) {
      throw new InputError(
        `--queue ${display}: ${inFlight} jobs of biograd ${stamped} are waiting or running, this is biograd ${VERSION}; let them finish or \`biograd queue clean --force\``,
      );
    }
  }
  await redis.hset(keys.meta, "version", VERSION);
}
