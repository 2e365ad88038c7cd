import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { connectQueueRedis } from "./connect.js";
import { BULL_PREFIX, QUEUE_NAME, type QueueKeys, queueKeys } from "./keys.js";
import { parseQueueUrl, type QueueAddress } from "./redis-url.js";
import { checkVersions } from "./registry.js";

/** A connection to the queue: Redis, the BullMQ queue and the names of biograd's keys. */
export interface QueueConnection {
  address: QueueAddress;
  redis: Redis;
  queue: Queue;
  keys: QueueKeys;
  /** Jobs waiting, delayed or running. */
  inFlight(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Parses `--queue`, connects (failing fast with one line when Redis cannot be reached) and
 * opens the BullMQ queue on that connection.
 */
export async function openQueue(url: string): Promise<QueueConnection> {
  const address = parseQueueUrl(url);
  const redis = await connectQueueRedis(address);
  const queue = new Queue(QUEUE_NAME, { connection: redis, prefix: BULL_PREFIX });
  queue.on("error", () => {}); // outages are timed by the callers, not thrown as events
  return {
    address,
    redis,
    queue,
    keys: queueKeys(),
    async inFlight() {
      const c = await queue.getJobCounts("waiting", "active", "delayed", "prioritized");
      return Object.values(c).reduce((a, b) => a + b, 0);
    },
    async close() {
      await queue.close();
      redis.disconnect();
    },
  };
}

/**
 * The submitter's queue: opened, then the version handshake (checkVersions) — both before
 * anything is enqueued, so an unreachable Redis, a bad URL or a version mismatch is one line
 * and exit 2 with the queue untouched.
 */
export async function openSubmitQueue(url: string): Promise<QueueConnection> {
  const conn = await openQueue(url);
  try {
    await checkVersions(conn.redis, conn.keys, conn.address.display, () => conn.inFlight());
  } catch (error) {
    await conn.close();
    throw error;
  }
  return conn;
}
