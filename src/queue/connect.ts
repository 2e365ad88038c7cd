import { Redis, type RedisOptions } from "ioredis";
import { InputError } from "../core/errors.js";
import type { QueueAddress } from "./redis-url.js";

/** How long the first connection may take before `--queue` is reported unreachable. */
export const CONNECT_TIMEOUT_MS = 3000;

function baseOptions(address: QueueAddress): RedisOptions {
  return {
    host: address.host,
    port: address.port,
    db: address.db,
    ...(address.username === undefined ? {} : { username: address.username }),
    ...(address.password === undefined ? {} : { password: address.password }),
    ...(address.tls ? { tls: {} } : {}),
  };
}

/**
 * Connects to the queue's Redis and checks it answers, failing fast: ioredis retries forever
 * by default, so the probe has one try, a connect timeout and no offline queue. An
 * unreachable server, a refused password or a missing database is one InputError (exit 2)
 * before anything is enqueued. The connection returned is the resilient kind the queue
 * needs from then on: it reconnects (a Redis restart mid-run is survived) and its commands
 * wait for the reconnection instead of failing (BullMQ requires maxRetriesPerRequest null).
 */
export async function connectQueueRedis(address: QueueAddress): Promise<Redis> {
  const probe = new Redis({
    ...baseOptions(address),
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The socket's own error (ECONNREFUSED, ENOTFOUND) arrives as an event; connect() then
  // only says the connection closed.
  let socketError: unknown = null;
  probe.on("error", (error) => {
    socketError ??= error;
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    probe.disconnect();
    throw new InputError(
      `--queue ${address.display}: cannot reach Redis (${reason(socketError ?? error)})`,
    );
  }
  probe.disconnect();
  return resilientRedis(address);
}

/** A connection that reconnects for as long as the process runs (workers, waiting submitters). */
export function resilientRedis(address: QueueAddress): Redis {
  const redis = new Redis({
    ...baseOptions(address),
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(100 * times, 1000),
  });
  redis.on("error", () => {}); // reconnection is automatic; outages are timed by the callers
  return redis;
}

function reason(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e.code === "string" && e.code !== "") return e.code;
  const text = typeof e.message === "string" ? e.message : String(error);
  if (/timeout/i.test(text)) return `no answer within ${CONNECT_TIMEOUT_MS / 1000} s`;
  return text.split("\n")[0]!;
}
