import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runTrainLinear } from "../../src/tasks/train-linear.js";
import { runTrainNetwork } from "../../src/tasks/train-network.js";
import { cli } from "../helpers/cli.js";

const example = (name: string) => new URL(`../../examples/${name}`, import.meta.url).pathname;
const LINEAR = example("linear3.csv");
const WDBC = example("breast-cancer-wisconsin.csv");
const DIABETES = example("diabetes.csv");
const dir = mkdtempSync(join(tmpdir(), "biograd-train-tasks-"));

describe("train is a thin front end over the training tasks", () => {
  it("linear: --format json prints the task's result; a direct task call gives bit-identical parameters", async () => {
    const r = await cli(
      "train",
      LINEAR,
      "--x",
      "x1,x2,x3",
      "--y",
      "y",
      "--clip",
      "zclip:2.5",
      "--optimizer",
      "sgd:0.05,momentum=0.9",
      "--schedule",
      "cosine:0.001",
      "--warmup",
      "5",
      "--batch-size",
      "16",
      "--epochs",
      "40",
      "--seed",
      "7",
      "--format",
      "json",
    );
    expect(r.code, r.err.join("\n")).toBe(0);
    expect(r.out.filter((l) => l !== "")).toHaveLength(1);
    const printed = JSON.parse(r.out[0]!);
    const direct = runTrainLinear({
      task: "train-linear",
      data: { file: LINEAR },
      x: ["x1", "x2", "x3"],
      y: "y",
      transform: {
        guard: "error",
        clip: { kind: "zclip", threshold: 2.5 },
        optimizer: { name: "sgd", lr: 0.05, momentum: 0.9 },
        schedule: { kind: "cosine", minLr: 0.001, warmup: 5 },
      },
      epochs: 40,
      batchSize: 16,
      seed: 7,
    });
    expect(JSON.stringify(printed.parameters)).toBe(JSON.stringify(direct.parameters));
    expect(printed.history.loss).toEqual(direct.history.loss);
    expect(printed.settings).toEqual(JSON.parse(JSON.stringify(direct.settings)));
    expect(printed.transform).toBe(
      "chain(guardNonFinite(error), zClip(adaptive-scaling, z 2.5, alpha 0.97, cap 1), sgd(schedule, momentum 0.9))",
    );
  });

  it("network: --format json and a direct task call give bit-identical parameters", async () => {
    const r = await cli(
      "train",
      WDBC,
      "--y",
      "diagnosis",
      "--task",
      "classify",
      "--model",
      "mlp:4:tanh",
      "--epochs",
      "5",
      "--clip",
      "agc:0.05",
      "--seed",
      "2",
      "--format",
      "json",
    );
    expect(r.code, r.err.join("\n")).toBe(0);
    const printed = JSON.parse(r.out[0]!);
    const direct = runTrainNetwork({
      task: "train-network",
      data: { file: WDBC },
      y: "diagnosis",
      model: "mlp:4:tanh",
      problem: "classify",
      transform: { clip: { kind: "agc", threshold: 0.05 }, optimizer: { name: "adam", lr: 0.01 } },
      epochs: 5,
      seed: 2,
    });
    expect(JSON.stringify(printed.parameters)).toBe(JSON.stringify(direct.parameters));
    expect(JSON.stringify(printed.network.params)).toBe(JSON.stringify(direct.network!.params));
    expect(printed.metrics).toEqual(direct.metrics);
  });

  it("linear --out is a model file: kind linear, its features, w and b", async () => {
    const out = join(dir, "linear.json");
    const r = await cli(
      "train",
      LINEAR,
      "--x",
      "x1,x2,x3",
      "--y",
      "y",
      "--epochs",
      "50",
      "--out",
      out,
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(out, "utf8"));
    expect(doc.kind).toBe("linear");
    expect(doc.model.features).toEqual(["x1", "x2", "x3"]);
    expect(doc.model.target).toBe("y");
    expect(doc.model.w).toEqual(doc.parameters.w);
    expect(doc.model.b).toBe(doc.parameters.b);
    expect(doc.request.task).toBe("train-linear");
  });

  it("a diverged network with --clip none exits 1 saying so, and saves nothing", async () => {
    const save = join(dir, "diverged.json");
    for (const policy of ["skip", "zero"]) {
      const r = await cli(
        "train",
        DIABETES,
        "--y",
        "progression",
        "--model",
        "mlp:16:relu",
        "--clip",
        "none",
        "--optimizer",
        "sgd:50",
        "--epochs",
        "20",
        "--on-non-finite",
        policy,
        "--save",
        save,
      );
      expect(r.code).toBe(1);
      expect(r.err.at(-1)).toMatch(/^biograd: training diverged \(loss became non-finite\)/);
      expect(r.err.join("\n")).not.toMatch(/rmse|yPred|at .*\.ts/);
      expect(existsSync(save)).toBe(false);
    }
    // The default guard ("error") stops at the first non-finite gradient, naming it.
    const r = await cli(
      "train",
      DIABETES,
      "--y",
      "progression",
      "--model",
      "mlp:16:relu",
      "--clip",
      "none",
      "--optimizer",
      "sgd:50",
      "--epochs",
      "20",
    );
    expect(r.code).toBe(1);
    expect(r.err).toEqual([
      expect.stringMatching(
        /^biograd: training diverged: the gradient of "dense1\.W\[\d+,\d+\]" is NaN at step \d+ /,
      ),
    ]);
  });

  it("--schedule exp:2 and step:100:1.5 are refused (exit 2, one line)", async () => {
    for (const schedule of ["exp:2", "step:100:1.5"]) {
      const r = await cli("train", LINEAR, "--x", "x1", "--y", "y", "--schedule", schedule);
      expect(r.code).toBe(2);
      expect(r.err).toEqual([
        `biograd: --schedule: gamma: expected a decay factor in (0, 1] (in "${schedule}")`,
      ]);
    }
  });
});
