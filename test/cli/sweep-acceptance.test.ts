import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runTask } from "../../src/tasks/run-task.js";
import { sweepCli, tempDir } from "../sweep/helpers.js";

const example = (name: string) => new URL(`../../examples/${name}`, import.meta.url).pathname;

interface Doc {
  runs: {
    setting: string;
    seed: number;
    diverged: string | null;
    finalLoss: number | null;
    clipFraction: number;
    spec: { run: Record<string, unknown> };
  }[];
}

describe("sweep train: the issue's acceptance commands", () => {
  it("--clip agc:0.01,autoclip:10,zclip:2.5 on linear3.csv runs every kind", async () => {
    const out = join(tempDir(), "clips.json");
    const r = await sweepCli(
      "train",
      example("linear3.csv"),
      "--x",
      "x1,x2,x3",
      "--y",
      "y",
      "--clip",
      "agc:0.01,autoclip:10,zclip:2.5",
      "--epochs",
      "50",
      "--seeds",
      "2",
      "--out",
      out,
    );
    expect(r.code, r.err.join("\n")).toBe(0);
    expect(r.out.join("\n")).toMatch(
      /grid: 4 clips \(baseline "none" added\) × 3 learning rates × 2 seeds = 24 runs; sgd, 50 epochs/,
    );
    const doc = JSON.parse(readFileSync(out, "utf8")) as Doc;
    expect(doc.runs).toHaveLength(24);
    for (const kind of ["agc", "autoclip", "zclip"]) {
      const runs = doc.runs.filter((run) => run.setting.startsWith(`${kind}:`));
      expect(runs).toHaveLength(6);
      expect(runs.every((run) => run.finalLoss !== null)).toBe(true);
    }
    // AGC at λ = 0.01 clips every step of this model (|Δw| ≤ 0.01·|w|); the baseline never.
    const agc = doc.runs.filter((run) => run.setting.startsWith("agc:"));
    expect(agc.every((run) => run.clipFraction === 1)).toBe(true);
    const baseline = doc.runs.filter((run) => run.setting.startsWith("none "));
    expect(baseline.every((run) => run.clipFraction === 0)).toBe(true);
  });

  it("--model mlp:16 on diabetes.csv sweeps networks through the train-network task", async () => {
    const out = join(tempDir(), "mlp.json");
    const r = await sweepCli(
      "train",
      example("diabetes.csv"),
      "--y",
      "progression",
      "--model",
      "mlp:16",
      "--epochs",
      "20",
      "--seeds",
      "2",
      "--clip",
      "global-norm:1,block-rms:0.1",
      "--optimizer",
      "adam",
      "--lr",
      "0.01,3",
      "--workers",
      "0",
      "--out",
      out,
    );
    expect(r.code, r.err.join("\n")).toBe(0);
    const text = r.out.join("\n");
    expect(text).toMatch(
      /^biograd sweep train: mlp:16 \(regress\) of progression on 10 features$/m,
    );
    expect(text).toMatch(/= 12 runs; adam, 20 epochs, batch 32/);
    const doc = JSON.parse(readFileSync(out, "utf8")) as Doc;
    expect(doc.runs).toHaveLength(12);
    const cell = doc.runs[0]!.spec.run;
    expect(cell).toMatchObject({ task: "train-network", model: "mlp:16", problem: "regress" });
    // At lr 0.01 every run trains (standardised target: a loss well below its variance 1).
    const slow = doc.runs.filter((run) => run.setting.endsWith("lr=0.01"));
    for (const run of slow) {
      expect(run.diverged).toBeNull();
      expect(run.finalLoss!).toBeLessThan(0.8);
    }
    // The cell's final loss is the train-network task's own.
    const direct = (await runTask(cell)) as { finalLoss: number | null };
    expect(direct.finalLoss).toBe(doc.runs[0]!.finalLoss);
  });

  it("--model logistic classifies (cross-entropy below log 2 after 5 epochs)", async () => {
    const out = join(tempDir(), "logistic.json");
    const r = await sweepCli(
      "train",
      example("breast-cancer-wisconsin.csv"),
      "--y",
      "diagnosis",
      "--model",
      "logistic",
      "--epochs",
      "5",
      "--seeds",
      "1",
      "--clip",
      "value:1",
      "--lr",
      "0.1",
      "--workers",
      "0",
      "--out",
      out,
    );
    expect(r.code, r.err.join("\n")).toBe(0);
    expect(r.out[0]).toBe("biograd sweep train: logistic (classify) of diagnosis on 30 features");
    const doc = JSON.parse(readFileSync(out, "utf8")) as Doc;
    expect(doc.runs.map((run) => run.spec.run.problem)).toEqual(["classify", "classify"]);
    for (const run of doc.runs) expect(run.finalLoss!).toBeLessThan(Math.log(2));
  });

  it("an unknown --model or a missing column is refused before any run", async () => {
    const bad = await sweepCli(
      "train",
      example("diabetes.csv"),
      "--y",
      "progression",
      "--model",
      "tree",
    );
    expect(bad.code).toBe(2);
    expect(bad.err.filter(Boolean)).toEqual([
      'biograd: --model: unknown model "tree" (expected linear, logistic or mlp:H1,H2[:activation])',
    ]);
    const missing = await sweepCli(
      "train",
      example("diabetes.csv"),
      "--y",
      "outcome",
      "--model",
      "mlp:4",
    );
    expect(missing.code).toBe(2);
    expect(missing.err.filter(Boolean)).toHaveLength(1);
    expect(missing.err[0]).toMatch(/diabetes\.csv:1: no column "outcome"/);
  });
});
