import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Job } from "../../src/batch/job.js";
import { runJobs } from "../../src/batch/run-jobs.js";
import { JSON_LABELS } from "../../src/tasks/fit-curve-request.js";
import { readGroupedRows } from "../../src/tasks/fit-groups-data.js";
import { type ChunkRef, chunkExecutor } from "../../src/tasks/fit-groups-executor.js";
import { fitGroupsRequestSchema } from "../../src/tasks/fit-groups-request.js";

// Where the chunks run: with as many workers as cores this thread is one of the fitting
// threads (one worker fewer starts); the CSV lines are the same wherever a chunk ran.
const dir = mkdtempSync(join(tmpdir(), "biograd-groups-executor-"));
execFileSync("node", ["bench/groups/make-curves.mjs", "--n=1200", "--seed=4", `--out=${dir}`]);
const request = fitGroupsRequestSchema.parse({
  task: "fit-groups",
  data: { file: join(dir, "curves-1200.csv") },
  model: "4pl",
  x: ["logconc"],
  y: "response",
  group: ["compound"],
  engine: "fast",
});
const rows = readGroupedRows(
  request.data as { file: string },
  ["compound"],
  ["logconc", "response"],
);
const params = ["bottom", "top", "logEC50", "hill"];
// Chunks of 20 groups: 60 jobs.
const jobs: Job<ChunkRef>[] = Array.from({ length: 60 }, (_, k) => ({
  key: `chunk-${k}`,
  request: { first: 20 * k, count: 20 },
}));

async function csvOf(workers: number, cores: number) {
  const chunks = chunkExecutor({ request, labels: JSON_LABELS, params, workers, cores });
  const executor = chunks.forRows(rows, () => ({ rows: 0, csv: true, json: false }));
  try {
    const outcome = await runJobs(jobs, { executor, concurrency: chunks.lanes });
    const text = outcome.outcomes.map((o) => (o.ok ? o.result.csv : `failed ${o.key}`)).join("");
    return { text, lanes: chunks.lanes, ran: chunks.ran() };
  } finally {
    await executor.close();
  }
}

describe("grouped fit executor", () => {
  it("with a worker per core, fits in this thread too and gives the same lines", async () => {
    const here = await csvOf(0, 2);
    expect(here.lanes).toBe(1);
    expect(here.ran).toEqual({ here: 60, onWorkers: 0 });
    expect(here.text.split("\n").length).toBe(1201);
    // Two workers on two cores: one worker thread (two batches queued on it) and this one.
    const hybrid = await csvOf(2, 2);
    expect(hybrid.lanes).toBe(3);
    expect(hybrid.ran.here + hybrid.ran.onWorkers).toBe(60);
    expect(hybrid.ran.here).toBeGreaterThan(0);
    expect(hybrid.ran.onWorkers).toBeGreaterThan(0);
    expect(hybrid.text).toBe(here.text);
    // Two workers with cores to spare: every chunk on the workers, two queued on each.
    const pooled = await csvOf(2, 4);
    expect(pooled.lanes).toBe(4);
    expect(pooled.ran).toEqual({ here: 0, onWorkers: 60 });
    expect(pooled.text).toBe(here.text);
    // One worker asked for is one worker, even on one core.
    const one = await csvOf(1, 1);
    expect(one.lanes).toBe(2);
    expect(one.ran).toEqual({ here: 0, onWorkers: 60 });
    expect(one.text).toBe(here.text);
  }, 60_000);
});
