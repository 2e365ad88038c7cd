import { describe, expect, it } from "vitest";
import { runSeedDemo } from "../../src/demos/seed.js";
import { historyColumns } from "../../src/learn/run-summary.js";
import { seedComparisonSpec } from "../../src/report/seed-spec.js";
import { sweepSpec } from "../../src/report/sweep-spec.js";
import { thinIndices } from "../../src/report/thin.js";
import { trainingSpec } from "../../src/report/training-spec.js";

type Row = Record<string, number | string | boolean | null>;

describe("trainingSpec", () => {
  // The seed's run: the ±0.1 value clip binds at every step.
  const run = runSeedDemo({ iterations: 300 });
  const history = historyColumns(run.result.history);
  const spec = trainingSpec(history);

  it("draws the loss, both norms and every clipped epoch from the history", () => {
    const loss = spec.datasets.loss as Row[];
    expect(loss.map((r) => r.loss)).toEqual(history.loss);
    const norms = spec.datasets.norms as Row[];
    const before = norms.filter((r) => r.series === "before clipping").map((r) => r.norm);
    const after = norms.filter((r) => r.series === "after clipping").map((r) => r.norm);
    expect(before).toEqual(history.gradNorm);
    expect(after).toEqual(history.clippedNorm);
    const clipped = (spec.datasets.clipped as Row[]).map((r) => r.epoch);
    expect(clipped).toEqual(history.epoch.filter((_, i) => history.clipFraction[i]! > 0));
    expect(clipped.length).toBe(300);
  });

  it("puts the loss on a log scale and keeps the validation loss as its own series", () => {
    expect(JSON.stringify(spec.vconcat)).toContain('"scale":{"type":"log"}');
    const withValidation = trainingSpec({
      ...history,
      validationLoss: history.loss.map((l) => l! * 2),
    });
    const series = new Set((withValidation.datasets.loss as Row[]).map((r) => r.series));
    expect([...series]).toEqual(["training loss", "validation loss"]);
  });

  it("draws at most `limit` epochs of a long history, the first and last kept", () => {
    const n = 1_000_000;
    const col = (f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
    const long = trainingSpec(
      {
        epoch: col((i) => i),
        loss: col((i) => 1 / (i + 1)),
        gradNorm: col(() => 2),
        clippedNorm: col(() => 1),
        clipFraction: col(() => 1),
        threshold: col(() => 1),
      },
      { limit: 1000 },
    );
    const epochs = (long.datasets.loss as Row[]).map((r) => r.epoch);
    expect(epochs.length).toBe(1000);
    expect(epochs[0]).toBe(0);
    expect(epochs.at(-1)).toBe(n - 1);
    expect(thinIndices(5, 10)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe("sweepSpec", () => {
  it("one cell per setting and rate, the median over seeds, diverged runs counted as +inf", () => {
    const runs = [1, 2, 30].map((loss, seed) => ({
      clip: "value",
      threshold: 0.5,
      lr: 0.1,
      diverged: seed === 2 ? "exploded" : null,
      finalLoss: loss,
    }));
    const spec = sweepSpec(
      [
        ...runs,
        { clip: "none", threshold: null, lr: 0.1, diverged: "non-finite", finalLoss: null },
      ],
      { found: true, kind: "value", lr: 0.1, thresholds: [0.5, 0.5] },
    );
    const cells = spec.datasets.cells as Row[];
    expect(cells).toHaveLength(2);
    expect(cells[0]).toMatchObject({
      setting: "value 0.5",
      medianFinalLoss: 2,
      diverged: 1,
      recommended: true,
    });
    expect(cells[1]).toMatchObject({ setting: "none", medianFinalLoss: null, recommended: false });
  });
});

describe("seedComparisonSpec", () => {
  it("holds both runs' MSE per iteration", () => {
    const spec = seedComparisonSpec([
      { label: "clipped", loss: [3, 2, 1] },
      { label: "plain", loss: [3, 9, Number.POSITIVE_INFINITY] },
    ]);
    expect(spec.datasets.mse).toEqual([
      { run: "clipped", iteration: 0, mse: 3 },
      { run: "clipped", iteration: 1, mse: 2 },
      { run: "clipped", iteration: 2, mse: 1 },
      { run: "plain", iteration: 0, mse: 3 },
      { run: "plain", iteration: 1, mse: 9 },
    ]);
  });
});
