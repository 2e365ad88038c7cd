import { describe, expect, it } from "vitest";
import { runTrainNetwork } from "../../src/tasks/train-network.js";

const DIABETES = new URL("../../examples/diabetes.csv", import.meta.url).pathname;

describe("a regression network's validation loss", () => {
  it("is on the training loss's scale (standardised target), its val_loss metric in the target's units", () => {
    const r = runTrainNetwork({
      task: "train-network",
      data: { file: DIABETES },
      y: "progression",
      model: "mlp:8",
      epochs: 30,
      transform: {
        clip: { kind: "global-norm", threshold: 1 },
        optimizer: { name: "adam", lr: 0.01 },
      },
    });
    // The network keeps the best validation epoch's parameters: the measured metrics are at
    // that epoch. Both ratios below are the training target's variance (the standardisation).
    const best = r.bestEpoch!;
    const validation = r.history.validationLoss![best]!;
    const scaleFromValidation = r.metrics!.validation!.loss! / validation;
    const scaleFromTrain = r.metrics!.train.loss! / r.finalLoss!;
    expect(scaleFromValidation).toBeGreaterThan(100); // progression's sd is ~77
    expect(scaleFromValidation / scaleFromTrain).toBeCloseTo(1, 10);
    // So the chart's two curves are comparable: same order of magnitude.
    expect(validation / r.history.loss[best]!).toBeLessThan(5);
  });
});
