import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERSION } from "../../src/version.js";
import { cli } from "../helpers/cli.js";
import {
  CAN_RUN,
  FIT_ARGS,
  freePort,
  makeCurves,
  startRedis,
  startWorker,
  stopWorkers,
  until,
} from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "biograd-queue-errors-"));
let redis: Awaited<ReturnType<typeof startRedis>>;
let data: string;

/** Every key in the database: what "nothing enqueued" is checked against. */
const keys = () => redis.client.keys("bull:*");

describe.skipIf(!CAN_RUN)("queue: refused before anything is enqueued", () => {
  beforeAll(async () => {
    redis = await startRedis();
    data = makeCurves(dir, 60);
  });
  afterAll(async () => redis?.stop());

  it("an unreachable Redis: one line naming --queue, exit 2", async () => {
    const port = await freePort(); // nothing listens there
    const run = await cli("fit", data, ...FIT_ARGS, "--queue", `redis://127.0.0.1:${port}`);
    expect(run.code).toBe(2);
    expect(run.err.filter((l) => l !== "")).toEqual([
      `biograd: --queue redis://127.0.0.1:${port}/0: cannot reach Redis (ECONNREFUSED)`,
    ]);
  });

  it.each([
    ["http://127.0.0.1:6379", /^biograd: --queue: expected redis:\/\/host:6379\[\/db\]/],
    ["redis://127.0.0.1:99999", /^biograd: --queue: expected redis:\/\/host:6379/],
    ["redis://127.0.0.1:6379/jobs", /^biograd: --queue: the path must be a database number/],
    ["127.0.0.1:6379", /^biograd: --queue: expected redis:\/\/host:6379/],
  ])("a malformed URL %s: one line, exit 2", async (url, message) => {
    const run = await cli("fit", data, ...FIT_ARGS, "--queue", url);
    expect(run.code).toBe(2);
    const lines = run.err.filter((l) => l !== "");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it("a live worker of another version: the submitter says so, exit 2, nothing enqueued", async () => {
    const fake = {
      id: "old-worker",
      version: "0.0.1",
      host: "lab-7",
      pid: 1,
      concurrency: 1,
      seenAt: Date.now(),
    };
    await redis.client.hset("biograd:biograd:workers", "old-worker", JSON.stringify(fake));
    try {
      const run = await cli("fit", data, ...FIT_ARGS, "--queue", redis.url);
      expect(run.code).toBe(2);
      expect(run.err.filter((l) => l !== "")).toEqual([
        `biograd: --queue ${redis.url}/0: worker old-worker (lab-7) runs biograd 0.0.1, this is biograd ${VERSION}; run workers of the same version`,
      ]);
      expect(await keys()).toEqual([]);
    } finally {
      await redis.client.hdel("biograd:biograd:workers", "old-worker");
    }
  });

  it("a worker refuses a job of another version: dead letter with both versions, no retry", async () => {
    const queue = new Queue("biograd", { connection: { port: redis.port, host: "127.0.0.1" } });
    const worker = await startWorker(redis.url);
    try {
      await queue.add(
        "fit-groups-chunk",
        { biograd: "9.9.9", kind: "fit-groups-chunk", payload: {}, sha256: "0".repeat(64) },
        { jobId: "jfuture", attempts: 3 },
      );
      await until(
        "the dead letter",
        async () => (await redis.client.hexists("biograd:biograd:dead", "jfuture")) === 1,
      );
      const dead = JSON.parse((await redis.client.hget("biograd:biograd:dead", "jfuture"))!);
      expect(dead.reason).toBe(
        `biograd ${VERSION} worker refuses a job of biograd 9.9.9; run a worker of that version`,
      );
      expect(dead.attempts).toBe(1);
      await until("the job failed", async () => (await queue.getJobState("jfuture")) === "failed");
      const status = await cli("queue", "status", "--queue", redis.url);
      expect(status.code).toBe(0);
      expect(status.out).toContain(`dead jfuture: ${dead.reason} (after 1 attempts)`);
      expect(
        status.out.some((l) =>
          /^waiting 0, active 0, delayed 0 .* failed 1, completed 0 .* dead 1$/.test(l),
        ),
      ).toBe(true);
      const clean = await cli("queue", "clean", "--queue", redis.url);
      expect(clean.code).toBe(0);
      expect(await redis.client.hlen("biograd:biograd:dead")).toBe(0);
    } finally {
      await stopWorkers([worker]);
      await queue.close();
    }
  });
});
