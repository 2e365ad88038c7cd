import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { type Job, UnrecoverableError, Worker } from "bullmq";
import type { GroupsChunk } from "../tasks/fit-groups-chunk.js";
import { VERSION } from "../version.js";
import { resilientRedis } from "./connect.js";
import { loadPayload, parseJobData } from "./job-data.js";
import { BULL_PREFIX, QUEUE_NAME } from "./keys.js";
import { openQueue } from "./open-queue.js";
import { registerWorker } from "./registry.js";
import { payloadRunner } from "./run-payload.js";

export interface QueueWorkerOptions {
  /** Jobs at once, each on its own worker thread (default 1). */
  concurrency?: number;
  /** How long a job's lock lasts without renewal: a dead worker's job is retried after it. */
  lockDurationMs?: number;
  /** How often workers look for jobs whose lock expired. */
  stalledIntervalMs?: number;
  /** Times a job may be recovered from a dead worker before it fails (default 2). */
  maxStalledCount?: number;
  /**
   * TEST ONLY: a chunk holding the group with this key (columns joined by ",") throws on
   * every attempt — how the tests make a fit fail deterministically (the CLI reads it from
   * BIOGRAD_QUEUE_TEST_FAIL_GROUP). Never set it in production.
   */
  failGroup?: string | null;
  /** TEST ONLY: wait this long before each job (BIOGRAD_QUEUE_TEST_SLOW_MS), to kill mid-job. */
  slowMs?: number;
  /** What happened, for the command to print: one line each. */
  onEvent?: (event: WorkerEvent) => void;
}

export type WorkerEvent =
  | { type: "done"; id: string; kind: string; ms: number; stored: boolean }
  | { type: "duplicate"; id: string }
  | { type: "failed"; id: string; reason: string; attempt: number; dead: boolean };

export interface RunningWorker {
  id: string;
  /** Stops taking jobs, lets the current ones finish (or, with `force`, releases them). */
  stop(force?: boolean): Promise<void>;
}

/**
 * A biograd queue worker: takes jobs from the queue, refuses those of another biograd
 * version (failed at once, no retry, with the reason in the dead-letter list), skips those
 * whose result is already stored, runs the rest on worker threads and stores each result
 * once under its job id (HSETNX: a duplicate from a retry is discarded). A job that throws
 * is retried by BullMQ with backoff; its last failure writes the dead letter.
 */
export async function startQueueWorker(
  url: string,
  options: QueueWorkerOptions = {},
): Promise<RunningWorker> {
  const conn = await openQueue(url);
  const { redis, keys } = conn;
  const concurrency = options.concurrency ?? 1;
  const id = `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const runner = payloadRunner(concurrency);
  const emit = options.onEvent ?? (() => {});

  const dead = async (job: Job, reason: string) => {
    const entry = { reason, attempts: job.attemptsMade + 1, at: Date.now(), by: id };
    await redis.hsetnx(keys.dead, job.id!, JSON.stringify(entry));
  };
  const processor = async (job: Job): Promise<null> => {
    const t0 = performance.now();
    const jobId = job.id!;
    const version = (job.data as { biograd?: unknown } | null)?.biograd;
    if (version !== VERSION) {
      const reason = `biograd ${VERSION} worker refuses a job of biograd ${String(version)}; run a worker of that version`;
      await dead(job, reason);
      emit({ type: "failed", id: jobId, reason, attempt: job.attemptsMade + 1, dead: true });
      throw new UnrecoverableError(reason);
    }
    try {
      if ((await redis.hexists(keys.results, jobId)) === 1) {
        emit({ type: "duplicate", id: jobId });
        return null; // finished before (a retry after its worker died): not run again
      }
      const data = parseJobData(job.data, `job ${jobId}`);
      const payload = await loadPayload(data, redis, `job ${jobId}`);
      const request = runner.decode(data.kind, payload, `job ${jobId}`);
      if (options.failGroup && data.kind === "fit-groups-chunk")
        failOnPurpose(request as GroupsChunk, options.failGroup);
      if (options.slowMs) await new Promise((r) => setTimeout(r, options.slowMs));
      const result = await runner.run(data.kind, jobId, request);
      const stored = (await redis.hsetnx(keys.results, jobId, JSON.stringify(result))) === 1;
      if (stored && data.redisKey !== undefined) await redis.del(data.redisKey);
      emit({ type: "done", id: jobId, kind: data.kind, ms: performance.now() - t0, stored });
      return null; // the result lives in the results hash, not in BullMQ's job
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (last) await dead(job, reason);
      emit({ type: "failed", id: jobId, reason, attempt: job.attemptsMade + 1, dead: last });
      throw error;
    }
  };
  const workerRedis = resilientRedis(conn.address); // BullMQ leaves a given connection open
  const worker = new Worker(QUEUE_NAME, processor, {
    connection: workerRedis,
    prefix: BULL_PREFIX,
    concurrency,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 2,
    removeOnComplete: { count: 0 },
    name: id,
  });
  worker.on("error", () => {}); // connection trouble: BullMQ reconnects by itself
  const unregister = await registerWorker(redis, keys, { id, concurrency });
  let stopping: Promise<void> | null = null;
  return {
    id,
    stop(force = false) {
      // A forced stop releases the jobs held (their locks lapse and they run elsewhere),
      // also when a graceful stop is already waiting for them.
      if (force) void worker.close(true).catch(() => {});
      stopping ??= (async () => {
        await worker.close(force);
        workerRedis.disconnect();
        await unregister().catch(() => {});
        await runner.close();
        await conn.close();
      })();
      return stopping;
    },
  };
}

function failOnPurpose(chunk: GroupsChunk, group: string): void {
  if (chunk.groups.some((g) => g.key.join(",") === group)) {
    throw new Error(`test hook: group ${group} fails on purpose (BIOGRAD_QUEUE_TEST_FAIL_GROUP)`);
  }
}
