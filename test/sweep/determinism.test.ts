import { describe, expect, it } from "vitest";
import { parseGrid } from "../../src/sweep/grid.js";
import { planSweep } from "../../src/sweep/plan.js";
import { runSweep } from "../../src/sweep/run.js";
import { illConditioned, withoutTime } from "./helpers.js";

// Worker threads load the built worker (dist/sweep/worker.js): `npm test` builds first.
describe("determinism: results do not depend on the number of workers", () => {
  const grid = parseGrid({
    clip: "value:0.1,global-norm:1,norm:1",
    lr: "0.01,0.1",
    seeds: "0,1,7",
  });
  const plan = planSweep(grid, (clip, lr, seed) => ({
    task: "sweep-cell",
    run: {
      task: "train-linear",
      data: { file: illConditioned },
      x: ["x1", "x2"],
      y: "y",
      transform: { guard: "error", clip, optimizer: { name: "sgd", lr, momentum: 0.5 } },
      epochs: 300,
      batchSize: 32, // mini-batches: the seed also drives the shuffling
      lossThreshold: 1.1,
      seed,
    },
  }));

  it("1 worker, 2 workers and the main thread give identical results, in grid order", async () => {
    const one = await runSweep(plan, { workers: 1 });
    const two = await runSweep(plan, { workers: 2 });
    const main = await runSweep(plan, { workers: 0 });
    expect(one.results).toHaveLength(plan.runs.length);
    expect(two.results.map(withoutTime)).toEqual(one.results.map(withoutTime));
    expect(main.results.map(withoutTime)).toEqual(one.results.map(withoutTime));
    // Sorted by setting, then seed — never completion order.
    const order = one.results.map((r) => [r.run.setting.index, grid.seeds.indexOf(r.run.seed)]);
    expect(order).toEqual([...order].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!));
    // The baseline diverges at lr 0.1 and the seeds really differ.
    const baseline = one.results.filter((r) => r.run.setting.label === "none lr=0.1");
    expect(baseline.map((r) => r.divergence)).toEqual(["non-finite", "non-finite", "non-finite"]);
    const clipped = one.results.filter((r) => r.run.setting.label === "value:0.1 lr=0.1");
    expect(new Set(clipped.map((r) => r.record.finalLoss)).size).toBe(3);
  });

  it("fit runs too (jittered starts from the seed)", async () => {
    const fitPlan = planSweep(
      parseGrid({ clip: "global-norm:1,value:0.1", lr: "0.05,0.2", seeds: "3" }),
      (clip, lr, seed) => ({
        task: "sweep-cell",
        run: {
          task: "fit-curve",
          data: { file: new URL("../../examples/puromycin-treated.csv", import.meta.url).pathname },
          model: "Vm * conc / (K + conc)",
          x: ["conc"],
          y: "rate",
          start: { Vm: 150, K: 0.5 },
          bounds: { Vm: { lower: 0 }, K: { lower: 0 } },
        },
        firstOrder: {
          transform: { guard: "skip", clip, optimizer: { name: "adam", lr } },
          steps: 500,
          lossThreshold: 150,
          seed,
          startJitter: 0.5,
        },
      }),
    );
    const one = await runSweep(fitPlan, { workers: 1 });
    const two = await runSweep(fitPlan, { workers: 2 });
    expect(two.results.map(withoutTime)).toEqual(one.results.map(withoutTime));
    expect(one.results.every((r) => r.record.finalLoss !== null)).toBe(true);
    const seeds = one.results.filter((r) => r.run.setting.index === 0);
    expect(new Set(seeds.map((r) => r.record.initialLoss)).size).toBe(3);
  });
});
