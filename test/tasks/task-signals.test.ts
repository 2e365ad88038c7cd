import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runFitCurve } from "../../src/tasks/fit-curve.js";
import { runTrainLinear } from "../../src/tasks/train-linear.js";
import { runTrainNetwork } from "../../src/tasks/train-network.js";
import type { TaskProgress } from "../../src/tasks/types.js";
import type { TrainCheckpoint } from "../../src/train/train-checkpoint.js";
import { cli } from "../helpers/cli.js";
import { scratch, snapshot } from "../io/snapshot.js";

const example = (name: string) => new URL(`../../examples/${name}`, import.meta.url).pathname;
const LINEAR = example("linear3.csv");
const WDBC = example("breast-cancer-wisconsin.csv");
const PUROMYCIN = example("puromycin-treated.csv");

const linear = {
  task: "train-linear",
  data: { file: LINEAR },
  x: ["x1", "x2", "x3"],
  y: "y",
  transform: { clip: { kind: "global-norm", threshold: 1 }, optimizer: { name: "adam", lr: 0.01 } },
  epochs: 60,
};

describe("training tasks honour options.signal, checkpoint, resumeFrom and onProgress", () => {
  it("train-linear: stops at the next epoch, checkpoints there, and resumes bit for bit", () => {
    const controller = new AbortController();
    const saved: TrainCheckpoint[] = [];
    const progress: TaskProgress[] = [];
    const stopped = runTrainLinear(linear, {
      signal: controller.signal,
      onProgress: (p) => progress.push(p),
      onEpoch: (r) => {
        if (r.epoch === 24) controller.abort();
      },
      checkpoint: { save: (cp) => saved.push(cp) },
    });
    expect(stopped.stopReason).toBe("interrupted");
    expect(stopped.epochs).toBe(25);
    expect(progress.map((p) => p.done)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(progress.every((p) => p.total === 60 && Number.isFinite(p.loss))).toBe(true);
    expect(saved).toHaveLength(1);
    expect(saved[0]!.counters.epoch).toBe(25);

    // Through JSON, as the file would hold it.
    const resumeFrom = JSON.parse(JSON.stringify(saved[0])) as TrainCheckpoint;
    const resumed = runTrainLinear(linear, { resumeFrom });
    const whole = runTrainLinear(linear);
    expect(resumed.stopReason).toBe("max-epochs");
    expect(resumed.parameters).toEqual(whole.parameters);
    expect(resumed.finalLoss).toBe(whole.finalLoss);
    expect(resumed.history).toEqual(whole.history);
  });

  it("train-network: an aborted signal stops the run (mini-batch, validation kept)", () => {
    const controller = new AbortController();
    const request = {
      task: "train-network",
      data: { file: WDBC },
      y: "diagnosis",
      model: "logistic",
      transform: { optimizer: { name: "adam", lr: 0.01 } },
      epochs: 40,
    };
    const r = runTrainNetwork(request, {
      signal: controller.signal,
      onEpoch: (e) => {
        if (e.epoch === 2) controller.abort();
      },
    });
    expect(r.stopReason).toBe("interrupted");
    expect(r.epochs).toBe(3);
    expect(r.network).not.toBeNull(); // a stopped run is still a usable model
  });
});

describe("fit-curve honours options.signal and onProgress", () => {
  const request = {
    task: "fit-curve",
    data: { file: PUROMYCIN },
    model: "Vm*conc/(K+conc)",
    x: ["conc"],
    y: "rate",
    // A poor start (Vm = 0): from a good one, LM alone suffices and the clipped phase is skipped.
    start: { Vm: 0, K: 0.05 },
  };

  it("reports first-order steps as progress, and converges when not stopped", () => {
    const progress: TaskProgress[] = [];
    const doc = runFitCurve(request, { onProgress: (p) => progress.push(p) });
    expect(doc.result.converged).toBe(true);
    const steps = doc.result.phases.find((p) => p.phase === "first-order")!.iterations;
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.done).toBeGreaterThanOrEqual(steps);
    expect(progress.every((p) => p.total === 3000)).toBe(true);
  });

  it("stopped during the first-order phase: no LM run, not converged, says so", () => {
    const controller = new AbortController();
    const doc = runFitCurve(request, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done === 5) controller.abort();
      },
    });
    expect(doc.result.converged).toBe(false);
    expect(doc.result.phases).toHaveLength(1);
    expect(doc.result.phases[0]).toMatchObject({
      phase: "first-order",
      iterations: 5,
      stopReason: "interrupted",
    });
    expect(doc.result.warnings.map((w) => w.message)).toContain(
      "the fit did not converge (interrupted); standard errors are not given",
    );
  });
});

describe("train: every output checked before any work", () => {
  const base = ["train", LINEAR, "--x", "x1,x2,x3", "--y", "y", "--epochs", "5"];

  it.each([
    [["--checkpoint", LINEAR], `--checkpoint ${LINEAR}: is the input file (give another path)`],
    [
      ["--save", "x.json"],
      "--save: for networks; a linear run's --out file is its model for predict",
    ],
    [
      ["--checkpoint-every", "10"],
      "--checkpoint-every: give the file to write with --checkpoint FILE",
    ],
  ])("%j is refused", async (extra, message) => {
    const r = await cli(...base, ...extra);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`biograd: ${message}`]);
  });

  it("two outputs at one path, an output over the checkpoint resumed from, a bad checkpoint", async () => {
    const dir = scratch();
    const at = (name: string) => join(dir, name);
    writeFileSync(at("c.json"), '{"format":"biograd-train-checkpoint","version":2}\n');
    const before = snapshot(dir);
    const same = await cli(...base, "--out", at("r.json"), "--history-jsonl", at("r.json"));
    expect(same.err).toEqual([
      `biograd: --history-jsonl ${at("r.json")}: is the same file as --out (give another path)`,
    ]);
    const over = await cli(...base, "--resume-from", at("c.json"), "--checkpoint", at("c.json"));
    expect(over.err).toEqual([
      `biograd: --checkpoint ${at("c.json")}: is the input file (give another path)`,
    ]);
    const bad = await cli(...base, "--resume-from", at("c.json"));
    expect(bad.code).toBe(2);
    expect(bad.err).toEqual([`biograd: ${at("c.json")}: version: expected 1`]);
    expect(snapshot(dir)).toEqual(before);
  });
});
