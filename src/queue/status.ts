import type { QueueConnection } from "./open-queue.js";
import { listWorkers, type WorkerInfo } from "./registry.js";

export interface QueueStatus {
  /** BullMQ's counts: jobs waiting, running, delayed (retry backoff) and failed. */
  counts: { waiting: number; active: number; delayed: number; failed: number };
  /** Results stored (one per finished job id) and dead letters. */
  results: number;
  dead: number;
  /** The biograd version that last enqueued, or null. */
  version: string | null;
  workers: (WorkerInfo & { live: boolean })[];
  /** Dead letters (job id, reason, attempts), at most `limit`. */
  deadLetters: { id: string; reason: string; attempts: number | null }[];
  /** Failed jobs with BullMQ's reason, at most `limit`. */
  failedJobs: { id: string; name: string; reason: string; attempts: number }[];
}

/** A snapshot of the queue for `biograd queue status`. */
export async function queueStatus(conn: QueueConnection, limit = 20): Promise<QueueStatus> {
  const { redis, queue, keys } = conn;
  const c = await queue.getJobCounts("waiting", "prioritized", "active", "delayed", "failed");
  const [results, dead, version, workers, failed] = await Promise.all([
    redis.hlen(keys.results),
    redis.hlen(keys.dead),
    redis.hget(keys.meta, "version"),
    listWorkers(redis, keys),
    queue.getFailed(0, limit - 1),
  ]);
  const [, pairs] = await redis.hscan(keys.dead, "0", "COUNT", limit);
  const deadLetters: QueueStatus["deadLetters"] = [];
  for (let i = 0; i + 1 < pairs.length && deadLetters.length < limit; i += 2) {
    let entry: { reason?: unknown; attempts?: unknown } = {};
    try {
      entry = JSON.parse(pairs[i + 1]!) as typeof entry;
    } catch {
      entry = { reason: pairs[i + 1] };
    }
    deadLetters.push({
      id: pairs[i]!,
      reason: String(entry.reason ?? ""),
      attempts: typeof entry.attempts === "number" ? entry.attempts : null,
    });
  }
  return {
    counts: {
      waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      failed: c.failed ?? 0,
    },
    results,
    dead,
    version,
    workers,
    deadLetters,
    failedJobs: failed.map((j) => ({
      id: j.id ?? "",
      name: j.name,
      reason: j.failedReason ?? "",
      attempts: j.attemptsMade,
    })),
  };
}

/**
 * Empties the queue: BullMQ's jobs (every state), the stored results, the dead letters, the
 * version stamp and payloads kept in Redis. Worker registrations stay (they are live
 * processes). Returns how many results and dead letters were removed.
 */
export async function cleanQueue(
  conn: QueueConnection,
): Promise<{ results: number; dead: number }> {
  const { redis, queue, keys } = conn;
  const [results, dead] = await Promise.all([redis.hlen(keys.results), redis.hlen(keys.dead)]);
  await queue.obliterate({ force: true });
  await redis.del(keys.results, keys.dead, keys.meta);
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", `${keys.payload}*`, "COUNT", 1000);
    if (found.length > 0) await redis.del(...found);
    cursor = next;
  } while (cursor !== "0");
  return { results, dead };
}
