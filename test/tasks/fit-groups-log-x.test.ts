import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runFitGroups } from "../../src/tasks/fit-groups.js";
import { runTask } from "../../src/tasks/run-task.js";

// R's DNase ELISA (examples/dnase.csv): 11 runs, density against the linear concentration.
// `--x-log10 conc` on a grouped fit must be each run's single fit with the same flag.
const DNASE = "examples/dnase.csv";
const dir = mkdtempSync(join(tmpdir(), "biograd-groups-logx-"));
const lines = readFileSync(DNASE, "utf8").trim().split("\n");
const header = lines[0]!;
const request = {
  task: "fit-groups",
  data: { file: DNASE },
  model: "4pl",
  x: ["conc"],
  logX: ["conc"],
  y: "density",
  group: ["run"],
};

function runFile(run: string, rows: string[] = lines.slice(1)): string {
  const file = join(dir, `run-${run}.csv`);
  writeFileSync(file, `${[header, ...rows.filter((l) => l.split(",")[0] === run)].join("\n")}\n`);
  return file;
}

describe("fit-groups with logX (--x-log10)", () => {
  it("fits every group on log10 of the column: each group equals its single fit to 1e-10", async () => {
    const grouped = await runFitGroups(request);
    expect(grouped.groups).toHaveLength(11);
    for (const row of grouped.groups) {
      expect(row.converged).toBe(true);
      const single = (await runTask({
        task: "fit-curve",
        data: { file: runFile(row.group[0]!) },
        model: "4pl",
        x: ["conc"],
        logX: ["conc"],
        y: "density",
      })) as { result: { estimates: Record<string, number> } };
      for (const [name, value] of Object.entries(single.result.estimates)) {
        expect(Math.abs(row.estimate[name]! - value)).toBeLessThanOrEqual(1e-10 * Math.abs(value));
      }
    }
  });

  it("refuses a concentration ≤ 0 naming the option, the file and the group", async () => {
    const file = join(dir, "zero.csv");
    writeFileSync(file, `${[...lines, "3,0,0,0,0.01"].join("\n")}\n`);
    await expect(runFitGroups({ ...request, data: { file } })).rejects.toThrow(
      `logX conc: log10 needs values > 0, got 0 in ${file} (group run = 3)`,
    );
  });
});
