import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runFitGroups } from "../../src/tasks/fit-groups.js";
import type { GroupRow } from "../../src/tasks/fit-groups-row.js";
import { runTask } from "../../src/tasks/run-task.js";
import type { TaskProgress } from "../../src/tasks/types.js";
import { cli } from "../helpers/cli.js";

// 230 simulated 4PL curves: five chunks of 50 groups (the last one 30).
const dir = mkdtempSync(join(tmpdir(), "biograd-groups-stream-"));
const file = join(dir, "curves-230.csv");
const request = {
  task: "fit-groups",
  data: { file },
  model: "4pl",
  x: ["logconc"],
  y: "response",
  group: ["compound"],
  engine: "fast",
};

beforeAll(() => {
  execFileSync("node", ["bench/groups/make-curves.mjs", "--n=230", "--seed=5", `--out=${dir}`]);
});

describe("fit-groups streams its rows and honours signal and progress", () => {
  it("delivers every row once, in group order, keeping only the first ones when asked", async () => {
    const whole = await runFitGroups(request);
    const streamed: GroupRow[] = [];
    const light = await runFitGroups(request, {
      workers: 2,
      onRows: (rows) => streamed.push(...rows),
      keepRows: 7,
    });
    expect(whole.groups).toHaveLength(230);
    expect(streamed).toEqual(whole.groups);
    expect(light.groups).toEqual(whole.groups.slice(0, 7));
    expect(light.counts).toEqual(whole.counts);
  }, 60_000);

  it("runTask: progress in groups, and an abort stops after the chunks in flight", async () => {
    const progress: TaskProgress[] = [];
    const all = (await runTask(request, { onProgress: (p) => progress.push(p) })) as Awaited<
      ReturnType<typeof runFitGroups>
    >;
    expect(progress.map((p) => p.done)).toEqual([50, 100, 150, 200, 230]);
    expect(progress.every((p) => p.total === 230)).toBe(true);
    expect(all.run.aborted).toBe(false);

    const controller = new AbortController();
    const seen: number[] = [];
    const stopped = (await runTask(request, {
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.done);
        if (p.done >= 100) controller.abort();
      },
    })) as typeof all;
    expect(stopped.run.aborted).toBe(true);
    expect(seen).toEqual([50, 100]);
    expect(stopped.counts.notRun).toBe(130);
    expect(stopped.groups).toEqual(all.groups.slice(0, 100));
  }, 60_000);

  it("CLI: a streamed CSV equals the rows of the JSON result; a failed run leaves no file", async () => {
    const csv = join(dir, "out.csv");
    const json = join(dir, "out.json");
    const args = ["--group", "compound", "--model", "4pl", "--x", "logconc", "--y", "response"];
    expect((await cli("fit", file, ...args, "--fast", "--quiet", "--out", csv)).code).toBe(0);
    expect((await cli("fit", file, ...args, "--fast", "--quiet", "--out", json)).code).toBe(0);
    const lines = readFileSync(csv, "utf8").trim().split("\n");
    const result = JSON.parse(readFileSync(json, "utf8"));
    expect(lines).toHaveLength(231);
    const first = result.groups[0] as GroupRow;
    expect(lines[1]!.split(",").slice(0, 4)).toEqual([
      first.group[0],
      String(first.n),
      String(first.converged),
      String(first.rss),
    ]);
    // An error after the temp file was opened (a bad number far down the file): the old
    // file stays as it was and no temp file is left beside it.
    const bad = join(dir, "bad.csv");
    const text = readFileSync(file, "utf8").trim().split("\n");
    text[text.length - 1] = text.at(-1)!.replace(/,[^,]*$/, ",oops");
    writeFileSync(bad, `${text.join("\n")}\n`);
    writeFileSync(join(dir, "keep.csv"), "old\n");
    const run = await cli("fit", bad, ...args, "--fast", "--quiet", "--out", join(dir, "keep.csv"));
    expect(run.code).toBe(2);
    expect(run.err.join("\n")).toMatch(/bad\.csv:\d+:3: column "response": expected a number/);
    expect(readFileSync(join(dir, "keep.csv"), "utf8")).toBe("old\n");
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(existsSync(join(dir, "keep.csv"))).toBe(true);
  }, 60_000);
});
