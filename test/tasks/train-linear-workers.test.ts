import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runTrainLinear } from "../../src/tasks/train-linear.js";
import { cli } from "../helpers/cli.js";

const LINEAR = new URL("../../examples/linear3.csv", import.meta.url).pathname;
/** numpy's lstsq on the same file (examples/make_linear3.py). */
const solution = JSON.parse(
  readFileSync(new URL("../../examples/linear3.solution.json", import.meta.url), "utf8"),
) as { w: number[]; b: number };

const request = {
  task: "train-linear",
  data: { file: LINEAR },
  x: ["x1", "x2", "x3"],
  y: "y",
  transform: { clip: { kind: "global-norm", threshold: 1 }, optimizer: { name: "adam", lr: 0.01 } },
  epochs: 300,
};

describe("train-linear over worker threads (workers)", () => {
  it("follows the one-thread run to 1e-12 and repeats itself bit for bit", () => {
    const one = runTrainLinear(request);
    const two = runTrainLinear({ ...request, workers: 2 });
    const again = runTrainLinear({ ...request, workers: 2 });
    expect(two.settings.workers).toBe(2);
    const w1 = one.parameters.w as number[];
    const w2 = two.parameters.w as number[];
    for (let j = 0; j < 3; j++) expect(Math.abs(w2[j]! - w1[j]!)).toBeLessThan(1e-12);
    expect(Math.abs(two.finalLoss! - one.finalLoss!) / one.finalLoss!).toBeLessThan(1e-12);
    expect(JSON.stringify(again.parameters)).toBe(JSON.stringify(two.parameters));
    expect(again.finalLoss).toBe(two.finalLoss);
  });

  it("mini-batches (shuffled rows) work with workers too", () => {
    const one = runTrainLinear({ ...request, batchSize: 7, epochs: 20 });
    const three = runTrainLinear({ ...request, batchSize: 7, epochs: 20, workers: 3 });
    const w1 = one.parameters.w as number[];
    const w3 = three.parameters.w as number[];
    for (let j = 0; j < 3; j++) expect(Math.abs(w3[j]! - w1[j]!)).toBeLessThan(1e-10);
  });

  it("rejects workers < 1 naming the field", () => {
    expect(() => runTrainLinear({ ...request, workers: 0 })).toThrow(/workers/);
  });

  it("biograd train --workers 2 reaches numpy's least-squares solution", async () => {
    const r = await cli(
      "train",
      LINEAR,
      "--x",
      "x1,x2,x3",
      "--y",
      "y",
      "--epochs",
      "3000",
      "--workers",
      "2",
      "--format",
      "json",
    );
    expect(r.code).toBe(0);
    const run = JSON.parse(r.out.join("\n"));
    const w = run.parameters.w as number[];
    for (let j = 0; j < 3; j++) expect(Math.abs(w[j]! - solution.w[j]!)).toBeLessThan(1e-8);
    expect(Math.abs(run.parameters.b - solution.b)).toBeLessThan(1e-8);
    expect(run.settings.workers).toBe(2);
  });
});
