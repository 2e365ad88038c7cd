import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type GroupsProgress, runFitGroups } from "../../src/tasks/fit-groups.js";

// 3,000 simulated 4PL curves (1.5 MB, 60 chunks): grouped as the generator writes them, and
// the same rows interleaved (every group's first row, then every group's second row, …).
const dir = mkdtempSync(join(tmpdir(), "biograd-groups-ranges-"));
const grouped = join(dir, "curves-3000.csv");
const interleaved = join(dir, "interleaved.csv");
let lines: string[] = [];
const request = (file: string) => ({
  task: "fit-groups",
  data: { file },
  model: "4pl",
  x: ["logconc"],
  y: "response",
  group: ["compound"],
  engine: "fast",
});

function interleave(rows: string[]): string[] {
  const byGroup = new Map<string, string[]>();
  for (const row of rows) {
    const g = row.slice(0, row.indexOf(","));
    if (!byGroup.has(g)) byGroup.set(g, []);
    byGroup.get(g)!.push(row);
  }
  const out: string[] = [];
  const longest = Math.max(...[...byGroup.values()].map((r) => r.length));
  for (let k = 0; k < longest; k++)
    for (const rs of byGroup.values()) if (k < rs.length) out.push(rs[k]!);
  return out;
}

function write(name: string, body: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${[lines[0], ...body].join("\n")}\n`);
  return path;
}

const utf8 = new TextDecoder();

/** A run's CSV text as `onCsvBytes` delivers it, taking back what `onRestart` voids. */
async function csvRun(file: string, options: { workers?: number; restartable?: boolean } = {}) {
  let text = "";
  let restarts = 0;
  const progress: GroupsProgress[] = [];
  const result = await runFitGroups(request(file), {
    workers: options.workers ?? 0,
    keepRows: 5,
    onCsvBytes: (bytes) => {
      text += utf8.decode(bytes);
    },
    onProgress: (p) => progress.push(p),
    ...(options.restartable === false
      ? {}
      : {
          onRestart: () => {
            text = "";
            restarts++;
          },
        }),
  });
  return { text, restarts, progress, result };
}

beforeAll(() => {
  execFileSync("node", ["bench/groups/make-curves.mjs", "--n=3000", "--seed=7", `--out=${dir}`]);
  lines = readFileSync(grouped, "utf8").trim().split("\n");
  writeFileSync(interleaved, `${[lines[0], ...interleave(lines.slice(1))].join("\n")}\n`);
});

describe("fit-groups on a grouped file fits it while reading it", () => {
  it("starts fitting before the file is read; the rows equal the interleaved file's", async () => {
    const streamed = await csvRun(grouped);
    const first = streamed.progress[0]!;
    // The first chunk is done while most of the file is still unread.
    expect(first.bytesRead).toBeLessThan(0.6 * first.bytesTotal!);
    expect(streamed.progress.at(-1)!.bytesRead).toBe(first.bytesTotal);
    expect(streamed.progress.at(-1)!.groups).toBe(3000);
    // The interleaved file read whole from the start (a caller that cannot take rows back)…
    const whole = await csvRun(interleaved, { restartable: false });
    expect(whole.progress[0]!.bytesRead).toBeUndefined();
    expect(streamed.text).toBe(whole.text);
    expect(streamed.text.split("\n")).toHaveLength(3001);
    expect(streamed.result.groups).toEqual(whole.result.groups);
    expect(streamed.result.counts).toEqual(whole.result.counts);
    // … and by one that can: its first 3,000 rows are 3,000 groups, so it looks grouped
    // until group 1 comes back; the rows written until then are taken back.
    const restarted = await csvRun(interleaved);
    expect(restarted.restarts).toBe(1);
    expect(restarted.text).toBe(whole.text);
    expect(streamed.restarts).toBe(0);
  }, 60_000);

  it("a group that comes back late: the rows written are taken back and the result is the whole-file one", async () => {
    // The last row joins the first group: fitted while read up to there, then read whole.
    const body = lines.slice(1);
    const late = write("late.csv", [...body, body[5]!.replace(/,[^,]*$/, ",50")]);
    const same = write(
      "late-interleaved.csv",
      interleave([...body, body[5]!.replace(/,[^,]*$/, ",50")]),
    );
    const restarted = await csvRun(late, { workers: 2 });
    expect(restarted.restarts).toBe(1);
    const reference = await csvRun(same, { restartable: false });
    expect(restarted.text).toBe(reference.text);
    expect(restarted.result.groups[0]!.n).toBe(25);
    // A caller that cannot take rows back gets the whole-file path from the start.
    const plain = await csvRun(late, { restartable: false });
    expect(plain.restarts).toBe(0);
    expect(plain.text).toBe(reference.text);
  }, 60_000);

  it("a bad number in a range far into the file is named by its line", async () => {
    const body = lines.slice(1);
    const at = 2500 * 24 + 3; // a row of group 2,501: line 60,005 of the file (header is line 1)
    body[at] = body[at]!.replace(/,[^,]*$/, ",n/a");
    const bad = write("bad.csv", body);
    // One worker on two or more cores: this thread parses the ranges (the executor's
    // parseHere); two workers on two cores: this thread and one worker, each parsing its own.
    for (const workers of [1, 2]) {
      await expect(runFitGroups(request(bad), { workers, keepRows: 5 })).rejects.toThrow(
        `${bad}:${at + 2}:3: column "response": expected a number, got "n/a"`,
      );
    }
  }, 60_000);

  it("resumes from its journal after an abort: every group once, the same rows", async () => {
    const journal = join(dir, "journal.jsonl");
    const full = await csvRun(grouped);
    const controller = new AbortController();
    const first = await runFitGroups(request(grouped), {
      journal,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done >= 12) controller.abort();
      },
    });
    expect(first.run.aborted).toBe(true);
    expect(first.counts.groups).toBe(3000);
    let text = "";
    const resumed = await runFitGroups(request(grouped), {
      journal,
      workers: 1,
      keepRows: 5,
      onCsvBytes: (bytes) => {
        text += utf8.decode(bytes);
      },
      onRestart: () => {
        text = "";
      },
    });
    expect(resumed.run.resumedChunks).toBeGreaterThanOrEqual(12);
    expect(resumed.run.resumedChunks).toBeLessThan(60);
    expect(text).toBe(full.text);
    const names = text
      .trim()
      .split("\n")
      .map((l) => l.slice(0, l.indexOf(",")));
    expect(new Set(names).size).toBe(3000);
  }, 60_000);
});
