import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { inThreadExecutor } from "../../src/batch/in-thread-executor.js";
import { type Job, JobFailure } from "../../src/batch/job.js";
import { openJournal } from "../../src/batch/journal.js";
import type { BatchProgress } from "../../src/batch/progress.js";
import { runJobs } from "../../src/batch/run-jobs.js";
import { tempDir } from "../sweep/helpers.js";

type Req = { x: number; delay: number; fail?: boolean };
const jobs = (n: number, fail: number[] = []): Job<Req>[] =>
  Array.from({ length: n }, (_, i) => ({
    key: `job${i}`,
    // Later jobs finish sooner: completion order is the reverse of job order within a wave.
    request: { x: i, delay: (n - i) % 4, fail: fail.includes(i) },
  }));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Squares x after a delay; records which jobs started (to see what was handed out). */
function squarer(started: number[] = []) {
  return inThreadExecutor<Req, { y: number }>(
    async (r) => {
      started.push(r.x);
      await sleep(r.delay);
      if (r.fail) throw Object.assign(new Error(`x=${r.x} failed`), { code: "bad_input" });
      return { y: r.x * r.x };
    },
    { concurrency: 3 },
  );
}

describe("runJobs", () => {
  it("returns the outcomes in job order, whatever order they finished in", async () => {
    const finished: string[] = [];
    const out = await runJobs(jobs(10), {
      executor: squarer(),
      onProgress: (_p, o) => finished.push(o.key),
    });
    expect(out.outcomes.map((o) => o.key)).toEqual(jobs(10).map((j) => j.key));
    expect(out.outcomes.map((o) => (o.ok ? o.result.y : null))).toEqual(
      Array.from({ length: 10 }, (_, i) => i * i),
    );
    expect(finished).not.toEqual(out.outcomes.map((o) => o.key)); // it really ran out of order
    expect(out).toMatchObject({ ran: 10, failed: 0, resumed: 0, aborted: false, notRun: [] });
  });

  it("stop: a failure hands out no more jobs, lets those in flight finish, then throws", async () => {
    // What the runner promises, counted from its own events (not from timer luck): at most 3
    // jobs in flight, handed out in job order, none handed out once the failure is reported,
    // and every job that started finishes. How many jobs started depends on how the timers
    // of the jobs in flight fire relative to job 4's (under load, job 5 or 6 can finish, and
    // its lane take job 7, before job 4 fails): that is not limited, so it is not counted.
    const events: string[] = [];
    const started: number[] = [];
    const executor = squarer(started);
    const run = runJobs(jobs(20, [4]), {
      executor: {
        ...executor,
        run: (job, signal) => {
          events.push(`start ${job.key}`);
          return executor.run(job, signal);
        },
      },
      onProgress: (_p, o) => events.push(`${o.ok ? "done" : "failed"} ${o.key}`),
    });
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailure);
    expect((error as JobFailure).key).toBe("job4");
    expect((error as JobFailure).error).toMatchObject({ code: "bad_input", message: "x=4 failed" });
    expect((error as JobFailure).toError("run 4").message).toBe("run 4: x=4 failed");
    let inFlight = 0;
    for (const e of events) {
      inFlight += e.startsWith("start ") ? 1 : -1;
      expect(inFlight).toBeLessThanOrEqual(3);
    }
    const failedAt = events.indexOf("failed job4");
    expect(failedAt).toBeGreaterThan(-1);
    expect(events.slice(failedAt).filter((e) => e.startsWith("start "))).toEqual([]);
    expect(started).toEqual(Array.from({ length: started.length }, (_, i) => i));
    const finished = events.filter((e) => !e.startsWith("start ")).map((e) => e.split(" ")[1]);
    expect(finished.sort()).toEqual(started.map((x) => `job${x}`).sort());
  });

  it("stop, step by step: a failure with two jobs in flight starts nothing more, and waits for both", async () => {
    // Each job settles when the test says, so the interleaving is fixed, not left to timers.
    const gates = new Map<
      number,
      { resolve: (y: { y: number }) => void; reject: (e: Error) => void }
    >();
    const executor = inThreadExecutor<Req, { y: number }>(
      (r) => new Promise((resolve, reject) => gates.set(r.x, { resolve, reject })),
      { concurrency: 3 },
    );
    const settled: string[] = [];
    const run = runJobs(jobs(10), {
      executor,
      onProgress: (_p, o) => settled.push(o.key),
    }).catch((e: unknown) => e);
    const turn = () => new Promise((r) => setImmediate(r)); // every pending callback runs
    await turn();
    expect([...gates.keys()]).toEqual([0, 1, 2]);
    gates.get(1)!.reject(Object.assign(new Error("x=1 failed"), { code: "bad_input" }));
    await turn();
    gates.get(0)!.resolve({ y: 0 });
    await turn();
    expect([...gates.keys()]).toEqual([0, 1, 2]); // job 3 was never handed out
    expect(settled).toEqual(["job1", "job0"]);
    let done = false;
    void run.then(() => {
      done = true;
    });
    await turn();
    expect(done).toBe(false); // job 2 is still in flight: the runner waits for it
    gates.get(2)!.resolve({ y: 4 });
    const error = await run;
    expect(error).toBeInstanceOf(JobFailure);
    expect((error as JobFailure).key).toBe("job1");
    expect(settled).toEqual(["job1", "job0", "job2"]);
    expect([...gates.keys()]).toEqual([0, 1, 2]);
  });

  it("continue: failures are recorded in place and the rest run", async () => {
    const out = await runJobs(jobs(9, [2, 5]), {
      executor: squarer(),
      onFailure: "continue",
    });
    expect(out.outcomes.map((o) => o.ok)).toEqual([
      true,
      true,
      false,
      true,
      true,
      false,
      true,
      true,
      true,
    ]);
    const bad = out.outcomes[5]!;
    expect(bad.ok === false && bad.error.message).toBe("x=5 failed");
    expect(out).toMatchObject({ ran: 9, failed: 2 });
  });

  it("an abort stops handing out jobs; the jobs in flight finish and the rest are listed", async () => {
    const controller = new AbortController();
    const out = await runJobs(jobs(12), {
      executor: squarer(),
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done === 4) controller.abort();
      },
    });
    expect(out.aborted).toBe(true);
    expect(out.outcomes.length).toBeGreaterThanOrEqual(4);
    expect(out.outcomes.length).toBeLessThanOrEqual(6); // 4 + the two in flight
    expect(out.outcomes.length + out.notRun.length).toBe(12);
    expect(out.notRun.at(-1)).toBe("job11");
  });

  it("a budget keeps the longest prefix whose cost fits", async () => {
    const out = await runJobs(jobs(6), {
      executor: squarer(),
      budget: { limit: 6, cost: (r) => r.x }, // 0+1+2+3 = 6 fits, + 4 does not
    });
    expect(out.outcomes.map((o) => o.key)).toEqual(["job0", "job1", "job2", "job3"]);
    expect(out.skipped).toEqual(["job4", "job5"]);
  });

  it("reports progress with a rate and a time left that reaches 0", async () => {
    const seen: BatchProgress[] = [];
    await runJobs(jobs(8), { executor: squarer(), onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(seen.every((p) => p.total === 8 && p.rate !== null && p.rate > 0)).toBe(true);
    for (const p of seen) expect(p.etaMs).toBeCloseTo(((8 - p.done) / p.rate!) * 1000, 6);
    expect(seen.at(-1)!.etaMs).toBe(0);
  });

  it("refuses two jobs with the same key", async () => {
    const twice = [...jobs(2), jobs(1)[0]!];
    await expect(runJobs(twice, { executor: squarer() })).rejects.toThrow(/job0 is given twice/);
  });
});

describe("runJobs with a journal", () => {
  const schemas = {
    request: z.object({ x: z.number(), delay: z.number(), fail: z.boolean().optional() }),
    result: z.object({ y: z.number() }),
  };

  it("journals each success, not failures; a rerun takes the journaled jobs and runs the rest", async () => {
    const path = join(tempDir(), "batch.jsonl");
    const first = openJournal(path, schemas);
    const out = await runJobs(jobs(6, [3]), {
      executor: squarer(),
      journal: first,
      onFailure: "continue",
    });
    first.close();
    expect(out.failed).toBe(1);

    const started: number[] = [];
    const again = openJournal(path, schemas);
    expect([...again.entries.keys()].sort()).toEqual(["job0", "job1", "job2", "job4", "job5"]);
    const rerun = await runJobs(jobs(6), { executor: squarer(started), journal: again });
    again.close();
    expect(started).toEqual([3]);
    expect(rerun.resumed).toBe(5);
    expect(rerun.ran).toBe(1);
    expect(rerun.outcomes.map((o) => (o.ok ? o.result.y : null))).toEqual([0, 1, 4, 9, 16, 25]);
    expect(rerun.outcomes.map((o) => o.ok && o.resumed)).toEqual([
      true,
      true,
      true,
      false,
      true,
      true,
    ]);
  });
});
