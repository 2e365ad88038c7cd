import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runTask } from "../../src/tasks/run-task.js";
import type { SweepCellResult } from "../../src/tasks/sweep-cell.js";
import { cli } from "../helpers/cli.js";
import { tempDir } from "../sweep/helpers.js";

const example = (name: string) => new URL(`../../examples/${name}`, import.meta.url).pathname;

interface Doc {
  runs: ({ spec: Record<string, unknown>; setting: string; seed: number } & SweepCellResult)[];
}

/** A run of the --out document as the task returns it, without its wall time. */
function record(run: Doc["runs"][number]) {
  const r: Record<string, unknown> = {};
  for (const k of [
    "initialLoss",
    "finalLoss",
    "bestLoss",
    "lastLoss",
    "epochs",
    "stopReason",
    "epochsToThreshold",
    "clipFraction",
    "nonFiniteGradient",
  ] as const) {
    r[k] = run[k];
  }
  return r;
}

const withoutTime = ({ timeMs: _, ...rest }: SweepCellResult) => rest;

/** Runs `biograd sweep …` with --out and returns the document. */
async function sweep(...args: string[]): Promise<Doc> {
  const out = join(tempDir(), "sweep.json");
  const r = await cli("sweep", ...args, "--out", out);
  expect(r.code, r.err.join("\n")).toBe(0);
  return JSON.parse(readFileSync(out, "utf8")) as Doc;
}

describe("sweep-cell: the CLI sweep and runTask give bit-identical results for a cell", () => {
  it("train cells on worker threads (agc, autoclip, zclip on the linear model)", async () => {
    const doc = await sweep(
      "train",
      example("linear3.csv"),
      "--x",
      "x1,x2,x3",
      "--y",
      "y",
      "--clip",
      "agc:0.01,autoclip:10,zclip:2.5,warmup-steps=5",
      "--lr",
      "0.1",
      "--epochs",
      "30",
      "--seeds",
      "2",
      "--batch-size",
      "50",
      "--workers",
      "2",
    );
    expect(doc.runs).toHaveLength(8);
    for (const run of doc.runs) {
      expect(run.spec.task).toBe("sweep-cell");
      const direct = (await runTask(run.spec)) as SweepCellResult;
      expect(withoutTime(direct), `${run.setting} seed ${run.seed}`).toEqual(record(run));
    }
    // The cell's numbers are the train-linear task's own (what `biograd train` prints).
    const cell = doc.runs.find((r) => r.setting === "zclip:2.5,warmup-steps=5 lr=0.1")!;
    const trained = await runTask((cell.spec as { run: unknown }).run);
    expect(cell.finalLoss).toBe((trained as { finalLoss: number }).finalLoss);
    expect(cell.epochs).toBe(30);
    // Seeds differ (mini-batch order), so the comparison above is not vacuous.
    const zclip = doc.runs.filter((r) => r.setting === cell.setting);
    expect(new Set(zclip.map((r) => r.finalLoss)).size).toBe(2);
  });

  it("fit cells, with --x naming the formula's variable's column", async () => {
    const args = ["--y", "rate", "--start", "Vm=150,K=0.1", "--bounds", "Vm=0:inf,K=0:inf"];
    const grid = ["--clip", "global-norm:1,zclip:2", "--lr", "0.05", "--steps", "300"];
    const common = [...grid, "--seeds", "2", "--workers", "0"];
    const file = example("puromycin-treated.csv");
    const named = await sweep(
      "fit",
      file,
      "--model",
      "Vm*S/(K+S)",
      "--x",
      "S=conc",
      ...args,
      ...common,
    );
    const plain = await sweep(
      "fit",
      file,
      "--model",
      "Vm*conc/(K+conc)",
      "--x",
      "conc",
      ...args,
      ...common,
    );
    expect(named.runs).toHaveLength(6);
    for (const [i, run] of named.runs.entries()) {
      const direct = (await runTask(run.spec)) as SweepCellResult;
      expect(withoutTime(direct)).toEqual(record(run));
      // Renaming the variable changes nothing in the numbers.
      expect(record(run)).toEqual(record(plain.runs[i]!));
    }
    expect(named.runs.every((r) => r.finalLoss !== null && r.finalLoss < r.initialLoss!)).toBe(
      true,
    );
  });
});

describe("sweep-cell requests are checked", () => {
  const linear = {
    task: "train-linear",
    data: { file: example("linear3.csv") },
    x: ["x1"],
    y: "y",
    transform: { optimizer: { name: "sgd", lr: 0.1 } },
    epochs: 2,
  };

  it("a fit cell needs its first-order phase; a train cell has none", async () => {
    const fit = {
      task: "fit-curve",
      data: { file: example("puromycin-treated.csv") },
      model: "michaelis-menten",
      x: ["conc"],
      y: "rate",
    };
    await expect(runTask({ task: "sweep-cell", run: fit })).rejects.toThrow(
      "request: firstOrder: a fit-curve cell needs its first-order phase",
    );
    const firstOrder = { transform: linear.transform, steps: 1, seed: 0, startJitter: 0 };
    await expect(runTask({ task: "sweep-cell", run: linear, firstOrder })).rejects.toThrow(
      "request: firstOrder: only fit-curve cells have one",
    );
    await expect(runTask({ task: "sweep-cell", run: { ...linear, epochs: 0 } })).rejects.toThrow(
      "request: run.epochs: expected an integer >= 1",
    );
  });

  it("refuses a data file that changed since the cell was planned", async () => {
    const dir = tempDir();
    const file = join(dir, "data.csv");
    copyFileSync(example("linear3.csv"), file);
    const cell = {
      task: "sweep-cell",
      run: { ...linear, data: { file } },
      dataSha256: "0".repeat(64),
    };
    await expect(runTask(cell)).rejects.toThrow(
      `request: dataSha256: ${file} has changed since the cell was planned`,
    );
  });
});
