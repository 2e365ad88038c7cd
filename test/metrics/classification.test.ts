import { describe, expect, it } from "vitest";
import {
  accuracy,
  argmaxClasses,
  LOG_LOSS_EPS,
  logLoss,
  logLossMulticlass,
  thresholdClasses,
} from "../../src/metrics/classification.js";
import { f64, near, reference, thrown } from "./helpers.js";

describe("accuracy", () => {
  it("is the fraction of equal labels", () => {
    expect(accuracy(f64([0, 1, 2, 1]), f64([0, 2, 2, 1]))).toBe(0.75);
    expect(accuracy(f64([1]), f64([0]))).toBe(0);
  });

  it("with thresholdClasses (p > 0.5) and argmaxClasses (first maximum)", () => {
    expect([...thresholdClasses(f64([0.2, 0.5, 0.51, 1]))]).toEqual([0, 0, 1, 1]);
    expect([...thresholdClasses(f64([0.2, 0.5]), 0.3)]).toEqual([0, 1]);
    const probs = f64([0.2, 0.5, 0.3, 0.4, 0.4, 0.2, 0.1, 0.1, 0.8]);
    expect([...argmaxClasses(probs, { classes: 3 })]).toEqual([1, 0, 2]);
  });
});

describe("logLoss (binary)", () => {
  it("is the mean −log of the observed class's probability", () => {
    const y = f64([1, 0, 1, 0]);
    const p = f64([0.9, 0.2, 0.5, 0.4]);
    const expected = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.5) + Math.log(0.6)) / 4;
    expect(logLoss(y, p)).toBeCloseTo(expected, 15);
  });

  it("clips the observed class's probability to [ε, 1 − ε], ε = 1e-15 by default", () => {
    expect(LOG_LOSS_EPS).toBe(1e-15);
    // Symmetric: relabelling the classes (y → 1 − y, p → 1 − p) leaves the loss unchanged.
    expect(logLoss(f64([0, 1]), f64([1, 0]))).toBe(logLoss(f64([1, 0]), f64([0, 1])));
    expect(logLoss(f64([1]), f64([0]))).toBe(-Math.log(1e-15));
    expect(logLoss(f64([0]), f64([1]))).toBe(-Math.log(1e-15));
    expect(logLoss(f64([1]), f64([1]))).toBe(-Math.log(1 - 1e-15));
    expect(logLoss(f64([1, 0]), f64([0, 0]), { eps: 1e-7 })).toBe(
      -(Math.log(1e-7) + Math.log(1 - 1e-7)) / 2,
    );
  });

  it("refuses labels other than 0/1, probabilities outside [0, 1] and a bad eps", () => {
    expect(thrown(() => logLoss(f64([2]), f64([0.5]))).message).toMatchInlineSnapshot(
      `"logLoss: yTrue[0] is 2, expected 0 or 1"`,
    );
    expect(thrown(() => logLoss(f64([1]), f64([1.5]))).message).toMatchInlineSnapshot(
      `"logLoss: p[0] is 1.5, expected a probability in [0, 1]"`,
    );
    expect(thrown(() => logLoss(f64([1]), f64([0.5]), { eps: 0 })).message).toMatchInlineSnapshot(
      `"logLoss: eps must be a number in (0, 0.5), got 0"`,
    );
  });
});

describe("logLossMulticlass", () => {
  it("is the mean −log P[i, y_i] on row-major probabilities", () => {
    const y = f64([0, 2]);
    const probs = f64([0.7, 0.2, 0.1, 0.25, 0.25, 0.5]);
    expect(logLossMulticlass(y, probs, { classes: 3 })).toBeCloseTo(
      -(Math.log(0.7) + Math.log(0.5)) / 2,
      15,
    );
    expect(logLossMulticlass(f64([1]), f64([1, 0, 0]), { classes: 3 })).toBe(-Math.log(1e-15));
  });

  it("refuses rows that are not probabilities and shapes that do not fit", () => {
    expect(
      thrown(() => logLossMulticlass(f64([0]), f64([2, -1, 0]), { classes: 3 })).message,
    ).toMatchInlineSnapshot(`"logLossMulticlass: probs[0] is 2, expected a probability in [0, 1]"`);
    expect(
      thrown(() => logLossMulticlass(f64([0]), f64([0.5, 0.4, 0.2]), { classes: 3 })).message,
    ).toMatchInlineSnapshot(
      `"logLossMulticlass: row 0 of probs sums to 1.1, not 1; pass probabilities (e.g. softmax outputs), not scores"`,
    );
    expect(
      thrown(() => logLossMulticlass(f64([0, 1]), f64([0.5, 0.5]), { classes: 2 })).message,
    ).toMatchInlineSnapshot(
      `"logLossMulticlass: probs has 2 values, expected 2 × 2 = 4 (one row per entry of yTrue)"`,
    );
    expect(
      thrown(() => logLossMulticlass(f64([0]), f64([1]), { classes: 1 })).message,
    ).toMatchInlineSnapshot(`"logLossMulticlass: classes must be an integer >= 2, got 1"`);
    expect(
      thrown(() => logLossMulticlass(f64([3]), f64([0.5, 0.3, 0.2]), { classes: 3 })).message,
    ).toMatchInlineSnapshot(`"logLossMulticlass: yTrue[0] is 3, expected a class index 0..2"`);
  });
});

describe("against sklearn.metrics (fixture)", () => {
  it("binary log-loss and accuracy", () => {
    for (const [name, c] of Object.entries(reference.binary)) {
      if (c.prob === undefined) continue;
      const y = f64(c.y_true);
      const p = f64(c.prob);
      const loss = logLoss(y, p, { eps: c.eps! });
      expect(near(loss, c.log_loss_symmetric_clip!, 1e-13), name).toBe(true);
      // scikit-learn 1.2 clips p rather than the observed class's probability: the values
      // agree unless a negative row has p > 1 − ε (one such row in "ties").
      if (c.clipped_negatives === 0) expect(near(loss, c.log_loss!, 1e-13), name).toBe(true);
      else expect(loss).not.toBe(c.log_loss);
      expect(accuracy(y, thresholdClasses(p)), name).toBe(c.accuracy_threshold_0_5);
    }
  });

  it("multiclass log-loss and accuracy of the argmax", () => {
    for (const [name, c] of Object.entries(reference.multiclass)) {
      const y = f64(c.y_true);
      const probs = f64(c.prob_row_major);
      const opts = { classes: c.classes, eps: c.eps };
      expect(near(logLossMulticlass(y, probs, opts), c.log_loss, 1e-13), name).toBe(true);
      expect(accuracy(y, argmaxClasses(probs, opts)), name).toBe(c.accuracy_argmax);
    }
  });
});
