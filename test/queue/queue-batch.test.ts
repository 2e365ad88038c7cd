import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import {
  CAN_RUN,
  FIT_ARGS,
  makeCurves,
  read,
  startRedis,
  startWorker,
  stopWorkers,
  until,
  type WorkerProcess,
} from "./helpers.js";

// The batch: 2,000 4PL curves (40 chunks of 50) on the many-curves engine, about 3 s of
// fitting. The failure cases use 300 curves (6 chunks): what they test does not need more.
const dir = mkdtempSync(join(tmpdir(), "biograd-queue-batch-"));
let redis: Awaited<ReturnType<typeof startRedis>>;
const data: Record<string, { file: string; local: string }> = {};
let workers: WorkerProcess[] = [];
/** Every worker carries the test hook; only the "bad" data set has that group. */
const FAIL = { BIOGRAD_QUEUE_TEST_FAIL_GROUP: "BAD0007" };

const results = () => redis.client.hlen("biograd:biograd:results");
const submit = (set: string, out: string, ...extra: string[]) =>
  cli("fit", data[set]!.file, ...FIT_ARGS, "--queue", redis.url, "--out", out, ...extra);

async function dataSet(name: string, n: number, rename?: [string, string]) {
  let file = makeCurves(dir, n);
  if (rename) {
    const renamed = join(dir, `${name}.csv`);
    writeFileSync(renamed, read(file).replaceAll(rename[0], rename[1]));
    file = renamed;
  }
  const out = join(dir, `${name}-local.csv`);
  const run = await cli("fit", file, ...FIT_ARGS, "--out", out);
  expect(run.code).toBe(0);
  data[name] = { file, local: read(out) };
}

describe.skipIf(!CAN_RUN)("fit --group --queue: a batch on worker processes", () => {
  beforeAll(async () => {
    redis = await startRedis();
    await dataSet("small", 300);
    await dataSet("bad", 300, ["C0000007", "BAD0007"]);
    await dataSet("big", 2000);
  }, 60_000);
  afterAll(async () => {
    await stopWorkers(workers);
    await redis?.stop();
  });

  it("a worker SIGKILLed mid-job: its job runs again elsewhere, every group once, same numbers", async () => {
    const doomed = await startWorker(redis.url, { ...FAIL, BIOGRAD_QUEUE_TEST_SLOW_MS: "60000" });
    const pending = submit("small", join(dir, "killed.csv"));
    await until("a job in hand", async () => (await redis.client.llen("bull:biograd:active")) > 0);
    doomed.proc.kill("SIGKILL");
    await doomed.exited;
    expect(doomed.lines.some((l) => l.includes("done in"))).toBe(false); // killed mid-job
    // Three workers take the rest, and the dead worker's job once its lock expires (3 s).
    workers = await Promise.all([1, 2, 3].map(() => startWorker(redis.url, FAIL)));
    const run = await pending;
    expect(run.code).toBe(0);
    expect(read(join(dir, "killed.csv"))).toBe(data.small!.local);
    expect(await results()).toBe(6);
  });

  it("2,000 groups on 3 workers: the same file as the local run, byte for byte", async () => {
    await cli("queue", "clean", "--queue", redis.url);
    const before = workers.map((w) => w.lines.length);
    const run = await submit("big", join(dir, "queue.csv"));
    expect(run.code).toBe(0);
    expect(read(join(dir, "queue.csv"))).toBe(data.big!.local);
    expect(await results()).toBe(40);
    expect(run.err).toContain(`queue ${redis.url}/0: 40 jobs enqueued`);
    // The work was shared, and no chunk was fitted twice.
    const done = workers.map(
      (w, i) => w.lines.slice(before[i]).filter((l) => l.includes(": done in")).length,
    );
    expect(done.filter((n) => n > 0).length).toBeGreaterThan(1);
    expect(done.reduce((a, b) => a + b)).toBe(40);
  });

  it("a chunk that throws on every attempt: dead letter with its reason, the batch completes", async () => {
    await cli("queue", "clean", "--queue", redis.url);
    const out = join(dir, "dead.csv");
    const run = await submit("bad", out, "--max-attempts", "2", "--retry-delay", "100");
    expect(run.code).toBe(0);
    expect(run.err).toContain(
      `queue ${redis.url}/0: 6 jobs enqueued, 1 failed for good (dead letters)`,
    );
    const reason = "test hook: group BAD0007 fails on purpose (BIOGRAD_QUEUE_TEST_FAIL_GROUP)";
    const got = read(out).trim().split("\n");
    const want = data.bad!.local.trim().split("\n");
    expect(got).toHaveLength(want.length);
    // The first chunk (groups 1 … 50) failed with the reason; every other row is as local.
    for (let i = 1; i <= 50; i++) {
      const name = i === 7 ? "BAD0007" : `C${String(i).padStart(7, "0")}`;
      expect(got[i]).toMatch(new RegExp(`^${name},24,false,[,]*queue: ${literal(reason)}$`));
    }
    expect(got.slice(51)).toEqual(want.slice(51));
    const status = await cli("queue", "status", "--queue", redis.url);
    expect(status.out.some((l) => / failed 1, completed 5 .* dead 1$/.test(l))).toBe(true);
    expect(status.out.some((l) => l.endsWith(`${reason} (after 2 attempts)`))).toBe(true);
    const attempts = workers.flatMap((w) => w.lines.filter((l) => l.includes("fails on purpose")));
    expect(attempts).toHaveLength(2);
    await stopWorkers(workers);
    expect(workers.map((w) => w.proc.exitCode)).toEqual([0, 0, 0]); // SIGTERM: a clean exit
  });
});

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
