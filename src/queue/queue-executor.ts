import type { Job, JobExecutor } from "../batch/job.js";
import { JobError } from "../batch/job.js";
import { type JobKind, prepareJob, type QueueJobData } from "./job-data.js";
import type { QueueConnection } from "./open-queue.js";

export interface QueueExecutorOptions<Req, Res> {
  kind: JobKind;
  /** The job's payload (JSON) for a request. */
  encode: (request: Req) => unknown;
  /** A stored result back to its type, checked (a schema): `where` names the job. */
  decode: (value: unknown, where: string) => Res;
  /**
   * What a job that failed for good (dead letter) resolves with, e.g. failed rows that carry
   * the reason; without it such a job rejects with the reason.
   */
  dead?: (request: Req, reason: string) => Res;
  /** Tries per job before its dead letter (BullMQ `attempts`), default 3. */
  maxAttempts?: number;
  /** First retry delay in ms, doubled each retry, default 1000. */
  backoffMs?: number;
  /** A directory every worker sees at the same path, for payloads too large to go inline. */
  shareDir?: string | null;
  /** How often the submitter looks for results, ms (default 200). */
  pollMs?: number;
  /** How long Redis may be unreachable before the batch fails, ms (default 120 000). */
  outageMs?: number;
}

/** What the queue did for a batch, beside the results. */
export interface QueueRunStats {
  /** Jobs added to the queue now. */
  enqueued: number;
  /** Jobs whose result was already stored (an earlier run): taken, not recomputed. */
  reused: number;
  /** Jobs an earlier run had enqueued that are still waiting or running: waited for. */
  alreadyQueued: number;
  /** Jobs that failed for good (dead letters), earlier or now. */
  dead: number;
  /** Jobs that had vanished from Redis without a result and were added again. */
  readded: number;
  /** Payload bytes of the jobs seen, and the largest. */
  payloadBytes: number;
  maxPayloadBytes: number;
}

interface Waiter<Req, Res> {
  id: string;
  key: string;
  request: Req;
  data: QueueJobData;
  resolve: (res: Res) => void;
  reject: (error: unknown) => void;
}

const STATE_CHECK_MS = 2000;
const STATE_SLICE = 250;
const SLICE = 500;

/**
 * A JobExecutor whose jobs run on BullMQ workers. Each job becomes a queue job with a
 * deterministic id; before adding it, the results hash is asked whether the job already has
 * a result (a rerun after a killed submitter takes it) or a dead letter. The submitter then
 * polls the results hash, which workers write once per job id (HSETNX), so a result stored
 * before a crash, a retry or a Redis restart is the one every reader gets. A periodic state
 * check finds jobs that failed for good (dead letter) and jobs that vanished without a result
 * (re-added). The caller opens the queue
 * with the version handshake (openSubmitQueue) before making this executor.
 */
export function queueExecutor<Req, Res>(
  conn: QueueConnection,
  options: QueueExecutorOptions<Req, Res>,
): JobExecutor<Req, Res> & { stats(): QueueRunStats } {
  const { redis, queue, keys } = conn;
  const pollMs = options.pollMs ?? 200;
  const outageMs = options.outageMs ?? 120_000;
  const jobOptions = (id: string) => ({
    jobId: id,
    attempts: options.maxAttempts ?? 3,
    backoff: { type: "exponential" as const, delay: options.backoffMs ?? 1000 },
    removeOnComplete: true, // the result lives in the results hash
    removeOnFail: false, // kept for `biograd queue status` with its reason
  });
  const stats: QueueRunStats = {
    enqueued: 0,
    reused: 0,
    alreadyQueued: 0,
    dead: 0,
    readded: 0,
    payloadBytes: 0,
    maxPayloadBytes: 0,
  };
  const fresh: Waiter<Req, Res>[] = [];
  const waiting = new Map<string, Waiter<Req, Res>[]>();
  let flushing: Promise<void> | null = null;
  let closed = false;
  let lastOk = Date.now();
  let lastStateCheck = Date.now();
  let stateCursor = 0;
  let timer: NodeJS.Timeout | null = null;

  const settle = (id: string, how: (w: Waiter<Req, Res>) => void) => {
    const list = waiting.get(id);
    waiting.delete(id);
    for (const w of list ?? []) how(w);
  };
  const settleResult = (id: string, text: string) =>
    settle(id, (w) => {
      try {
        w.resolve(options.decode(JSON.parse(text), `queue result ${id}`));
      } catch (error) {
        w.reject(error);
      }
    });
  const settleDead = (id: string, reason: string) => {
    stats.dead++;
    settle(id, (w) => {
      if (options.dead) w.resolve(options.dead(w.request, reason));
      else
        w.reject(new JobError({ name: "QueueJobFailed", code: null, message: reason, stack: "" }));
    });
  };
  const deadReason = (text: string) => {
    try {
      return String((JSON.parse(text) as { reason?: unknown }).reason ?? text);
    } catch {
      return text;
    }
  };

  /**
   * New jobs: take stored results and dead letters, wait for jobs an earlier (killed) submitter
   * enqueued, add the rest in one bulk call. Each job's result, dead letter and BullMQ job are
   * read in one MULTI, i.e. at one instant: a worker stores a job's result before BullMQ
   * removes the finished job, so at any instant a job is stored, or still queued, or neither,
   * and only "neither" — never started, or lost by Redis — is added. Read one after the other
   * (results, then jobs), a job finishing in between looked like "neither" and was enqueued a
   * second time. BullMQ's own guard, the deterministic job id, cannot catch that: it refuses
   * an id only while that job exists, and a finished job is removed (removeOnComplete).
   */
  const flush = async () => {
    while (fresh.length > 0) {
      const batch = fresh.splice(0, SLICE);
      for (const w of batch) {
        const list = waiting.get(w.id);
        if (list) list.push(w);
        else waiting.set(w.id, [w]);
      }
      const pipe = redis.multi();
      for (const w of batch)
        pipe.hget(keys.results, w.id).hget(keys.dead, w.id).exists(queue.toKey(w.id));
      const replies = (await pipe.exec()) ?? [];
      const add: Waiter<Req, Res>[] = [];
      const adding = new Set<string>();
      batch.forEach((w, i) => {
        if (!waiting.has(w.id) || adding.has(w.id)) return; // settled, or a twin of this batch
        const [result, dead, exists] = replies.slice(3 * i, 3 * i + 3).map(([error, value]) => {
          if (error) throw error;
          return value;
        });
        if (result != null) {
          stats.reused++;
          settleResult(w.id, String(result));
        } else if (dead != null) settleDead(w.id, deadReason(String(dead)));
        else if (exists === 1) stats.alreadyQueued++;
        else {
          add.push(w);
          adding.add(w.id);
        }
      });
      if (add.length > 0) {
        await queue.addBulk(
          add.map((w) => ({ name: options.kind, data: w.data, opts: jobOptions(w.id) })),
        );
        stats.enqueued += add.length;
      }
    }
  };

  /** Waiting jobs: results, and now and then their state (failed for good, or gone). */
  const poll = async () => {
    const ids = [...waiting.keys()];
    for (let i = 0; i < ids.length; i += SLICE) {
      const slice = ids.slice(i, i + SLICE);
      // Dead letters too: a worker writes one on a job's last failed attempt.
      const [results, dead] = await Promise.all([
        redis.hmget(keys.results, ...slice),
        redis.hmget(keys.dead, ...slice),
      ]);
      slice.forEach((id, k) => {
        if (results[k] != null) settleResult(id, results[k]!);
        else if (dead[k] != null) settleDead(id, deadReason(dead[k]!));
      });
    }
    if (Date.now() - lastStateCheck < STATE_CHECK_MS) return;
    lastStateCheck = Date.now();
    // The rare cases (a job failed by BullMQ itself after too many stalls, a job Redis lost)
    // are looked for in a rotating slice, so the check costs Redis the same whatever the batch.
    const all = [...waiting.keys()];
    if (all.length === 0) return;
    stateCursor %= all.length;
    const left = [...all.slice(stateCursor), ...all.slice(0, stateCursor)].slice(0, STATE_SLICE);
    stateCursor += left.length;
    for (let i = 0; i < left.length; i += SLICE) {
      const slice = left.slice(i, i + SLICE);
      const pipe = redis.multi();
      // Job first, then result: a job removed on completion has its result stored already.
      for (const id of slice) {
        pipe
          .exists(queue.toKey(id))
          .zscore(queue.keys.failed!, id)
          .hget(keys.dead, id)
          .hexists(keys.results, id);
      }
      const replies = (await pipe.exec()) ?? [];
      const readd: Waiter<Req, Res>[] = [];
      for (const [k, id] of slice.entries()) {
        const [exists, failedAt, dead, hasResult] = replies
          .slice(4 * k, 4 * k + 4)
          .map((r) => r[1]);
        if (hasResult === 1) continue; // taken on the next poll
        if (dead != null) settleDead(id, deadReason(String(dead)));
        else if (failedAt != null) {
          const job = await queue.getJob(id);
          const reason = job?.failedReason || "failed (no reason recorded)";
          await redis.hsetnx(
            keys.dead,
            id,
            JSON.stringify({
              reason,
              attempts: job?.attemptsMade ?? null,
              at: Date.now(),
              by: "submitter",
            }),
          );
          settleDead(id, deadReason((await redis.hget(keys.dead, id)) ?? reason));
        } else if (exists === 0) readd.push(waiting.get(id)![0]!);
      }
      if (readd.length > 0) {
        await queue.addBulk(
          readd.map((w) => ({ name: options.kind, data: w.data, opts: jobOptions(w.id) })),
        );
        stats.readded += readd.length;
      }
    }
  };

  const tick = async () => {
    timer = null;
    if (closed) return;
    try {
      if (fresh.length > 0) {
        flushing = flush();
        await flushing;
      }
      if (waiting.size > 0) await poll();
      lastOk = Date.now();
    } catch (error) {
      if (Date.now() - lastOk > outageMs) {
        failAll(
          new Error(
            `queue: Redis at ${conn.address.display} unreachable for ${Math.round(outageMs / 1000)} s (${error instanceof Error ? error.message : error})`,
          ),
        );
        return;
      }
    } finally {
      flushing = null;
    }
    if (!closed && (fresh.length > 0 || waiting.size > 0)) timer = setTimeout(tick, pollMs);
  };
  const failAll = (error: unknown) => {
    for (const w of fresh.splice(0)) w.reject(error);
    for (const id of [...waiting.keys()]) settle(id, (w) => w.reject(error));
  };
  const wake = () => {
    if (timer === null && flushing === null && !closed) timer = setTimeout(tick, 0);
  };

  return {
    concurrency: 100_000,
    async run(job: Job<Req>): Promise<Res> {
      const payload = options.encode(job.request);
      const prepared = await prepareJob(options.kind, payload, {
        redis,
        keys,
        shareDir: options.shareDir,
      });
      stats.payloadBytes += prepared.bytes;
      stats.maxPayloadBytes = Math.max(stats.maxPayloadBytes, prepared.bytes);
      return new Promise<Res>((resolve, reject) => {
        fresh.push({
          id: prepared.id,
          key: job.key,
          request: job.request,
          data: prepared.data,
          resolve,
          reject,
        });
        wake();
      });
    },
    async close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      await flushing?.catch(() => {});
      failAll(new Error("queue: closed with jobs still waiting"));
    },
    stats: () => ({ ...stats }),
  };
}
