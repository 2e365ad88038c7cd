import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { dropStartedPool, takeStartedPool } from "../../src/batch/pool-start.js";
import { QUEUED_PER_FITTING_THREAD } from "../../src/batch/workers.js";
import { startWorkersEarly } from "../../src/cli/early-workers.js";
import { JSON_LABELS } from "../../src/tasks/fit-curve-request.js";
import { chunkExecutor } from "../../src/tasks/fit-groups-executor.js";
import { fitGroupsRequestSchema } from "../../src/tasks/fit-groups-request.js";

// `biograd fit … --group … --workers N` starts its worker threads before the program loads
// (src/cli/early-workers.ts), and the grouped fit's executor takes that pool over.
const FIT = ["fit", "data.csv", "--model", "4pl", "--x", "logconc", "--y", "response"];
const shape = (threads: number) => ({ threads, queuedPerThread: QUEUED_PER_FITTING_THREAD });

afterEach(async () => {
  await dropStartedPool();
});

describe("worker threads started from the command line", () => {
  it("starts them for a grouped fit with workers only, as many as the executor will use", async () => {
    expect(startWorkersEarly([...FIT, "--group", "compound"], 2)).toBe(false);
    expect(startWorkersEarly([...FIT, "--workers", "2"], 2)).toBe(false);
    expect(startWorkersEarly([...FIT, "--group", "c", "--workers", "0"], 2)).toBe(false);
    expect(startWorkersEarly([...FIT, "--group", "c", "--workers", "x"], 2)).toBe(false);
    expect(startWorkersEarly([...FIT, "--group", "c", "--workers=1", "--queue", "q"], 2)).toBe(
      false,
    );
    expect(startWorkersEarly([...FIT, "--group", "c", "--workers", "1", "--help"], 2)).toBe(false);
    expect(startWorkersEarly(["train", "--group", "c", "--workers", "1"], 2)).toBe(false);
    expect(takeStartedPool(shape(1))).toBeNull();

    // Two workers on two cores: this thread fits too, so one thread starts.
    expect(startWorkersEarly([...FIT, "--workers", "3", "--group=c,p"], 2)).toBe(true);
    expect(takeStartedPool(shape(2))).toBeNull(); // another shape is not taken
    const pool = takeStartedPool(shape(1));
    expect(pool).not.toBeNull();
    expect(takeStartedPool(shape(1))).toBeNull(); // taken once
    await pool!.destroy();
  });

  it("the grouped fit's executor takes the pool started for it", async () => {
    expect(startWorkersEarly([...FIT, "--group", "compound", "--workers=2"], 4)).toBe(true);
    const request = fitGroupsRequestSchema.parse({
      task: "fit-groups",
      data: { file: "data.csv" },
      model: "4pl",
      x: ["logconc"],
      y: "response",
      group: ["compound"],
      engine: "fast",
    });
    const params = ["bottom", "top", "logEC50", "hill"];
    const chunks = chunkExecutor({ request, labels: JSON_LABELS, params, workers: 2, cores: 4 });
    expect(takeStartedPool(shape(2))).toBeNull();
    await chunks.abandon();
  }, 30_000);

  it("a command that fails before its executor is made still exits, with its message", () => {
    const main = join(import.meta.dirname, "../../dist/cli/main.js");
    const args = [...FIT, "--group", "compound", "--workers", "1"].map((a) =>
      a === "data.csv" ? "no-such-file.csv" : a,
    );
    const r = spawnSync(process.execPath, [main, ...args], { encoding: "utf8", timeout: 20_000 });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("no-such-file.csv");
  }, 30_000);
});
