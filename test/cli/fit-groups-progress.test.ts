import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { groupsProgress } from "../../src/cli/fit-groups-print.js";
import type { CliIO } from "../../src/cli/io.js";
import type { GroupsProgress } from "../../src/tasks/fit-groups.js";

// A grouped fit's progress: cli-progress is imported only for a terminal's bar (start-up,
// bench/startup/RESULTS.md), so both kinds are checked here: the bar drawn on a terminal, the
// plain lines elsewhere, nothing with --quiet.
const step = (done: number, total = 4): GroupsProgress => ({
  done,
  total,
  failed: 0,
  resumed: 0,
  elapsedMs: 500 * done,
  rate: done === 0 ? null : 2,
  etaMs: done === total ? null : 1000,
  groupsDone: done * 50,
  groups: total * 50,
});

function io(isTTY: boolean) {
  // A terminal for cli-progress: it draws only on a stream that says it is one.
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 100 });
  let text = "";
  stream.on("data", (b: Buffer) => {
    text += b.toString("utf8");
  });
  const lines: string[] = [];
  const cliIO = { out: () => {}, err: (s: string) => lines.push(s), isTTY, stderr: stream };
  return { cliIO: cliIO as unknown as CliIO, lines, text: () => text };
}

describe("groupsProgress", () => {
  it("draws cli-progress's bar on a terminal, with chunks, rate and ETA", async () => {
    const { cliIO, lines, text } = io(true);
    const progress = await groupsProgress(cliIO, false);
    for (const done of [1, 2, 3, 4]) progress.onProgress!(step(done));
    progress.stop();
    await new Promise((r) => setImmediate(r));
    expect(lines).toEqual([]);
    expect(text()).toMatch(/\d\/4 chunks \| 2\.0\/s \| ETA/);
  });

  it("writes plain lines when stderr is not a terminal, nothing with --quiet", async () => {
    const plain = io(false);
    const progress = await groupsProgress(plain.cliIO, false);
    for (const done of [1, 2, 3, 4]) progress.onProgress!(step(done));
    progress.stop();
    expect(plain.lines).toEqual([
      "fit: 1/4 chunks done (2.0 chunks/s, about 1 s left)",
      "fit: 2/4 chunks done (2.0 chunks/s, about 1 s left)",
      "fit: 3/4 chunks done (2.0 chunks/s, about 1 s left)",
      "fit: 4/4 chunks done (2.0 chunks/s)",
    ]);
    const quiet = io(true);
    expect((await groupsProgress(quiet.cliIO, true)).onProgress).toBeUndefined();
  });
});
