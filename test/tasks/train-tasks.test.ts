import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runTask, taskKinds } from "../../src/tasks/run-task.js";
import { runTrainLinear } from "../../src/tasks/train-linear.js";
import { runTrainNetwork } from "../../src/tasks/train-network.js";

const example = (name: string) => new URL(`../../examples/${name}`, import.meta.url).pathname;
const LINEAR = example("linear3.csv");
const WDBC = example("breast-cancer-wisconsin.csv");

/** A CSV file (no quoting) as inline columns: numbers where the text is a number. */
function inlineColumns(file: string): Record<string, (number | string)[]> {
  const [head, ...lines] = readFileSync(file, "utf8").trim().split("\n");
  const names = head!.split(",");
  const cells = lines.map((l) => l.split(","));
  return Object.fromEntries(
    names.map((n, j) => [n, cells.map((c) => (Number.isNaN(Number(c[j])) ? c[j]! : Number(c[j])))]),
  );
}

const linear = {
  task: "train-linear",
  data: { file: LINEAR },
  x: ["x1", "x2", "x3"],
  y: "y",
  transform: { clip: { kind: "global-norm", threshold: 1 }, optimizer: { name: "adam", lr: 0.01 } },
  epochs: 30,
};

describe("training tasks", () => {
  it("runTask knows both tasks and gives the direct call's bits", async () => {
    expect(taskKinds()).toEqual(expect.arrayContaining(["train-linear", "train-network"]));
    const direct = runTrainLinear(linear);
    const viaTask = (await runTask(linear)) as typeof direct;
    expect(viaTask.parameters).toEqual(direct.parameters);
    expect(viaTask.finalLoss).toBe(direct.finalLoss);
  });

  it("train-linear: inline columns give bit-identical parameters to the file", () => {
    const fromFile = runTrainLinear(linear);
    const inline = runTrainLinear({
      ...linear,
      data: { columns: inlineColumns(LINEAR), name: "t" },
    });
    expect(JSON.stringify(inline.parameters)).toBe(JSON.stringify(fromFile.parameters));
    expect(inline.data.source).toBe("t");
  });

  it("train-linear: progress once per epoch, in order", () => {
    const seen: number[] = [];
    const r = runTrainLinear(linear, {
      onProgress: (p) => {
        expect(p.total).toBe(30);
        expect(Number.isFinite(p.loss)).toBe(true);
        seen.push(p.done);
      },
    });
    expect(seen).toEqual(Array.from({ length: r.epochs }, (_, i) => i + 1));
  });

  it("train-network: inline columns give bit-identical parameters to the file", () => {
    const request = {
      task: "train-network",
      data: { file: WDBC },
      y: "diagnosis",
      model: "logistic",
      transform: { optimizer: { name: "adam", lr: 0.01 } },
      epochs: 3,
    };
    const fromFile = runTrainNetwork(request);
    const inline = runTrainNetwork({ ...request, data: { columns: inlineColumns(WDBC) } });
    expect(JSON.stringify(inline.parameters)).toBe(JSON.stringify(fromFile.parameters));
    expect(inline.network?.kind).toBe("network");
    expect(inline.metrics?.test?.accuracy).toBe(fromFile.metrics?.test?.accuracy);
  });

  const refused: [string, object, string | RegExp][] = [
    [
      "a string threshold",
      { transform: { clip: { kind: "norm", threshold: "1" }, optimizer: { name: "sgd", lr: 1 } } },
      "request: transform.clip.threshold: expected a finite number",
    ],
    ["zero epochs", { epochs: 0 }, "request: epochs: expected an integer >= 1"],
    ["an unknown key", { epoch: 3 }, /^request: Unrecognized key: "epoch"/],
    ["a missing column", { x: ["x1", "x9"] }, /linear3\.csv:1: no column "x9"/],
    [
      "a growing schedule",
      { transform: { optimizer: { name: "sgd", lr: 1 }, schedule: { kind: "exp", gamma: 2 } } },
      "request: transform.schedule.gamma: expected a decay factor in (0, 1]",
    ],
    [
      "an inline string",
      { data: { columns: { x1: [1, "a"], x2: [1, 2], x3: [1, 2], y: [1, 2] } } },
      'request data: columns.x1[1]: expected a finite number or null, got "a"',
    ],
  ];
  for (const [name, change, message] of refused) {
    it(`refuses ${name}, naming the JSON path`, () => {
      expect(() => runTrainLinear({ ...linear, ...change })).toThrow(message);
    });
  }
});
