import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { inThreadExecutor } from "../../src/batch/in-thread-executor.js";
import { JobFailure } from "../../src/batch/job.js";
import { poolExecutor } from "../../src/batch/pool-executor.js";
import { runJobs } from "../../src/batch/run-jobs.js";
import { BiogradError } from "../../src/core/errors.js";
import { tempDir } from "../sweep/helpers.js";

// The pool's worker entry is the built dist/batch/worker-entry.js: `npm test` builds first.
// The job module is plain JavaScript written here, so the workers can load it as it is.
const dir = tempDir();
const module = pathToFileURL(join(dir, "jobs.mjs"));
writeFileSync(
  module,
  `import { threadId } from "node:worker_threads";
export function collatz({ n }) {
  let steps = 0;
  for (let m = n; m !== 1; steps++) m = m % 2 === 0 ? m / 2 : 3 * m + 1;
  return { n, steps, thread: threadId };
}
export function total({ values }) {
  let sum = 0;
  for (const v of values) sum += v;
  return { sum, length: values.length, thread: threadId };
}
export function refuse({ n }) {
  if (n === 5) throw Object.assign(new Error("n = 5 is refused"), { code: "bad_input" });
  if (n === 6) throw new TypeError("a bug");
  return { n };
}
`,
);
const collatzInThread = ({ n }: { n: number }) => {
  let steps = 0;
  for (let m = n; m !== 1; steps++) m = m % 2 === 0 ? m / 2 : 3 * m + 1;
  return { n, steps };
};
const jobs = Array.from({ length: 40 }, (_, i) => ({ key: `n${i + 1}`, request: { n: i + 1 } }));

describe("poolExecutor", () => {
  it("runs a module's export on worker threads: the same results as in this thread, in job order", async () => {
    const pool = poolExecutor<{ n: number }, { n: number; steps: number; thread: number }>({
      module,
      exportName: "collatz",
      threads: 2,
    });
    const onPool = await runJobs(jobs, { executor: pool }).finally(() => pool.close());
    const here = await runJobs(jobs, { executor: inThreadExecutor(collatzInThread) });
    const strip = (o: (typeof onPool.outcomes)[number]) =>
      o.ok ? { n: o.result.n, steps: o.result.steps } : null;
    expect(onPool.outcomes.map(strip)).toEqual(here.outcomes.map((o) => (o.ok ? o.result : null)));
    expect(onPool.outcomes[26]).toMatchObject({ ok: true, result: { n: 27, steps: 111 } });
    // Really on workers (thread 0 is the main thread).
    const threads = new Set(onPool.outcomes.map((o) => (o.ok ? o.result.thread : 0)));
    expect(threads.has(0)).toBe(false);
  });

  it("a job's error crosses the thread boundary with its code: bad input stays bad input", async () => {
    const pool = poolExecutor({ module, exportName: "refuse", threads: 2 });
    const out = await runJobs(jobs.slice(0, 8), { executor: pool, onFailure: "continue" });
    const failure = await runJobs(jobs.slice(0, 8), { executor: pool }).catch((e: unknown) => e);
    await pool.close();
    expect(out.outcomes.map((o) => o.ok)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      true,
      true,
    ]);
    expect(out.outcomes[4]).toMatchObject({ ok: false, error: { code: "bad_input" } });
    expect(out.outcomes[5]).toMatchObject({ ok: false, error: { name: "TypeError", code: null } });
    expect(failure).toBeInstanceOf(JobFailure);
    const reported = (failure as JobFailure).toError("job n5");
    expect(reported).toBeInstanceOf(BiogradError);
    expect(reported.message).toBe("job n5: n = 5 is refused");
  });

  it("moves listed buffers to the worker and queues jobs per thread", async () => {
    const pool = poolExecutor<{ values: Float64Array }, { sum: number; length: number }>({
      module,
      exportName: "total",
      threads: 2,
      queuedPerThread: 2,
      transferList: (request) => [request.values.buffer as ArrayBuffer],
    });
    const requests = Array.from({ length: 12 }, (_, i) => ({
      values: Float64Array.from({ length: 1000 + i }, (_, k) => k * (i + 1)),
    }));
    const out = await runJobs(
      requests.map((request, i) => ({ key: `t${i}`, request })),
      { executor: pool, concurrency: 4 },
    ).finally(() => pool.close());
    expect(out.outcomes.map((o) => (o.ok ? [o.result.sum, o.result.length] : null))).toEqual(
      requests.map((_, i) => [((999 + i) * (1000 + i) * (i + 1)) / 2, 1000 + i]),
    );
    // Moved, not copied: the buffers are no longer usable on this side.
    expect(requests.every((r) => r.values.length === 0)).toBe(true);
  });

  it("names a missing export", async () => {
    const pool = poolExecutor({ module, exportName: "nothing", threads: 1 });
    const out = await runJobs(jobs.slice(0, 1), { executor: pool, onFailure: "continue" });
    await pool.close();
    expect(out.outcomes[0]).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/has no function export "nothing"/) },
    });
  });
});
