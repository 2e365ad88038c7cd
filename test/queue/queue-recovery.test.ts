import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import {
  CAN_RUN,
  FIT_ARGS,
  MAIN,
  makeCurves,
  read,
  startRedis,
  startWorker,
  stopWorkers,
  until,
  type WorkerProcess,
} from "./helpers.js";

// 300 curves (6 chunks); each job waits 500 ms on the workers (a test hook) so the kills
// below land mid-batch.
const CHUNKS = 6;
const dir = mkdtempSync(join(tmpdir(), "biograd-queue-recovery-"));
let redis: Awaited<ReturnType<typeof startRedis>>;
let data: string;
let local: string;
let workers: WorkerProcess[] = [];

const results = () => redis.client.hlen("biograd:biograd:results");
const linesWith = (text: string) => workers.flatMap((w) => w.lines.filter((l) => l.includes(text)));
const doneLines = () => linesWith(": done in");
/** Jobs waiting, delayed or running (BullMQ's lists under `bull:biograd:`). */
const inFlight = async () => {
  const [wait, prioritized, active, delayed] = await Promise.all([
    redis.client.llen("bull:biograd:wait"),
    redis.client.zcard("bull:biograd:prioritized"),
    redis.client.llen("bull:biograd:active"),
    redis.client.zcard("bull:biograd:delayed"),
  ]);
  return wait + prioritized + active + delayed;
};
/** Ids of the jobs BullMQ completed, one per completion (its event stream). */
const completions = async () => {
  const entries = await redis.client.xrange("bull:biograd:events", "-", "+");
  return entries.flatMap(([, fields]) => {
    const f = new Map<string, string>();
    for (let i = 0; i + 1 < fields.length; i += 2) f.set(fields[i]!, fields[i + 1]!);
    return f.get("event") === "completed" ? [f.get("jobId")!] : [];
  });
};

describe.skipIf(!CAN_RUN)("fit --group --queue: the submitter and Redis can die", () => {
  beforeAll(async () => {
    redis = await startRedis();
    data = makeCurves(dir, 300);
    const run = await cli("fit", data, ...FIT_ARGS, "--out", join(dir, "local.csv"));
    expect(run.code).toBe(0);
    local = read(join(dir, "local.csv"));
    const slow = { BIOGRAD_QUEUE_TEST_SLOW_MS: "500" };
    workers = await Promise.all([1, 2].map(() => startWorker(redis.url, slow)));
  }, 60_000);
  afterAll(async () => {
    await stopWorkers(workers);
    await redis?.stop();
  });

  it("a submitter killed mid-batch and run again takes the finished results, recomputes none", async () => {
    const args = [
      MAIN,
      "fit",
      data,
      ...FIT_ARGS,
      "--queue",
      redis.url,
      "--out",
      join(dir, "a.csv"),
    ];
    const first = spawn(process.execPath, args, { stdio: "ignore" });
    await until("a first result", async () => (await results()) >= 1);
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    const finishedBefore = await results();
    expect(finishedBefore).toBeLessThan(CHUNKS);

    const rerun = await cli(
      "fit",
      data,
      ...FIT_ARGS,
      "--queue",
      redis.url,
      "--out",
      join(dir, "b.csv"),
    );
    expect(rerun.code).toBe(0);
    expect(read(join(dir, "b.csv"))).toBe(local);
    // The rerun enqueues only what the killed run had not (under load the kill can land
    // before the submitter enqueued every chunk), takes at least the results finished
    // before it started, and the workers fitted each chunk exactly once.
    const line = rerun.err.find((l) => l.startsWith(`queue ${redis.url}/0: `)) ?? "";
    const enqueued = Number(/(\d+) jobs enqueued/.exec(line)?.[1]);
    const queued = Number(/(\d+) already queued by an earlier run/.exec(line)?.[1] ?? 0);
    const reused = Number(/(\d+) results taken from earlier runs/.exec(line)?.[1]);
    expect(reused).toBeGreaterThanOrEqual(finishedBefore);
    expect(enqueued).toBeLessThan(CHUNKS);
    expect(enqueued + queued + reused).toBe(CHUNKS);
    // A worker logs a job (fitted, or "not run again") after storing its result and before
    // BullMQ completes the job, so the rerun can return before the last lines are read: once
    // the queue is empty, wait for one line per completion, then count.
    await until("the queue drained", async () => (await inFlight()) === 0);
    const completed = await completions();
    await until(
      "a line per finished job",
      () => doneLines().length + linesWith("not run again").length >= completed.length,
    );
    expect(completed).toHaveLength(CHUNKS);
    expect(new Set(completed).size).toBe(CHUNKS);
    expect(doneLines()).toHaveLength(CHUNKS);
    expect(linesWith("not run again")).toEqual([]);
  });

  it("Redis killed and restarted mid-batch (AOF): no finished result lost, same numbers", async () => {
    await cli("queue", "clean", "--queue", redis.url);
    const pending = cli(
      "fit",
      data,
      ...FIT_ARGS,
      "--queue",
      redis.url,
      "--out",
      join(dir, "c.csv"),
    );
    await until("two results", async () => (await results()) >= 2);
    const stored = await redis.client.hkeys("biograd:biograd:results");
    await redis.restart("SIGKILL");
    const after = await redis.client.hkeys("biograd:biograd:results");
    expect(after).toEqual(expect.arrayContaining(stored));
    const run = await pending;
    expect(run.code).toBe(0);
    expect(read(join(dir, "c.csv"))).toBe(local);
    expect(await results()).toBe(CHUNKS);
  });

  it("sweep fit --queue: each cell a sweep-cell task on the workers, the same numbers", async () => {
    const file = new URL("../../examples/puromycin-treated.csv", import.meta.url).pathname;
    const args = [
      "sweep",
      "fit",
      file,
      "--model",
      "michaelis-menten",
      "--x",
      "conc",
      "--y",
      "rate",
    ];
    const grid = ["--seeds", "1,2", "--thresholds", "0.1,1", "--lr", "0.1", "--steps", "100"];
    const here = await cli(
      ...args,
      ...grid,
      "--workers",
      "0",
      "--out",
      join(dir, "sweep-local.csv"),
    );
    const there = await cli(
      ...args,
      ...grid,
      "--out",
      join(dir, "sweep-queue.csv"),
      "--queue",
      redis.url,
    );
    expect([here.code, there.code]).toEqual([0, 0]);
    expect(there.err).toContain(`queue ${redis.url}/0: 10 jobs enqueued`);
    // Every column but the run's wall time (the last) is the same, bit for bit.
    const numbers = (name: string) =>
      read(join(dir, name))
        .trim()
        .split("\n")
        .map((l) => l.slice(0, l.lastIndexOf(",")));
    expect(numbers("sweep-queue.csv")).toEqual(numbers("sweep-local.csv"));
    expect(numbers("sweep-local.csv")).toHaveLength(11);
  });
});
