import { describe, expect, it } from "vitest";
import { aggregate } from "../../src/sweep/aggregate.js";
import { parseGrid } from "../../src/sweep/grid.js";
import { planSweep } from "../../src/sweep/plan.js";
import { recommend } from "../../src/sweep/recommend.js";
import { divergence, type RunRecord } from "../../src/sweep/record.js";
import type { RunResult } from "../../src/sweep/run.js";

/** Results with chosen final losses per setting label (null = non-finite), one per seed. */
function scenario(clip: string, finals: Record<string, (number | null)[]>) {
  const grid = parseGrid({ clip, lr: "0.1", seeds: "2" });
  const plan = planSweep(grid, (c, lr, seed) => ({
    task: "sweep-cell",
    run: {
      task: "train-linear",
      data: { file: "/never-read.csv" },
      x: ["x"],
      y: "y",
      transform: { clip: c, optimizer: { name: "sgd", lr } },
      epochs: 100,
      seed,
    },
  }));
  const results: RunResult[] = plan.runs.map((run) => {
    const final = finals[run.setting.label]![grid.seeds.indexOf(run.seed)]!;
    const record: RunRecord = {
      initialLoss: 10,
      finalLoss: final,
      bestLoss: final,
      lastLoss: final,
      epochs: 100,
      stopReason: final === null ? "diverged" : "max-epochs",
      epochsToThreshold: null,
      clipFraction: 0.5,
      nonFiniteGradient: false,
      timeMs: 1,
    };
    return { run, record, divergence: divergence(record), resumed: false };
  });
  const table = aggregate(plan, results, false);
  return { table, results };
}

describe("recommendation", () => {
  it("a range spans thresholds of one kind with the same settings only", () => {
    const { table, results } = scenario("zclip:1,zclip:2,zclip:3,alpha=0.5,zclip:4", {
      "none lr=0.1": [null, null],
      "zclip:1 lr=0.1": [1.0, 1.1],
      "zclip:2 lr=0.1": [1.2, 1.3],
      "zclip:3,alpha=0.5 lr=0.1": [1.1, 1.2], // qualifies, but other settings: not in the range
      "zclip:4 lr=0.1": [1.4, 1.5],
    });
    const rec = recommend(table, results);
    expect(rec).toMatchObject({
      kind: "zclip",
      thresholds: [1, 4],
      settings: ["zclip:1 lr=0.1", "zclip:2 lr=0.1", "zclip:4 lr=0.1"],
    });
  });

  it("grows a threshold range around the best qualifying clip, with the baseline's divergence", () => {
    const { table, results } = scenario("value:0.01,value:0.1,value:1,value:10,norm:1", {
      "none lr=0.1": [null, 2e6],
      "value:0.01 lr=0.1": [5, 5], // converged, but too slow: > 2 × best
      "value:0.1 lr=0.1": [1.0, 1.05],
      "value:1 lr=0.1": [1.1, 1.2],
      "value:10 lr=0.1": [1.0, 1e5], // one seed exploded
      "norm:1 lr=0.1": [1.5, 1.9],
    });
    const rec = recommend(table, results);
    expect(rec).toMatchObject({
      found: true,
      kind: "value",
      lr: 0.1,
      thresholds: [0.1, 1],
      settings: ["value:0.1 lr=0.1", "value:1 lr=0.1"],
      runs: 4,
      bestLoss: 1,
      cutoff: 2,
      finalLoss: { min: 1, max: 1.2 },
    });
    expect(rec.baseline).toEqual([
      { lr: 0.1, runs: 2, diverged: 2, nonFinite: 1, exploded: 1, medianFinalLoss: null },
    ]);
    expect(rec.text).toMatchInlineSnapshot(`
      [
        "recommendation: clip value with threshold in [0.1, 1] at lr=0.1",
        "evidence: 4 runs (2 thresholds × 2 seeds), all converged; final loss 1 … 1.2 (median 1.075), each within 2× the best run's 1",
        "baseline (no clip) at lr=0.1: 2/2 runs diverged (1 non-finite, 1 exploded), median final loss non-finite",
      ]
    `);
  });

  it("--within widens what qualifies; a loss threshold counts as good enough", () => {
    const { table, results } = scenario("value:0.01,value:0.1", {
      "none lr=0.1": [null, null],
      "value:0.01 lr=0.1": [5, 5],
      "value:0.1 lr=0.1": [1, 1],
    });
    expect(recommend(table, results).thresholds).toEqual([0.1, 0.1]);
    expect(recommend(table, results, { within: 10 }).thresholds).toEqual([0.01, 0.1]);
    expect(recommend(table, results, { lossThreshold: 6 }).thresholds).toEqual([0.01, 0.1]);
  });

  it("says why there is none: everything diverged, or only the baseline qualifies", () => {
    const diverged = scenario("value:1", {
      "none lr=0.1": [null, null],
      "value:1 lr=0.1": [null, 1e9],
    });
    const none = recommend(diverged.table, diverged.results);
    expect(none.found).toBe(false);
    expect(none.text[0]).toBe(
      "no recommendation: every run diverged; try smaller learning rates or thresholds",
    );
    const plain = scenario("value:1", { "none lr=0.1": [1, 1], "value:1 lr=0.1": [9, 9] });
    const rec = recommend(plain.table, plain.results);
    expect(rec.found).toBe(false);
    expect(rec.text).toEqual([
      "no recommendation: no clipped setting had all its runs converge within 2× of the best loss 1",
      "the unclipped baseline qualifies at lr=0.1: clipping is not needed there",
    ]);
  });
});
