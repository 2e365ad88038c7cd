import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prepareJob } from "../../src/queue/job-data.js";
import { BULL_PREFIX, QUEUE_NAME, queueKeys } from "../../src/queue/keys.js";
import { openQueue } from "../../src/queue/open-queue.js";
import { queueExecutor } from "../../src/queue/queue-executor.js";
import { REDIS_SERVER, startRedis } from "./helpers.js";
import { interleavingProxy } from "./interleaving-proxy.js";

// The rerun of a killed submitter checks each job, then adds those neither stored nor queued.
// A worker finishing a job between the check and the add must not make the job look new:
// these tests put the worker's finish exactly there (a proxy holds Redis's reply to the
// check), in the order a worker does it — result stored (HSETNX), then the job completed
// and removed by BullMQ.
const keys = queueKeys();
let redis: Awaited<ReturnType<typeof startRedis>>;
let proxy: Awaited<ReturnType<typeof interleavingProxy>>;
let direct: Queue; // what the killed submitter and the tests see, not through the proxy
let workerRedis: Redis;
let worker: Worker;

const executorOn = (conn: Awaited<ReturnType<typeof openQueue>>) =>
  queueExecutor<{ cell: number }, { y: number }>(conn, {
    kind: "sweep-cell",
    encode: (r) => r,
    decode: (v) => v as { y: number },
    pollMs: 20,
  });
const counts = () => direct.getJobCounts("waiting", "active", "delayed", "prioritized");

describe.skipIf(REDIS_SERVER === undefined)(
  "queue submitter: a job finishing during its check",
  () => {
    beforeAll(async () => {
      redis = await startRedis();
      proxy = await interleavingProxy(redis.port);
      direct = new Queue(QUEUE_NAME, { connection: redis.client, prefix: BULL_PREFIX });
      workerRedis = new Redis({ port: redis.port, host: "127.0.0.1", maxRetriesPerRequest: null });
      // A worker driven by hand (BullMQ's manual processing): it takes a job when told.
      worker = new Worker(QUEUE_NAME, null, { connection: workerRedis, prefix: BULL_PREFIX });
    });
    beforeEach(async () => {
      await direct.obliterate({ force: true });
      await redis.client.del(keys.results, keys.dead);
    });
    afterAll(async () => {
      await worker?.close();
      await direct?.close();
      workerRedis?.disconnect();
      await proxy?.close();
      await redis?.stop();
    });

    it("a job a killed submitter enqueued, finished while the rerun checks it, is taken, not enqueued again", async () => {
      const request = { cell: 1 };
      const { id, data } = await prepareJob("sweep-cell", request, { redis: redis.client, keys });
      await direct.add("sweep-cell", data, { jobId: id, removeOnComplete: true });
      const job = await worker.getNextJob("token-1");
      expect(job?.id).toBe(id);

      const conn = await openQueue(proxy.url);
      const executor = executorOn(conn);
      try {
        const finished = proxy.arm(keys.results, async () => {
          await redis.client.hsetnx(keys.results, id, JSON.stringify({ y: 42 }));
          await job!.moveToCompleted(null, "token-1", false);
          expect(await redis.client.exists(direct.toKey(id))).toBe(0); // gone, as a finished job is
        });
        expect(await executor.run({ key: "cell-1", request })).toEqual({ y: 42 });
        await finished;
        const stats = executor.stats();
        expect(stats.enqueued).toBe(0);
        expect(stats.alreadyQueued + stats.reused).toBe(1);
        expect(await counts()).toEqual({ waiting: 0, active: 0, delayed: 0, prioritized: 0 });
      } finally {
        await executor.close();
        await conn.close();
      }
    });

    it("of jobs stored, queued and new, only the new one is enqueued", async () => {
      const requests = [{ cell: 2 }, { cell: 3 }, { cell: 4 }];
      const [stored, queued, fresh] = await Promise.all(
        requests.map((r) => prepareJob("sweep-cell", r, { redis: redis.client, keys })),
      );
      await redis.client.hsetnx(keys.results, stored!.id, JSON.stringify({ y: 2 }));
      await direct.add("sweep-cell", queued!.data, { jobId: queued!.id, removeOnComplete: true });

      const conn = await openQueue(proxy.url);
      const executor = executorOn(conn);
      try {
        const runs = requests.map((request, i) => executor.run({ key: `cell-${i}`, request }));
        expect(await runs[0]).toEqual({ y: 2 });
        await expect.poll(() => executor.stats().enqueued).toBe(1);
        expect(executor.stats()).toMatchObject({ reused: 1, alreadyQueued: 1, enqueued: 1 });
        expect((await direct.getWaiting()).map((j) => j.id).sort()).toEqual(
          [queued!.id, fresh!.id].sort(),
        );
        // Both finish (as a worker would finish them); the submitter takes their results.
        await redis.client.hsetnx(keys.results, queued!.id, JSON.stringify({ y: 3 }));
        await redis.client.hsetnx(keys.results, fresh!.id, JSON.stringify({ y: 4 }));
        expect(await Promise.all(runs.slice(1))).toEqual([{ y: 3 }, { y: 4 }]);
      } finally {
        await executor.close();
        await conn.close();
      }
    });
  },
);
